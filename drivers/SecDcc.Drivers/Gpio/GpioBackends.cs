using System.Globalization;
using SecDcc.Drivers.Gpio.CharacterDevice;
using SecDcc.Drivers.Gpio.SerialModule;
using SecDcc.Drivers.Gpio.Simulated;

namespace SecDcc.Drivers.Gpio;

/// <summary>What <see cref="GpioBackends"/> needs besides the spec itself.</summary>
public sealed record GpioBackendOptions
{
    /// <summary>Banks an emulated rig has made, by name, for specs of the form <c>sim:NAME</c>.</summary>
    public IReadOnlyDictionary<string, SimulatedGpioBank> SimulatedBanks { get; init; } = new Dictionary<string, SimulatedGpioBank>();

    /// <summary>Defaults for <c>serial:</c> specs; the spec's query (<c>?relays=8&amp;gpios=4</c>) overrides them.</summary>
    public SerialGpioModuleOptions SerialModule { get; init; } = new();

    /// <summary>The clock of a new simulated bank (<c>sim</c>).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// Opens a GPIO backend from a rig-file style spec, and probes a list of them in order.
/// </summary>
/// <remarks>
/// Specs:
/// <list type="bullet">
/// <item><c>sim</c>: a new simulated bank of 64 lines (gpio0…gpio63); <c>sim:NAME</c>: the bank an emulated rig registered under NAME.</item>
/// <item><c>serial:/dev/ttyACM0</c>, with an optional query <c>?relays=8&amp;gpios=4&amp;baud=115200&amp;poll=10ms&amp;timeout=1s</c>: a USB serial GPIO/relay module.</item>
/// <item><c>chardev:/dev/gpiochip0</c> (or <c>chardev:gpiochip0</c>): a Linux GPIO chip through the v2 uAPI.</item>
/// </list>
/// </remarks>
public static class GpioBackends
{
    /// <exception cref="ArgumentException">The spec is not one of the forms above; the message shows them.</exception>
    /// <exception cref="GpioException">The backend is not there (<see cref="GpioError.NotAvailable"/>) or failed to open.</exception>
    public static async Task<IGpioBackend> OpenAsync(string spec, GpioBackendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        options ??= new GpioBackendOptions();
        var (kind, rest) = Split(spec.Trim());
        switch (kind)
        {
            case "sim" when rest.Length == 0:
                return new SimulatedGpioBank("sim", 64, options.TimeProvider);
            case "sim":
                return options.SimulatedBanks.TryGetValue(rest, out var bank)
                    ? bank
                    : throw new GpioException(
                        GpioError.NotAvailable,
                        $"GPIO spec '{spec}': no simulated bank named '{rest}'; {(options.SimulatedBanks.Count == 0 ? "no emulated rig has registered any" : "the emulated rig has " + string.Join(", ", options.SimulatedBanks.Keys.Order(StringComparer.Ordinal)))}");
            case "serial":
                var (path, serialOptions) = SerialSpec(spec, rest, options.SerialModule);
                return await SerialGpioModule.OpenAsync(path, serialOptions, cancellationToken).ConfigureAwait(false);
            case "chardev":
                if (rest.Length == 0)
                {
                    throw new ArgumentException($"GPIO spec '{spec}' names no chip; write chardev:/dev/gpiochip0", nameof(spec));
                }

                return GpioChipBackend.Open(rest.StartsWith('/') ? rest : "/dev/" + rest);
            default:
                throw new ArgumentException(
                    $"GPIO spec '{spec}' is not one this harness knows; use sim, sim:NAME, serial:/dev/ttyACM0[?relays=8&gpios=4] or chardev:/dev/gpiochip0",
                    nameof(spec));
        }
    }

    /// <summary>
    /// Opens the first spec whose backend is there, moving on only when one is <see cref="GpioError.NotAvailable"/>;
    /// any other failure (permission, busy, a module that does not answer) is reported at once, as it needs fixing.
    /// </summary>
    /// <exception cref="GpioException">None is available; the message gives each one's reason.</exception>
    public static async Task<IGpioBackend> OpenFirstAvailableAsync(IEnumerable<string> specs, GpioBackendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        List<string> reasons = [];
        foreach (var spec in specs)
        {
            try
            {
                return await OpenAsync(spec, options, cancellationToken).ConfigureAwait(false);
            }
            catch (GpioException e) when (e.Error == GpioError.NotAvailable)
            {
                reasons.Add($"{spec}: {e.Message}");
            }
        }

        throw new GpioException(
            GpioError.NotAvailable,
            reasons.Count == 0 ? "no GPIO backend was given to try" : "no GPIO backend is available:" + string.Concat(reasons.Select(r => Environment.NewLine + "  " + r)));
    }

    private static (string Kind, string Remainder) Split(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (spec.ToLowerInvariant(), string.Empty) : (spec[..colon].ToLowerInvariant(), spec[(colon + 1)..]);
    }

    private static (string Path, SerialGpioModuleOptions Options) SerialSpec(string spec, string rest, SerialGpioModuleOptions defaults)
    {
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rest : rest[..question];
        if (path.Length == 0)
        {
            throw new ArgumentException($"GPIO spec '{spec}' names no serial port; write serial:/dev/ttyACM0", nameof(spec));
        }

        var options = defaults;
        if (question < 0)
        {
            return (path, options);
        }

        foreach (var pair in rest[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            options = key switch
            {
                "relays" => options with { Relays = Int(spec, key, value) },
                "gpios" => options with { Gpios = Int(spec, key, value) },
                "baud" => options with { Settings = options.Settings with { BaudRate = Int(spec, key, value) } },
                "poll" => options with { PollInterval = Duration(spec, key, value) },
                "timeout" => options with { AnswerTimeout = Duration(spec, key, value) },
                _ => throw new ArgumentException($"GPIO spec '{spec}': unknown setting '{key}'; the settings are relays, gpios, baud, poll and timeout", nameof(spec)),
            };
        }

        return (path, options);
    }

    private static int Int(string spec, string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"GPIO spec '{spec}': {key}={value} is not a whole number", nameof(spec));

    /// <summary>"10ms", "1s", "250" (milliseconds).</summary>
    private static TimeSpan Duration(string spec, string key, string value)
    {
        var (number, scale) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0)
            : (value, 1.0);
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n > 0
            ? TimeSpan.FromMilliseconds(n * scale)
            : throw new ArgumentException($"GPIO spec '{spec}': {key}={value} is not a duration such as 10ms or 1s", nameof(spec));
    }
}
