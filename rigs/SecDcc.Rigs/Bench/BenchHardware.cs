using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Gpio.Simulated;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Bench;

/// <summary>What opening a bench needs besides its rig file.</summary>
public sealed record BenchOptions
{
    /// <summary>An emulated rig's simulated banks (<c>EmulatedRig.SimulatedBanks</c>), for the rig file's 'sim' banks.</summary>
    public IReadOnlyDictionary<string, SimulatedGpioBank> SimulatedBanks { get; init; } = new Dictionary<string, SimulatedGpioBank>();

    /// <summary>A person at the bench, for devices with no relay on their power or button; without one such a device is a bench fault.</summary>
    public OperatorPrompt? Operator { get; init; }

    /// <summary>The clock for off-times and press durations.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// The harness's hands on a bench: each device's power and button (a relay, or a person through the same
/// protocol) and each meter's pulse input, opened from the rig file's GPIO banks the first time a device's part
/// is asked for (labgrid's resource → driver binding). Lines are claimed with the relays closed, so opening the
/// bench switches nothing off.
/// </summary>
/// <remarks>Disposing releases every line (relays stay as they were, as a relay module's do) and the banks it opened.</remarks>
public sealed class BenchHardware : IAsyncDisposable
{
    private readonly RigDefinition _rig;
    private readonly BenchOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, GpioController> _banks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPowerSwitch> _power = new(StringComparer.Ordinal);
    private readonly Dictionary<GpioLineRef, object> _byLine = [];
    private readonly Dictionary<string, IButton> _buttons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PulseInput> _pulses = new(StringComparer.Ordinal);

    public BenchHardware(RigDefinition rig, BenchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rig);
        _rig = rig;
        _options = options ?? new BenchOptions();
    }

    public RigDefinition Rig => _rig;

    /// <summary>The device's power: its relay, or the operator when it has none.</summary>
    /// <exception cref="BenchFaultException">The relay's bank or line cannot be opened, or there is no relay and no operator.</exception>
    public Task<IPowerSwitch> PowerAsync(string device, CancellationToken cancellationToken) =>
        PartAsync(_power, device, "power", d => d.Gpio.Power, async (gpio, line, name, wiring) => (IPowerSwitch)await RelayPowerSwitch.OpenAsync(gpio, line, name, wiring with { Initial = PowerState.On }, cancellationToken).ConfigureAwait(false), (name, prompt) => new ManualPowerSwitch(name, prompt, _options.Clock), cancellationToken);

    /// <summary>The device's button: a relay across it, or the operator.</summary>
    /// <exception cref="BenchFaultException">As for <see cref="PowerAsync"/>.</exception>
    public Task<IButton> ButtonAsync(string device, CancellationToken cancellationToken) =>
        PartAsync(_buttons, device, "button", d => d.Gpio.Button, async (gpio, line, name, wiring) => (IButton)await RelayButton.OpenAsync(gpio, line, $"{name}'s button", wiring, cancellationToken).ConfigureAwait(false), (name, prompt) => new ManualButton($"the button of {name}", prompt), cancellationToken);

    /// <summary>The meter's pulse input, open for rising edges.</summary>
    /// <exception cref="BenchFaultException">The rig file wires no pulse input to the device, or it cannot be opened.</exception>
    public async Task<PulseInput> PulseInputAsync(string device, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pulses.TryGetValue(device, out var known))
            {
                return known;
            }

            var definition = _rig.Device(device);
            var wired = definition.Gpio.Pulse ?? throw new BenchFaultException(
                $"{device} has no pulse input in {_rig.SourcePath}: wire a photodiode on its pulse LED to an input and name it (gpio: {{ pulse: bank/line }})");
            var (gpio, line) = await LineAsync(wired, device, "pulse", cancellationToken).ConfigureAwait(false);
            try
            {
                await gpio.OpenAsync(line, GpioDirection.Input, new GpioOpenOptions { Label = $"pulse input '{device}'", Edges = GpioEdges.Rising }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is GpioException or InvalidOperationException or ArgumentException)
            {
                throw new BenchFaultException($"{device}'s pulse input {wired} on {gpio.Backend.Name} cannot be opened: {e.Message}", e);
            }

            return _pulses[device] = new PulseInput(gpio, line, wired, definition.Model.MeterConstant ?? 0);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var part in _byLine.Values)
        {
            if (part is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }

        foreach (var pulse in _pulses.Values)
        {
            await pulse.Controller.CloseAsync(pulse.Line, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var bank in _banks.Values)
        {
            await bank.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<T> PartAsync<T>(
        Dictionary<string, T> parts,
        string device,
        string role,
        Func<DeviceDefinition, GpioLineRef?> wiredOf,
        Func<GpioController, int, string, RelayWiring, Task<T>> openRelay,
        Func<string, OperatorPrompt, T> manual,
        CancellationToken cancellationToken)
        where T : class
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (parts.TryGetValue(device, out var known))
            {
                return known;
            }

            var definition = _rig.Device(device);
            if (wiredOf(definition) is not { } wired)
            {
                return parts[device] = _options.Operator is { } prompt
                    ? manual(device, prompt)
                    : throw new BenchFaultException(
                        $"{device} has no {role} relay in {_rig.SourcePath} (gpio: {{ {role}: bank/line }}) and no operator was given to do it by hand");
            }

            // A GPF shares its CHF's relay: one line, one switch.
            if (_byLine.TryGetValue(wired, out var shared) && shared is T same)
            {
                return parts[device] = same;
            }

            var (gpio, line) = await LineAsync(wired, device, role, cancellationToken).ConfigureAwait(false);
            try
            {
                var part = await openRelay(gpio, line, device, new RelayWiring { ActiveLow = wired.ActiveLow, TimeProvider = _options.Clock }).ConfigureAwait(false);
                _byLine[wired] = part;
                return parts[device] = part;
            }
            catch (Exception e) when (e is GpioException or InvalidOperationException or ArgumentException)
            {
                throw new BenchFaultException($"{device}'s {role} relay {wired} on {gpio.Backend.Name} cannot be claimed: {e.Message}", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The bank's controller (opened once) and the line's number on it.</summary>
    private async Task<(GpioController Controller, int Line)> LineAsync(GpioLineRef wired, string device, string role, CancellationToken cancellationToken)
    {
        if (!_rig.GpioBanks.TryGetValue(wired.Bank, out var bank))
        {
            throw new BenchFaultException($"{device}'s {role} line {wired} names bank '{wired.Bank}', which {_rig.SourcePath} does not declare under gpio:");
        }

        if (!_banks.TryGetValue(bank.Name, out var controller))
        {
            IGpioBackend backend;
            try
            {
                backend = await GpioBackends.OpenAsync(bank.OpenSpec, new GpioBackendOptions { SimulatedBanks = _options.SimulatedBanks, TimeProvider = _options.Clock }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is GpioException or ArgumentException)
            {
                throw new BenchFaultException($"GPIO bank '{bank.Name}' ({bank.Spec}) for {device}'s {role} line cannot be opened: {e.Message}", e);
            }

            // A simulated bank belongs to the emulated rig, which disposes it; a real one is the bench's, opened here.
            controller = _banks[bank.Name] = new GpioController(backend, ownsBackend: !bank.IsSimulated);
        }

        try
        {
            return (controller, controller.ResolveLine(wired.Line));
        }
        catch (ArgumentException e)
        {
            throw new BenchFaultException($"{device}'s {role} line {wired} is not on the bank: {e.Message}. Is the wire there, and is the rig file's line name right?", e);
        }
    }
}

/// <summary>A meter's pulse input, open for rising edges, and the meter constant its count is judged by.</summary>
public sealed record PulseInput(GpioController Controller, int Line, GpioLineRef Wired, int ImpulsesPerKwh)
{
    public string Describe() => $"{Controller.Describe(Line)} ({Wired})";
}
