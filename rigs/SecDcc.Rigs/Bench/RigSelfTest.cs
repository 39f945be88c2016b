using SecDcc.DeviceProtocol.Local;
using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Optical;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Bench;

/// <summary>How long the self-test gives each part, and how it makes a meter's pulses flow.</summary>
public sealed record SelfTestOptions
{
    /// <summary>How long one identity query waits; a device that does not answer within it counts as down.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a device may take to go down after its relay opens, and to answer again after it closes.</summary>
    public TimeSpan SwitchWindow { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a pulse input may take to see its first edge once the load is on.</summary>
    public TimeSpan PulseWindow { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Makes energy flow through a meter (an emulated meter's load, or a prompt to the operator), and stops it
    /// when the returned object is disposed; null leaves the meters as they are, which only a meter already
    /// under load passes.
    /// </summary>
    public Func<string, CancellationToken, Task<IAsyncDisposable>>? Load { get; init; }
}

/// <summary>One part of the bench checked: which, on which device, and what was seen.</summary>
/// <param name="Part">"local port", "optical port", "power relay", "pulse input".</param>
public sealed record SelfTestCheck(string Part, string Device, bool Passed, string Statement)
{
    public override string ToString() => $"{(Passed ? "ok  " : "FAIL")} {Device,-8} {Part,-13} {Statement}";
}

/// <summary>The rig self-test's outcome: every check, in order. A failure is the bench's fault, not the product's.</summary>
public sealed record SelfTestReport(string Rig, IReadOnlyList<SelfTestCheck> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);

    public IEnumerable<SelfTestCheck> Failures => Checks.Where(c => !c.Passed);

    /// <summary>The failures in one message, for a rig fault.</summary>
    public string FaultMessage =>
        $"rig {Rig} failed its self-test, so no result of this run would say anything about the devices: " +
        string.Join("; ", Failures.Select(f => $"{f.Device} {f.Part}: {f.Statement}"));

    public override string ToString() =>
        $"self-test of rig {Rig}: {(Passed ? "passed" : $"{Failures.Count()} of {Checks.Count} checks failed")}{Environment.NewLine}{string.Join(Environment.NewLine, Checks)}";
}

/// <summary>
/// Checks a bench before a certification run (docs/decisions/1304): every local port opens and answers with the
/// device the rig file names; every optical port answers its sign-on; every power relay switches its device
/// (seen as the device going quiet on its local port and answering again); every pulse input sees an edge
/// while its meter is under load. It checks the bench, never the product: what it finds is a rig fault.
/// </summary>
public static class RigSelfTest
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The self-test's load for an emulated rig: each meter measures <paramref name="watts"/> until the check is
    /// done (the default gives a pulse every few milliseconds at 1000 imp/kWh).
    /// </summary>
    public static Func<string, CancellationToken, Task<IAsyncDisposable>> EmulatedLoad(Emulation.EmulatedRig rig, double watts = 3_600_000)
    {
        ArgumentNullException.ThrowIfNull(rig);
        return (device, _) =>
        {
            var meter = rig.Meter(device);
            meter.SetLoad(watts);
            return Task.FromResult<IAsyncDisposable>(new LoadOff(meter));
        };
    }

    public static async Task<SelfTestReport> RunAsync(RigPorts ports, BenchHardware bench, SelfTestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(bench);
        options ??= new SelfTestOptions();
        var checks = new List<SelfTestCheck>();
        var rig = ports.Rig;
        var clients = new Dictionary<string, LocalPortClient>();
        try
        {
            foreach (var device in rig.Devices)
            {
                var (check, client) = await LocalPortAsync(ports, device, options, cancellationToken).ConfigureAwait(false);
                checks.Add(check);
                if (client is not null)
                {
                    clients[device.Name] = client;
                }
            }

            foreach (var device in rig.Devices.Where(d => d.Optical is not null))
            {
                checks.Add(await OpticalAsync(ports, device, cancellationToken).ConfigureAwait(false));
            }

            foreach (var device in rig.Devices.Where(d => d.Gpio.Power is not null))
            {
                checks.Add(clients.TryGetValue(device.Name, out var client)
                    ? await RelayAsync(bench, device, client, options, cancellationToken).ConfigureAwait(false)
                    : new SelfTestCheck("power relay", device.Name, false, $"not switched: the device's local port did not answer, so whether {device.Gpio.Power} switches it cannot be seen"));
            }

            foreach (var device in rig.Devices.Where(d => d.Gpio.Pulse is not null))
            {
                checks.Add(await PulseAsync(bench, device, options, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new SelfTestReport(rig.Name, checks);
    }

    private static async Task<(SelfTestCheck Check, LocalPortClient? Client)> LocalPortAsync(RigPorts ports, DeviceDefinition device, SelfTestOptions options, CancellationToken cancellationToken)
    {
        string path;
        LocalPortClient client;
        try
        {
            path = ports.LocalPort(device.Name);
            client = ports.OpenLocalPort(device.Name, options.AnswerTimeout);
        }
        catch (Exception e) when (e is SerialPortException or BenchFaultException)
        {
            return (new SelfTestCheck("local port", device.Name, false, $"does not open: {e.Message}"), null);
        }

        try
        {
            var identity = await UntilAsync(client, up: true, options.SwitchWindow, cancellationToken).ConfigureAwait(false);
            if (identity is null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                return (new SelfTestCheck("local port", device.Name, false, $"{path} opens, but nothing answered an identity query within {options.SwitchWindow.TotalSeconds:0.#} s: is the device powered, and is this its local port?"), null);
            }

            if (identity.DeviceId != device.Id || identity.DeviceType != device.Type)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                return (new SelfTestCheck("local port", device.Name, false, $"{path} answers as {identity.DeviceType} {identity.DeviceId}, but the rig file says {device.Type} {device.Id}: the cable goes to another device, or the rig file's id is wrong"), null);
            }

            return (new SelfTestCheck("local port", device.Name, true, $"{path} answers identity: {identity.DeviceType} {identity.DeviceId}, {identity.Model.Manufacturer} {identity.Model.Model} firmware {identity.Model.FirmwareVersion}"), client);
        }
        catch (Exception e) when (e is SerialPortException or InvalidOperationException)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            return (new SelfTestCheck("local port", device.Name, false, $"{path} failed while asked for identity: {e.Message}"), null);
        }
    }

    private static async Task<SelfTestCheck> OpticalAsync(RigPorts ports, DeviceDefinition device, CancellationToken cancellationToken)
    {
        try
        {
            var path = ports.OpticalPort(device.Name)!;
            var identity = await OpticalIdentity.ReadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SelfTestCheck("optical port", device.Name, true, $"{path} answers the sign-on: {identity}");
        }
        catch (Exception e) when (e is OpticalReadoutException or SerialPortException or BenchFaultException or FormatException)
        {
            return new SelfTestCheck("optical port", device.Name, false, e.Message);
        }
    }

    private static async Task<SelfTestCheck> RelayAsync(BenchHardware bench, DeviceDefinition device, LocalPortClient client, SelfTestOptions options, CancellationToken cancellationToken)
    {
        var relay = device.Gpio.Power!;
        try
        {
            var power = await bench.PowerAsync(device.Name, cancellationToken).ConfigureAwait(false);
            await power.OffAsync(cancellationToken).ConfigureAwait(false);
            var down = await UntilAsync(client, up: false, options.SwitchWindow, cancellationToken).ConfigureAwait(false) is null;
            await power.OnAsync(cancellationToken).ConfigureAwait(false);
            if (!down)
            {
                return new SelfTestCheck("power relay", device.Name, false, $"{relay} was switched off, and {client.PortName} still answered for {options.SwitchWindow.TotalSeconds:0.#} s: the relay does not switch this device's supply (check the wiring and the line in the rig file)");
            }

            var back = await UntilAsync(client, up: true, options.SwitchWindow, cancellationToken).ConfigureAwait(false);
            return back is null
                ? new SelfTestCheck("power relay", device.Name, false, $"{relay} cut the power, but {device.Name} did not answer again within {options.SwitchWindow.TotalSeconds:0.#} s of the relay closing")
                : new SelfTestCheck("power relay", device.Name, true, $"{relay} switches it: it went quiet on {client.PortName} with the relay open and answered again once closed");
        }
        catch (BenchFaultException e)
        {
            return new SelfTestCheck("power relay", device.Name, false, e.Message);
        }
        catch (GpioException e)
        {
            return new SelfTestCheck("power relay", device.Name, false, $"{relay} failed while switched: {e.Message}");
        }
    }

    private static async Task<SelfTestCheck> PulseAsync(BenchHardware bench, DeviceDefinition device, SelfTestOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var input = await bench.PulseInputAsync(device.Name, cancellationToken).ConfigureAwait(false);
            using var watcher = input.Controller.Watch(input.Line, GpioEdges.Rising);
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(options.PulseWindow);
            var load = options.Load is { } start ? await start(device.Name, cancellationToken).ConfigureAwait(false) : null;
            try
            {
                var edge = await watcher.NextAsync(window.Token).ConfigureAwait(false);
                return new SelfTestCheck("pulse input", device.Name, true, $"{input.Describe()} saw a pulse ({edge})");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new SelfTestCheck("pulse input", device.Name, false, $"{input.Describe()} saw no pulse within {options.PulseWindow.TotalSeconds:0.#} s{(load is null ? " (no load was put on the meter)" : " with the meter under load")}: check the photodiode is on the pulse LED and its output reaches the input");
            }
            finally
            {
                if (load is not null)
                {
                    await load.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (BenchFaultException e)
        {
            return new SelfTestCheck("pulse input", device.Name, false, e.Message);
        }
    }

    /// <summary>
    /// Asks for identity until the device answers (<paramref name="up"/>) or one query goes unanswered (down);
    /// the identity when up, null when down or when the window passed without the state it waited for.
    /// </summary>
    private static async Task<DeviceProtocol.Messages.DeviceIdentity?> UntilAsync(LocalPortClient client, bool up, TimeSpan window, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(window);
        DeviceProtocol.Messages.DeviceIdentity? last = null;
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                last = await client.ReadIdentityAsync(deadline.Token).ConfigureAwait(false);
                if (up)
                {
                    return last;
                }

                // Still up: ask again shortly rather than flood the port while the supply drops.
                await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                if (!up)
                {
                    return null;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return up ? null : last;
    }
}

/// <summary>Takes an emulated meter's load off when the check that needed it is done.</summary>
internal sealed class LoadOff(Emulation.Meters.SmartMeter meter) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        meter.SetLoad(0);
        return ValueTask.CompletedTask;
    }
}
