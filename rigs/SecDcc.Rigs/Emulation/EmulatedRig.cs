using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation.CommsHub;
using SecDcc.Rigs.Emulation.Han;
using SecDcc.Rigs.Emulation.HanDevices;
using SecDcc.Rigs.Emulation.Meters;
using SecDcc.Rigs.Emulation.State;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Emulation;

/// <summary>How to run an emulated rig, beyond what its rig file says.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Where devices keep their state files; the rig's own state folder when null.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Overrides the rig file's WAN (e.g. the runner's --gateway, or a test's listener).</summary>
    public WanConnection? Wan { get; init; }

    /// <summary>
    /// The certificate whose key signs the DCC's commands. Devices that have nothing in their
    /// accessControlBroker Trust Anchor Cell get it there at power-up, as a factory would put it (AC 3.1–3.2).
    /// </summary>
    public X509Certificate2? DccCertificate { get; init; }

    public IEmulatorLog Log { get; init; } = NullEmulatorLog.Instance;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// Runs the emulated devices of a rig: one pseudo-terminal per device for its local port, the HAN between
/// them, the CHF's WAN to the gateway, and a device certificate authority kept with their state.
/// </summary>
/// <remarks>
/// Pseudo-terminals belong to the rig, not to the devices, so a device's local port path stays the same across
/// a power cycle, as a bench's cable does.
/// </remarks>
public sealed class EmulatedRig : IAsyncDisposable
{
    private readonly List<PseudoTerminal> _terminals;
    private readonly LocalCertificateAuthority _authority;
    private readonly PseudoTerminal? _wanLine;

    private EmulatedRig(
        RigDefinition definition,
        string stateDirectory,
        LocalCertificateAuthority authority,
        IReadOnlyList<EmulatedDevice> devices,
        List<PseudoTerminal> terminals,
        PseudoTerminal? wanLine,
        WanConnection wan,
        IEmulatorLog log)
    {
        Definition = definition;
        StateDirectory = stateDirectory;
        _authority = authority;
        Devices = devices;
        _terminals = terminals;
        _wanLine = wanLine;
        Wan = wan;
        Log = log;
        Han = new HanBus();
    }

    public RigDefinition Definition { get; }

    public string StateDirectory { get; }

    public IReadOnlyList<EmulatedDevice> Devices { get; }

    public CommunicationsHubFunction Hub => Devices.OfType<CommunicationsHubFunction>().Single();

    /// <summary>The WAN the hub uses (the rig file's, or the override).</summary>
    public WanConnection Wan { get; }

    /// <summary>The slave path of the emulated WAN line, when the WAN is 'serial: emulated'.</summary>
    public string? WanLinePath => _wanLine?.SlavePath;

    /// <summary>The certificate that issued every device's Device Certificate: what a DCC must trust to verify them.</summary>
    public X509Certificate2 DeviceIssuerCertificate => _authority.IssuerCertificate;

    internal HanBus Han { get; }

    private IEmulatorLog Log { get; }

    public EmulatedDevice this[string name] =>
        Devices.FirstOrDefault(d => d.Name == name)
        ?? throw new KeyNotFoundException($"rig {Definition.Name} has no device named '{name}'; it has {string.Join(", ", Devices.Select(d => d.Name))}");

    /// <summary>Makes every device of the rig and powers them on, the CHF first.</summary>
    /// <exception cref="InvalidOperationException">The rig has real devices: the emulator runs emulated rigs only.</exception>
    public static async Task<EmulatedRig> StartAsync(RigDefinition definition, EmulatorOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new EmulatorOptions();
        var real = definition.Devices.Where(d => !d.IsEmulated).Select(d => d.Name).ToArray();
        if (real.Length > 0)
        {
            throw new InvalidOperationException(
                $"rig {definition.Name} ({definition.SourcePath}) has real devices ({string.Join(", ", real)}); the emulator runs rigs whose devices all have 'port: emulated'");
        }

        var stateDirectory = Path.GetFullPath(options.StateDirectory ?? definition.StateDirectory);
        Directory.CreateDirectory(stateDirectory);
        var authority = LocalCertificateAuthority.LoadOrCreate(stateDirectory, $"SecDcc rig {definition.Name} device CA");
        var terminals = new List<PseudoTerminal>();
        var devices = new List<EmulatedDevice>();
        EmulatedRig? rig = null;
        try
        {
            var wan = options.Wan ?? definition.Wan;
            var wanLine = wan is SerialWan { Port: EmulatedPort } ? PseudoTerminal.Create() : null;
            rig = new EmulatedRig(definition, stateDirectory, authority, devices, terminals, wanLine, wan, options.Log);
            foreach (var device in definition.Devices)
            {
                var terminal = PseudoTerminal.Create();
                terminals.Add(terminal);
                var context = new DeviceContext(
                    device,
                    new StateFile(Path.Combine(stateDirectory, $"{device.Name}-{device.Id.Value:X16}.json")),
                    authority,
                    rig.Han,
                    terminal,
                    options.DccCertificate,
                    options.Log,
                    options.Clock);
                devices.Add(device.Type switch
                {
                    DeviceType.CHF => new CommunicationsHubFunction(context, definition.Gpf?.Id, () => IWanTransport.For(wan, () => wanLine!.SlavePath, () => wanLine!.Master)),
                    DeviceType.GPF => new GasProxyFunction(context),
                    DeviceType.ESME or DeviceType.GSME => new SmartMeter(context),
                    _ => new HanClientDevice(context),
                });
            }

            foreach (var device in devices.OrderBy(d => d.Type == DeviceType.CHF ? 0 : 1))
            {
                await device.PowerOnAsync(cancellationToken).ConfigureAwait(false);
            }

            options.Log.Write("rig", $"{definition.Name} running: {devices.Count} devices, state in {stateDirectory}, WAN {wan}");
            return rig;
        }
        catch (Exception)
        {
            if (rig is not null)
            {
                await rig.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                authority.Dispose();
            }

            throw;
        }
    }

    /// <summary>Powers a device off and on again: its volatile state is lost, its state file is read afresh.</summary>
    public async Task PowerCycleAsync(string name, CancellationToken cancellationToken)
    {
        var device = this[name];
        await device.PowerOffAsync().ConfigureAwait(false);
        await device.PowerOnAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task PowerOffAsync(string name) => this[name].PowerOffAsync();

    public Task PowerOnAsync(string name, CancellationToken cancellationToken) => this[name].PowerOnAsync(cancellationToken);

    /// <summary>Powers every device off, then closes the ports; state files stay.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var device in Devices.OrderBy(d => d.Type == DeviceType.CHF ? 1 : 0))
        {
            await device.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var terminal in _terminals)
        {
            terminal.Dispose();
        }

        _wanLine?.Dispose();
        _authority.Dispose();
        Log.Write("rig", $"{Definition.Name} stopped");
    }
}
