using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Gpio.Simulated;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation.Bench;
using SecDcc.Rigs.Emulation.CommsHub;
using SecDcc.Rigs.Emulation.Han;
using SecDcc.Rigs.Emulation.HanDevices;
using SecDcc.Rigs.Emulation.Meters;
using SecDcc.Rigs.Emulation.State;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.TrustAnchors;

namespace SecDcc.Rigs.Emulation;

/// <summary>How to run an emulated rig, beyond what its rig file says.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Where devices keep their state files; the rig's own state folder when null.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Overrides the rig file's WAN (e.g. the runner's --gateway, or a test's listener).</summary>
    public WanConnection? Wan { get; init; }

    /// <summary>
    /// The certificate whose key signs the DCC's commands, for a DCC that brings its own. A new device gets it in
    /// its accessControlBroker/digitalSignature Trust Anchor Cell instead of the rig's test PKI's Access Control
    /// Broker Certificate, as a factory would put it (AC 3.1–3.2). Without it a DCC signs with the rig's
    /// (written to the state folder as dcc-acb.key.pem and dcc-acb.cert.pem).
    /// </summary>
    public X509Certificate2? DccCertificate { get; init; }

    /// <summary>
    /// Issues the devices' certificates instead of the rig's test PKI. Without it, a state folder that already
    /// holds a local device authority (device-ca.key.pem, device-ca.cert.pem) keeps using it, so devices made
    /// before keep verifying; otherwise the test PKI's Issuing OCA issues them.
    /// </summary>
    public IDeviceCertificateIssuer? DeviceIssuer { get; init; }

    /// <summary>
    /// Trust Anchors made once (<see cref="RigTrustAnchors.Create"/>) for many rigs with the same trust anchor settings
    /// and DCC certificate, as a run of many short-lived rigs has: making the test PKI is much of a small rig's start.
    /// The rig uses them and leaves them to their owner; null makes the rig its own.
    /// </summary>
    public RigTrustAnchors? TrustAnchors { get; init; }

    public IEmulatorLog Log { get; init; } = NullEmulatorLog.Instance;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Lines ("bench/esme-power") the simulated banks are made without, as a bench whose module lacks a relay the
    /// rig file names: for showing that the rig self-test reports it as a rig fault.
    /// </summary>
    public IReadOnlySet<string> MissingLines { get; init; } = new HashSet<string>();
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
    private readonly DeviceFactory _factory;
    private readonly IDisposable? _ownedIssuer;
    private readonly bool _ownsAnchors;
    private readonly PseudoTerminal? _wanLine;
    private readonly List<EmulatedDevice> _devices;
    private readonly TimeProvider _clock;
    private readonly Lock _membersGate = new();
    private EmulatedBench? _bench;

    private EmulatedRig(
        RigDefinition definition,
        string stateDirectory,
        DeviceFactory factory,
        IDisposable? ownedIssuer,
        bool ownsAnchors,
        List<EmulatedDevice> devices,
        List<PseudoTerminal> terminals,
        PseudoTerminal? wanLine,
        WanConnection wan,
        IEmulatorLog log,
        TimeProvider clock)
    {
        Definition = definition;
        StateDirectory = stateDirectory;
        _factory = factory;
        _ownedIssuer = ownedIssuer;
        _ownsAnchors = ownsAnchors;
        _devices = devices;
        _terminals = terminals;
        _wanLine = wanLine;
        Wan = wan;
        Log = log;
        _clock = clock;
        Han = new HanBus();
    }

    /// <summary>The rig file's rig, and any device added to it since it started (<see cref="AddDeviceAsync"/>).</summary>
    public RigDefinition Definition { get; private set; }

    public string StateDirectory { get; }

    public IReadOnlyList<EmulatedDevice> Devices
    {
        get
        {
            lock (_membersGate)
            {
                return _devices.ToArray();
            }
        }
    }

    public CommunicationsHubFunction Hub => Devices.OfType<CommunicationsHubFunction>().Single();

    /// <summary>The WAN the hub uses (the rig file's, or the override).</summary>
    public WanConnection Wan { get; }

    /// <summary>The slave path of the emulated WAN line, when the WAN is 'serial: emulated'.</summary>
    public string? WanLinePath => _wanLine?.SlavePath;

    /// <summary>The certificate that issued every device's Device Certificate.</summary>
    public X509Certificate2 DeviceIssuerCertificate => _factory.Issuer.IssuerCertificate;

    /// <summary>What a DCC (or any verifier) must trust to verify the devices: the issuer, and the Root OCA above a test-PKI issuer.</summary>
    public IReadOnlyList<X509Certificate2> DeviceIssuerCertificates => _factory.IssuerChain;

    /// <summary>The rig's test PKI, required cells and consents: what populated the devices, and what checks them.</summary>
    public RigTrustAnchors TrustAnchors => _factory.Anchors;

    /// <summary>The simulated GPIO banks by name, for <c>GpioBackendOptions.SimulatedBanks</c>: the harness opens them as <c>sim:NAME</c>.</summary>
    public IReadOnlyDictionary<string, SimulatedGpioBank> SimulatedBanks => _bench?.Banks ?? new Dictionary<string, SimulatedGpioBank>();

    internal HanBus Han { get; }

    private IEmulatorLog Log { get; }

    public EmulatedDevice this[string name] =>
        Devices.FirstOrDefault(d => d.Name == name)
        ?? throw new KeyNotFoundException($"rig {Definition.Name} has no device named '{name}'; it has {string.Join(", ", Devices.Select(d => d.Name))}");

    /// <summary>A meter of the rig, for its load, register and optical port.</summary>
    public SmartMeter Meter(string name) =>
        this[name] as SmartMeter ?? throw new ArgumentException($"{name} is {Loading.Grammar.A(this[name].Type)}, not a meter (ESME or GSME)", nameof(name));

    /// <summary>
    /// Cuts the wire behind a simulated line, as a loose relay wire would: the harness still drives it, and the
    /// device no longer follows. For showing that the rig self-test reports such a fault.
    /// </summary>
    public void DisconnectLine(string bank, string line) =>
        (_bench ?? throw new InvalidOperationException($"rig {Definition.Name} has no simulated GPIO bank")).Disconnect(bank, line);

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
        var anchors = options.TrustAnchors is { } shared ? Check(shared, definition, options) : RigTrustAnchors.Create(definition.TrustAnchors, options.DccCertificate);
        var ownsAnchors = options.TrustAnchors is null;
        var (factory, ownedIssuer) = Factory(definition, stateDirectory, anchors, options);
        var terminals = new List<PseudoTerminal>();
        var devices = new List<EmulatedDevice>();
        EmulatedRig? rig = null;
        try
        {
            WriteTrustFiles(stateDirectory, factory);
            var wan = options.Wan ?? definition.Wan;
            var wanLine = wan is SerialWan { Port: EmulatedPort } ? PseudoTerminal.Create() : null;
            rig = new EmulatedRig(definition, stateDirectory, factory, ownedIssuer, ownsAnchors, devices, terminals, wanLine, wan, options.Log, options.Clock);
            foreach (var device in definition.Devices)
            {
                devices.Add(rig.Make(device));
            }

            rig._bench = EmulatedBench.Create(definition, devices, options.Log, options.Clock, options.MissingLines);
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
                ownedIssuer?.Dispose();
                if (ownsAnchors)
                {
                    anchors.Dispose();
                }

                foreach (var terminal in terminals)
                {
                    terminal.Dispose();
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Brings one more emulated device to the running rig and powers it on, as an installer brings a meter to a hub that
    /// is already working: it gets its own local port and joins the HAN, and the hub, which stays connected to its WAN,
    /// hears it the next time it asks the HAN who is there. The device is on no relay or input of the bench, whose lines
    /// are the rig file's.
    /// </summary>
    /// <exception cref="ArgumentException">The device is not emulated, is a hub's function (CHF or GPF), is wired to GPIO
    /// lines, or has the name or Device ID of a device already in the rig.</exception>
    public async Task<EmulatedDevice> AddDeviceAsync(DeviceDefinition device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        string? problem = null;
        if (!device.IsEmulated)
        {
            problem = $"{device.Name} is on {device.Port}; only an emulated device ('port: emulated') can be added to rig {Definition.Name}";
        }
        else if (device.Type is DeviceType.CHF or DeviceType.GPF)
        {
            problem = $"{device.Name} is a {device.Type}, which is part of the hub the rig starts with; put it in the rig file instead";
        }
        else if (device.Gpio.Lines.Any())
        {
            problem = $"{device.Name} names GPIO lines ({string.Join(", ", device.Gpio.Lines.Select(l => $"{l.Role} {l.Line}"))}), but the bench of a running rig has only the rig file's lines; add it with no gpio, or put it in the rig file";
        }

        EmulatedDevice added;
        lock (_membersGate)
        {
            if (problem is null && _devices.FirstOrDefault(d => d.Name == device.Name || d.Id == device.Id) is { } taken)
            {
                problem = $"rig {Definition.Name} already has {taken.Name} ({taken.Type} {taken.Id}); give {device.Name} ({device.Type} {device.Id}) another name and Device ID";
            }

            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(device));
            }

            added = Make(device);
            _devices.Add(added);
            Definition = Definition with { Devices = [.. Definition.Devices, device] };
        }

        await added.PowerOnAsync(cancellationToken).ConfigureAwait(false);
        Log.Write("rig", $"{Definition.Name}: {device.Type} {device.Id} added as {device.Name}");
        return added;
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
        if (_bench is not null)
        {
            await _bench.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var device in Devices.OrderBy(d => d.Type == DeviceType.CHF ? 1 : 0))
        {
            await device.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var terminal in _terminals)
        {
            terminal.Dispose();
        }

        _wanLine?.Dispose();
        _ownedIssuer?.Dispose();
        if (_ownsAnchors)
        {
            _factory.Anchors.Dispose();
        }

        Log.Write("rig", $"{Definition.Name} stopped");
    }

    /// <summary>Makes one device of the rig, on its own pseudo-terminal (and one for its optical port), not yet powered on.</summary>
    private EmulatedDevice Make(DeviceDefinition device)
    {
        var terminal = PseudoTerminal.Create();
        PseudoTerminal? optical = device.Optical is EmulatedPort ? PseudoTerminal.Create() : null;
        lock (_membersGate)
        {
            _terminals.Add(terminal);
            if (optical is not null)
            {
                _terminals.Add(optical);
            }
        }

        var context = new DeviceContext(
            device,
            new StateFile(Path.Combine(StateDirectory, $"{device.Name}-{device.Id.Value:X16}.json")),
            _factory,
            Han,
            terminal,
            optical,
            Log,
            _clock);
        return device.Type switch
        {
            DeviceType.CHF => new CommunicationsHubFunction(context, Definition.Gpf?.Id, () => IWanTransport.For(Wan, () => _wanLine!.SlavePath, () => _wanLine!.Master)),
            DeviceType.GPF => new GasProxyFunction(context),
            DeviceType.ESME or DeviceType.GSME => new SmartMeter(context),
            _ => new HanClientDevice(context),
        };
    }

    /// <summary>The files a DCC needs to work with this rig, in the state folder (see <see cref="WriteTrustFiles"/>).</summary>
    public static class TrustFiles
    {
        /// <summary>The devices' certificate issuer, then the root above it: one PEM each, as --wan-device-ca takes them.</summary>
        public const string IssuingCa = "device-ca.issuing.pem";

        public const string RootCa = "device-ca.root.pem";

        /// <summary>The test PKI's Access Control Broker signing certificate and key: the DCC signs commands with them (--wan-cert, --wan-key).</summary>
        public const string DccCertificate = "dcc-acb.cert.pem";

        public const string DccKey = "dcc-acb.key.pem";
    }

    /// <summary>Shared Trust Anchors must be what the rig would have made itself: its settings, and the same DCC certificate.</summary>
    private static RigTrustAnchors Check(RigTrustAnchors shared, RigDefinition definition, EmulatorOptions options)
    {
        if (shared.Settings != definition.TrustAnchors)
        {
            throw new ArgumentException(
                $"the Trust Anchors given for rig {definition.Name} were made for {shared.Settings}, but the rig has {definition.TrustAnchors}; make them with RigTrustAnchors.Create(rig.TrustAnchors, …), or give none",
                nameof(options));
        }

        if (options.DccCertificate is { } dcc && shared.DccCertificate?.Thumbprint != dcc.Thumbprint)
        {
            throw new ArgumentException(
                $"the Trust Anchors given for rig {definition.Name} hold {(shared.DccCertificate is null ? "no DCC certificate" : $"the DCC certificate {shared.DccCertificate.Subject}")}, not the DccCertificate option {dcc.Subject}; make them with the same certificate, or give none",
                nameof(options));
        }

        return shared;
    }

    private static (DeviceFactory Factory, IDisposable? Owned) Factory(RigDefinition definition, string stateDirectory, RigTrustAnchors anchors, EmulatorOptions options)
    {
        if (options.DeviceIssuer is { } given)
        {
            return (new DeviceFactory(anchors, given, [given.IssuerCertificate]), null);
        }

        if (File.Exists(Path.Combine(stateDirectory, "device-ca.key.pem")) && File.Exists(Path.Combine(stateDirectory, "device-ca.cert.pem")))
        {
            var local = LocalCertificateAuthority.LoadOrCreate(stateDirectory, $"SecDcc rig {definition.Name} device CA");
            return (new DeviceFactory(anchors, local, [local.IssuerCertificate]), local);
        }

        var pki = anchors.DeviceIssuer();
        return (new DeviceFactory(anchors, pki, pki.TrustChain), null);
    }

    /// <summary>
    /// Writes what a DCC is given to work with the rig: the device issuers to trust, and (when the devices hold
    /// the test PKI's Access Control Broker Certificate) the key to sign commands with. Test keys, deterministic
    /// from the rig's seed: nothing secret.
    /// </summary>
    private static void WriteTrustFiles(string stateDirectory, DeviceFactory factory)
    {
        var chain = factory.IssuerChain;
        AtomicFile.WriteAllText(Path.Combine(stateDirectory, TrustFiles.IssuingCa), chain[0].ExportCertificatePem() + "\n");
        if (chain.Count > 1)
        {
            AtomicFile.WriteAllText(Path.Combine(stateDirectory, TrustFiles.RootCa), chain[^1].ExportCertificatePem() + "\n");
        }

        if (factory.Anchors.DccCertificate is null)
        {
            var acb = factory.Anchors.Pki.AccessControlBrokerSigning;
            AtomicFile.WriteAllText(Path.Combine(stateDirectory, TrustFiles.DccCertificate), acb.CertificatePem + "\n");
            AtomicFile.WriteAllText(Path.Combine(stateDirectory, TrustFiles.DccKey), acb.PrivateKeyPem + "\n");
        }
    }
}
