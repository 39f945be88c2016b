using System.Threading.Channels;
using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Gpio.Simulated;
using SecDcc.Rigs.Emulation.Meters;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Emulation.Bench;

/// <summary>
/// The emulated rig's side of its GPIO wiring (docs/decisions/1300): a simulated bank per 'sim' bank of the rig
/// file, with a line for each relay, button and pulse input the devices name. The harness opens the banks as
/// <c>sim:NAME</c> like any bank; here a relay's output switches its device's supply, a button relay presses
/// its device's button, and a meter's pulse LED drives its pulse input.
/// </summary>
/// <remarks>
/// <para>A relay the harness has not claimed leaves the device powered, as the bench's supply is; once claimed,
/// the device follows the relay, and releasing the line leaves the relay where it was (as a relay module does).</para>
/// <para>Power changes are applied in order by one loop per device, off the harness's thread: a write to the relay
/// returns at once, and the device goes down or up a moment later, as a real one does.</para>
/// </remarks>
internal sealed class EmulatedBench : IAsyncDisposable
{
    private readonly Dictionary<string, SimulatedGpioBank> _banks;
    private readonly Dictionary<(string Bank, int Line), List<Action<GpioLevel>>> _outputs = [];
    private readonly HashSet<(string Bank, string Line)> _disconnected = [];
    private readonly Lock _gate = new();
    private readonly List<PowerSupply> _supplies = [];
    private readonly List<(SimulatedGpioBank Bank, Action<SimulatedOutputChange> Handler)> _subscriptions = [];
    private readonly IEmulatorLog _log;

    private EmulatedBench(Dictionary<string, SimulatedGpioBank> banks, IEmulatorLog log)
    {
        _banks = banks;
        _log = log;
    }

    /// <summary>The simulated banks by the name the harness opens them under (<c>sim:NAME</c>).</summary>
    public IReadOnlyDictionary<string, SimulatedGpioBank> Banks => _banks;

    /// <param name="missing">Lines ("bench/esme-power") left out of their bank, as a module without that relay.</param>
    public static EmulatedBench Create(RigDefinition rig, IReadOnlyList<EmulatedDevice> devices, IEmulatorLog log, TimeProvider clock, IReadOnlySet<string> missing)
    {
        var simulated = rig.GpioBanks.Values.Where(b => b.IsSimulated).ToList();
        var banks = simulated.ToDictionary(
            b => b.SimulatedName,
            b => new SimulatedGpioBank(b.SimulatedName, LineNames(rig, b.Name).Where(l => !missing.Contains($"{b.Name}/{l}")).ToList(), clock),
            StringComparer.Ordinal);
        var bench = new EmulatedBench(banks, log);
        foreach (var device in devices)
        {
            bench.Wire(rig, device);
        }

        foreach (var bank in banks.Values)
        {
            Action<SimulatedOutputChange> handler = change => bench.OnOutputChanged(bank.BankName, change);
            bank.OutputChanged += handler;
            bench._subscriptions.Add((bank, handler));
        }

        return bench;
    }

    /// <summary>
    /// Cuts the wire between a line and what it switches, as a loose relay wire would: the harness still drives
    /// the line, and nothing happens. For showing that the rig self-test finds such a fault.
    /// </summary>
    public void Disconnect(string bank, string line)
    {
        lock (_gate)
        {
            _disconnected.Add((bank, line));
        }

        _log.Write("bench", $"{bank}/{line} disconnected: the harness's writes to it reach nothing");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (bank, handler) in _subscriptions)
        {
            bank.OutputChanged -= handler;
        }

        foreach (var supply in _supplies)
        {
            await supply.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var bank in _banks.Values)
        {
            bank.Dispose();
        }
    }

    /// <summary>Every line the rig's devices name on the bank, in file order.</summary>
    private static List<string> LineNames(RigDefinition rig, string bank) =>
        rig.Devices.SelectMany(d => d.Gpio.Lines).Where(l => l.Line.Bank == bank).Select(l => l.Line.Line).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private void Wire(RigDefinition rig, EmulatedDevice device)
    {
        var gpio = device.Definition.Gpio;
        if (gpio.Power is { } power && Simulated(rig, power) is { } powerBank)
        {
            var supply = new PowerSupply(device, _log);
            _supplies.Add(supply);
            On(powerBank, power, level => supply.Switch(Closed(level, power), power));
        }

        if (gpio.Button is { } button && Simulated(rig, button) is { } buttonBank)
        {
            On(buttonBank, button, level =>
            {
                if (Closed(level, button))
                {
                    device.PressButton();
                }
            });
        }

        if (gpio.Pulse is { } pulse && Simulated(rig, pulse) is { } pulseBank && device is SmartMeter meter)
        {
            var line = pulseBank.NumberOf(pulse.Line);
            meter.PulseLed += () => pulseBank.Pulse(line);
        }
    }

    /// <summary>What a change of the line does; a line may switch more than one device (a hub's CHF and GPF share a supply).</summary>
    private void On(SimulatedGpioBank bank, GpioLineRef line, Action<GpioLevel> handler)
    {
        var key = (bank.BankName, bank.NumberOf(line.Line));
        if (!_outputs.TryGetValue(key, out var handlers))
        {
            _outputs[key] = handlers = [];
        }

        handlers.Add(handler);
    }

    /// <summary>The simulated bank the line is on, or null when it is on a real bank or missing from its bank.</summary>
    private SimulatedGpioBank? Simulated(RigDefinition rig, GpioLineRef line) =>
        rig.GpioBanks.TryGetValue(line.Bank, out var bank) && bank.IsSimulated && _banks[bank.SimulatedName].Lines.Any(l => string.Equals(l.Name, line.Line, StringComparison.OrdinalIgnoreCase))
            ? _banks[bank.SimulatedName]
            : null;

    private static bool Closed(GpioLevel level, GpioLineRef line) => (level == GpioLevel.High) != line.ActiveLow;

    private void OnOutputChanged(string bank, SimulatedOutputChange change)
    {
        List<Action<GpioLevel>>? handlers;
        lock (_gate)
        {
            if (_disconnected.Contains((bank, change.Name)) || !_outputs.TryGetValue((bank, change.Line), out handlers))
            {
                return;
            }
        }

        foreach (var handler in handlers)
        {
            handler(change.Level);
        }
    }

    /// <summary>A device's supply behind its relay: switches applied in order, one at a time, off the caller's thread.</summary>
    private sealed class PowerSupply : IAsyncDisposable
    {
        private readonly Channel<(bool On, GpioLineRef Line)> _switches = Channel.CreateUnbounded<(bool, GpioLineRef)>(new UnboundedChannelOptions { SingleReader = true });
        private readonly EmulatedDevice _device;
        private readonly IEmulatorLog _log;
        private readonly Task _loop;

        public PowerSupply(EmulatedDevice device, IEmulatorLog log)
        {
            _device = device;
            _log = log;
            _loop = Task.Run(RunAsync);
        }

        public void Switch(bool on, GpioLineRef line) => _switches.Writer.TryWrite((on, line));

        public async ValueTask DisposeAsync()
        {
            _switches.Writer.TryComplete();
            await _loop.ConfigureAwait(false);
        }

        private async Task RunAsync()
        {
            await foreach (var (on, line) in _switches.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    if (on == _device.IsPoweredOn)
                    {
                        continue;
                    }

                    _log.Write(_device.Name, $"relay {line} {(on ? "closed: power on" : "opened: power cut")}");
                    if (on)
                    {
                        await _device.PowerOnAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        await _device.PowerOffAsync().ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException)
                {
                    // A device that cannot start (a spoiled state file) stays off, as a real one would; the log says why.
                    _log.Write(_device.Name, $"did not come up after the relay closed: {e.Message}");
                }
            }
        }
    }
}
