using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.TrustAnchors;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Bench;

/// <summary>
/// One scenario's bench: an emulated rig from the repository's rigs/ folder (fresh state, its own pseudo-terminals
/// and simulated GPIO bank), the harness's hands on it (relays, pulse inputs, optical ports), and, when asked,
/// a gateway of the bench's own that the hub connects to. Everything is torn down when the scenario ends, with
/// the emulator's log attached as evidence.
/// </summary>
public sealed class BenchWorld(ScenarioContext context) : IAsyncDisposable
{
    /// <summary>A folder holding the rig files, for a run outside the checkout; otherwise the checkout's rigs/.</summary>
    public const string RigsVariable = "SECDCC_RIGS";

    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private readonly MemoryEmulatorLog _log = new();
    private readonly List<WanEvent> _events = [];
    private readonly Lock _eventsGate = new();
    private EmulatedRig? _rig;
    private BenchHardware? _bench;
    private BenchGateway? _gateway;
    private RigTrustAnchors? _gatewayAnchors;
    private WanSession? _session;
    private X509Certificate2? _dccCertificate;
    private string? _state;

    public CancellationToken Ct => _timeout.Token;

    public ScenarioContext Context => context;

    public EmulatedRig Rig => _rig ?? throw new StepArgumentException("No rig is running: a Given step must start one first (Given the emulated rig \"emulated\" is running).");

    public BenchHardware Bench => _bench ?? throw new StepArgumentException("No rig is running: a Given step must start one first.");

    /// <summary>The hub's current session with the bench gateway.</summary>
    public WanSession Session => _session ?? throw new StepArgumentException("The hub is not connected to the bench's gateway: start the rig 'with its hub connected to the bench's own gateway'.");

    public RigPorts Ports => RigPorts.Of(Rig);

    /// <summary>Starts rigs/NAME.yaml, emulated, in a fresh state folder.</summary>
    /// <param name="missingLines">Lines left out of the simulated bank, as a module without that relay.</param>
    /// <param name="withGateway">Point the hub at a gateway of the bench's own and wait for its 'connected' communication.</param>
    /// <param name="dcc">Point the hub at a DCC's SM WAN gateway instead, its command-signing certificate in the devices' cells; the bench owns the certificate from then on.</param>
    /// <param name="adjust">Changes the rig file's definition before it starts (another DCC's SMI needs the devices under its own IDs).</param>
    public Task StartAsync(string name, IReadOnlySet<string>? missingLines = null, bool withGateway = false,
        (WanConnection Wan, X509Certificate2 Certificate)? dcc = null, Func<RigDefinition, RigDefinition>? adjust = null)
    {
        var definition = Load(name);
        return StartAsync(adjust?.Invoke(definition) ?? definition, missingLines, withGateway, dcc);
    }

    /// <summary>Starts the rig under test (SECDCC_RIG, secdcc run --rig; rigs/emulated.yaml by default) in a fresh state folder.</summary>
    public Task StartRigUnderTestAsync() => StartAsync(Support.RigUnderTest.Definition);

    private async Task StartAsync(RigDefinition definition, IReadOnlySet<string>? missingLines = null, bool withGateway = false,
        (WanConnection Wan, X509Certificate2 Certificate)? dcc = null)
    {
        if (_rig is not null)
        {
            throw new StepArgumentException($"The rig {_rig.Definition.Name} is already running in this scenario; a scenario has one bench.");
        }

        if (!definition.IsEmulated)
        {
            throw new StepArgumentException($"{definition.SourcePath} is a real bench; these steps start emulated rigs (rigs/*.yaml with 'port: emulated').");
        }

        _state = Directory.CreateTempSubdirectory($"secdcc-bench-{definition.Name}-").FullName;
        WanConnection wan = new TcpWan("127.0.0.1", 9);
        if (withGateway)
        {
            _gatewayAnchors = RigTrustAnchors.Create(definition.TrustAnchors);
            _gateway = new BenchGateway(_gatewayAnchors, ResponseTimeout);
            wan = _gateway.Wan;
        }

        if (dcc is { } d)
        {
            wan = d.Wan;
            _dccCertificate = d.Certificate;
        }

        _rig = await EmulatedRig.StartAsync(
            definition,
            new EmulatorOptions { StateDirectory = _state, Log = _log, Wan = wan, MissingLines = missingLines ?? new HashSet<string>(), DccCertificate = dcc?.Certificate },
            Ct);
        _bench = new BenchHardware(definition, new BenchOptions { SimulatedBanks = _rig.SimulatedBanks });
        context.Attach($"rig {definition.Name}", $"{definition.SourcePath}, state in {_state}{Environment.NewLine}" +
            string.Join(Environment.NewLine, _rig.Devices.Select(d => $"{d.Name,-14} {d.Type,-6} {d.Id} {d.Model.Manufacturer} {d.Model.Model} firmware {d.Model.FirmwareVersion}, local port {d.LocalPortPath}{(d.OpticalPortPath is { } o ? $", optical port {o}" : string.Empty)}{(d.Quirks.All.Count > 0 ? $", quirks: {d.Quirks}" : string.Empty)}")));
        if (withGateway)
        {
            await AcceptHubAsync();
        }
    }

    /// <summary>Waits for the hub's next connection to the bench gateway and for its 'connected' communication.</summary>
    public async Task<HubConnectedEvent> AcceptHubAsync()
    {
        var gateway = _gateway ?? throw new StepArgumentException("This rig's hub is not pointed at the bench's gateway.");
        var from = EventCount;
        _session = await gateway.AcceptAsync(TimeSpan.FromSeconds(15), Ct);
        var session = _session;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in session.Events.ReadAllAsync(CancellationToken.None))
                {
                    lock (_eventsGate)
                    {
                        _events.Add(e);
                    }
                }
            }
            catch (ChannelClosedException)
            {
                // The session ended; its last events are in.
            }
        });
        return await WaitForEventAsync<HubConnectedEvent>(e => true, "the hub's 'connected' communication (AC 4.1)", from);
    }

    /// <summary>The first event of the kind seen from now on or already seen that matches, within 10 s.</summary>
    public async Task<T> WaitForEventAsync<T>(Func<T, bool> matches, string what, int from = 0)
        where T : WanEvent
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        do
        {
            lock (_eventsGate)
            {
                if (_events.Skip(from).OfType<T>().FirstOrDefault(matches) is { } found)
                {
                    return found;
                }
            }
        }
        while (await Tick(poll, deadline.Token));

        throw new Scenarios.RigFaultException($"{what} did not come within 10 s; the emulator's log:{Environment.NewLine}{string.Join(Environment.NewLine, _log.Lines.TakeLast(30))}");
    }

    /// <summary>How many gateway events have been seen so far, to wait for one that comes after.</summary>
    public int EventCount
    {
        get
        {
            lock (_eventsGate)
            {
                return _events.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        context.Attach("emulator log", _log.ToString());
        if (_bench is not null)
        {
            await _bench.DisposeAsync();
        }

        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        _gatewayAnchors?.Dispose();
        _dccCertificate?.Dispose();
        if (_state is not null && Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }

        _timeout.Dispose();
    }

    /// <summary>rigs/NAME.yaml from SECDCC_RIGS, else from the bundle the suite runs from, else from the checkout it was built in.</summary>
    public static RigDefinition Load(string name)
    {
        var folder = Environment.GetEnvironmentVariable(RigsVariable) is { Length: > 0 } given ? given : Support.SuiteLayout.RigsFolder();
        var path = Path.Combine(folder, name.EndsWith(".yaml", StringComparison.Ordinal) ? name : name + ".yaml");
        if (!File.Exists(path))
        {
            throw new StepArgumentException($"There is no rig file {path}; the rigs are {string.Join(", ", Directory.GetFiles(folder, "*.yaml").Select(Path.GetFileNameWithoutExtension))} (set {RigsVariable} to another folder).");
        }

        try
        {
            return RigFile.Load(path);
        }
        catch (RigFileException e)
        {
            throw new Scenarios.RigFaultException($"The rig file does not load: {e.Message}", e);
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
