using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Bench;

/// <summary>
/// One scenario's bench: an emulated rig from the repository's rigs/ folder (fresh state, its own pseudo-terminals
/// and simulated GPIO bank), the harness's hands on it (relays, pulse inputs, optical ports), and, when asked,
/// the hub pointed at a DCC's SM WAN gateway. Everything is torn down when the scenario ends, with
/// the emulator's log attached as evidence.
/// </summary>
public sealed class BenchWorld(ScenarioContext context) : IAsyncDisposable
{
    /// <summary>A folder holding the rig files, for a run outside the checkout; otherwise the checkout's rigs/.</summary>
    public const string RigsVariable = "SECDCC_RIGS";

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private readonly MemoryEmulatorLog _log = new();
    private EmulatedRig? _rig;
    private BenchHardware? _bench;
    private X509Certificate2? _dccCertificate;
    private string? _state;

    public CancellationToken Ct => _timeout.Token;

    public ScenarioContext Context => context;

    public EmulatedRig Rig => _rig ?? throw new StepArgumentException("No rig is running: a Given step must start one first (Given the emulated rig \"emulated\" is running).");

    public BenchHardware Bench => _bench ?? throw new StepArgumentException("No rig is running: a Given step must start one first.");

    public RigPorts Ports => RigPorts.Of(Rig);

    /// <summary>Starts rigs/NAME.yaml, emulated, in a fresh state folder.</summary>
    /// <param name="missingLines">Lines left out of the simulated bank, as a module without that relay.</param>
    /// <param name="dcc">Point the hub at a DCC's SM WAN gateway instead, its command-signing certificate in the devices' cells; the bench owns the certificate from then on.</param>
    /// <param name="adjust">Changes the rig file's definition before it starts (another DCC's SMI needs the devices under its own IDs).</param>
    public Task StartAsync(string name, IReadOnlySet<string>? missingLines = null,
        (WanConnection Wan, X509Certificate2 Certificate)? dcc = null, Func<RigDefinition, RigDefinition>? adjust = null)
    {
        var definition = Load(name);
        return StartAsync(adjust?.Invoke(definition) ?? definition, missingLines, dcc);
    }

    /// <summary>Starts the rig under test (SECDCC_RIG, secdcc run --rig; rigs/emulated.yaml by default) in a fresh state folder.</summary>
    public Task StartRigUnderTestAsync() => StartAsync(Support.RigUnderTest.Definition);

    private async Task StartAsync(RigDefinition definition, IReadOnlySet<string>? missingLines = null,
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
}
