using System.Text;
using SecDcc.Drivers.Gpio.SerialModule;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Gpio.Emulation;

/// <summary>How an <see cref="EmulatedGpioModule"/> behaves.</summary>
public sealed record EmulatedGpioModuleOptions
{
    public int Relays { get; init; } = 8;

    public int Gpios { get; init; }

    /// <summary>What it answers to <c>ver</c>.</summary>
    public string Version { get; init; } = "00000008";

    /// <summary>Echo every byte received, as Numato firmware does; off for modules that do not.</summary>
    public bool Echo { get; init; } = true;

    /// <summary>The line break it sends: LF CR as Numato firmware does, or CR LF as some clones do.</summary>
    public string LineBreak { get; init; } = "\n\r";
}

/// <summary>A change the harness made on an <see cref="EmulatedGpioModule"/>.</summary>
/// <param name="Kind">"relay" or "gpio".</param>
public readonly record struct EmulatedModuleChange(string Kind, int Channel, GpioLevel Level);

/// <summary>
/// A Numato-style USB GPIO/relay module on the device end of a wire (a <see cref="PseudoTerminal.Master"/>),
/// speaking the dialect of <see cref="ModuleDialect"/>, so the serial module backend is tested end to end
/// through the real serial driver, and an emulated rig can have a relay board.
/// </summary>
/// <remarks>
/// As on the real module, <c>gpio set</c>/<c>clear</c> make a channel an output and <c>gpio read</c> makes it
/// an input and answers the level the emulator drives on it (<see cref="DriveInput"/>). Unknown commands get
/// only a prompt. The module runs until disposed; a failure of the wire ends it and shows in <see cref="Completion"/>.
/// </remarks>
public sealed class EmulatedGpioModule : IAsyncDisposable
{
    private readonly ISerialPort _wire;
    private readonly EmulatedGpioModuleOptions _options;
    private readonly Lock _gate = new();
    private readonly bool[] _relays;
    private readonly GpioLevel[] _gpioDriven;
    private readonly GpioLevel[] _gpioOutside;
    private readonly bool[] _gpioIsOutput;
    private readonly List<string> _commands = [];
    private BackgroundLoop? _loop;

    private EmulatedGpioModule(ISerialPort wire, EmulatedGpioModuleOptions options)
    {
        _wire = wire;
        _options = options;
        _relays = new bool[options.Relays];
        _gpioDriven = new GpioLevel[options.Gpios];
        _gpioOutside = new GpioLevel[options.Gpios];
        _gpioIsOutput = new bool[options.Gpios];
    }

    /// <summary>Ends when the module is disposed; faults if the wire failed under it.</summary>
    public Task Completion => _loop?.Completion ?? Task.CompletedTask;

    /// <summary>Raised on the module's own task when the harness switches a relay or drives a GPIO output.</summary>
    public event Action<EmulatedModuleChange>? Changed;

    /// <summary>The commands received so far, as typed (without the CR).</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_gate)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>Starts answering on <paramref name="wire"/>; the caller keeps ownership of the wire.</summary>
    public static EmulatedGpioModule Start(ISerialPort wire, EmulatedGpioModuleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(wire);
        options ??= new EmulatedGpioModuleOptions();
        var module = new EmulatedGpioModule(wire, options);
        module._loop = BackgroundLoop.Start(module.RunAsync);
        return module;
    }

    public bool IsRelayOn(int channel)
    {
        lock (_gate)
        {
            return _relays[channel];
        }
    }

    /// <summary>What the harness drives on a GPIO channel; low when the channel is an input.</summary>
    public GpioLevel GpioOutput(int channel)
    {
        lock (_gate)
        {
            return _gpioIsOutput[channel] ? _gpioDriven[channel] : GpioLevel.Low;
        }
    }

    /// <summary>Sets the level a GPIO channel sees from outside (what <c>gpio read</c> answers).</summary>
    public void DriveInput(int channel, GpioLevel level)
    {
        lock (_gate)
        {
            _gpioOutside[channel] = level;
        }
    }

    public ValueTask DisposeAsync() => _loop?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task RunAsync(CancellationToken stop)
    {
        var line = new StringBuilder();
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var n = await _wire.ReadAsync(buffer, stop).ConfigureAwait(false);
                for (var i = 0; i < n; i++)
                {
                    var b = buffer[i];
                    if (_options.Echo && b != (byte)'\n')
                    {
                        await _wire.WriteAsync(new[] { b }, stop).ConfigureAwait(false);
                    }

                    if (b == (byte)'\r')
                    {
                        var answer = Execute(line.ToString().Trim());
                        line.Clear();
                        var reply = _options.LineBreak + (answer is null ? string.Empty : answer + _options.LineBreak) + ">";
                        await _wire.WriteAsync(Encoding.ASCII.GetBytes(reply), stop).ConfigureAwait(false);
                    }
                    else if (b != (byte)'\n' && line.Length < 256)
                    {
                        line.Append((char)b);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed: the loop ends normally, so Completion does not show a cancellation.
        }
    }

    /// <summary>Carries out one command; returns its answer, or null for commands that give none.</summary>
    private string? Execute(string command)
    {
        EmulatedModuleChange? change = null;
        string? answer = null;
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        lock (_gate)
        {
            if (command.Length > 0)
            {
                _commands.Add(command);
            }

            switch (words)
            {
                case ["ver"]:
                    answer = _options.Version;
                    break;
                case ["relay", var verb, var ch] when ModuleDialect.TryParseChannel(ch, out var c) && c < _relays.Length:
                    switch (verb)
                    {
                        case "on" or "off":
                            _relays[c] = verb == "on";
                            change = new EmulatedModuleChange("relay", c, _relays[c] ? GpioLevel.High : GpioLevel.Low);
                            break;
                        case "read":
                            answer = _relays[c] ? "on" : "off";
                            break;
                    }

                    break;
                case ["gpio", var verb, var ch] when ModuleDialect.TryParseChannel(ch, out var c) && c < _gpioDriven.Length:
                    switch (verb)
                    {
                        case "set" or "clear":
                            _gpioIsOutput[c] = true;
                            _gpioDriven[c] = verb == "set" ? GpioLevel.High : GpioLevel.Low;
                            change = new EmulatedModuleChange("gpio", c, _gpioDriven[c]);
                            break;
                        case "read":
                            _gpioIsOutput[c] = false;
                            answer = _gpioOutside[c] == GpioLevel.High ? "1" : "0";
                            break;
                    }

                    break;
            }
        }

        if (change is { } changed)
        {
            Changed?.Invoke(changed);
        }

        return answer;
    }
}
