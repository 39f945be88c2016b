using NUnit.Framework;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Support;

/// <summary>A Device the scenario talks about, by the name the Gherkin gives it ("Electricity Smart Meter", "other PPMID").</summary>
public sealed record ScenarioDevice(string Label, string Id, string DeviceType, Generation Generation, DeviceModel Model)
{
    public bool IsHub => DeviceType is "CHF" or "GPF";
    public bool IsSmartMeter => DeviceType is "ESME" or "GSME";
    public bool IsType2 => DeviceType is "IHD" or "CAD";
    public bool IsType1 => DeviceType is "PPMID" or "HCALCS";
    public bool IsGas => DeviceType is "GSME" or "GPF";
}

/// <summary>
/// One scenario's world: its own Parties, Device IDs, Device Models and MPxN ranges, the DCC's interfaces, and the
/// last answer a When step got. Set-up helpers take a Device through the Appendix AC steps to the status a Given
/// names, each step checked, so a set-up the DCC refuses fails loudly with the refusal.
/// </summary>
public sealed class SmiWorld : IDisposable
{
    private readonly Dictionary<string, Actor> _parties = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ScenarioDevice> _devices = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(5));
    private int _mpxnCounter;
    private bool _operatorsRegistered;

    public SmiWorld(ScenarioContext context, TestRunContext testRun)
    {
        Context = context;
        if (!testRun.TryGet<DccRun>(DccRun.Key, out var run) || run is null)
            throw new DccUnavailableException("No DCC was started for this run: the [BeforeTestRun] hook that starts it did not run or failed.");
        Run = run;
        Number = run.Next();
        var http = new DccHttp(run.Http, run.Target, context);
        Client = DccTransport.CreateClient(http, run, testRun, context);
        Admin = new JsonDccAdministration(http);
        Devices = RigDeviceSide.Select(http, run, context);
    }

    public ScenarioContext Context { get; }
    public DccRun Run { get; }
    public long Number { get; }
    public IDccClient Client { get; }
    public IDccAdministration Admin { get; }
    public IDeviceSide Devices { get; }
    public CancellationToken Ct => _timeout.Token;

    /// <summary>A Device Model a step put on (or tried to put on) the CPL during the scenario, for later steps to use.</summary>
    public DeviceModel? NewModel { get; set; }

    /// <summary>The MPAN(s) or MPRN last sent for each Smart Meter, by label.</summary>
    public Dictionary<string, IReadOnlyList<string>> SentMpxns { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The answer to the last request or event a When step sent; Then steps judge it.</summary>
    public DccReply<object?>? Last { get; private set; }

    public DccReply<T> Record<T>(DccReply<T> reply)
    {
        Last = reply.Untyped();
        return reply;
    }

    // ---- parties -----------------------------------------------------------------------------------

    /// <summary>"the Responsible Supplier", "another Supplier", "an Other User", "the Gas Transporter"…</summary>
    public Actor Party(string phrase)
    {
        var name = phrase.Trim();
        foreach (var article in new[] { "the ", "an ", "a " })
            if (name.StartsWith(article, StringComparison.OrdinalIgnoreCase)) { name = name[article.Length..]; break; }
        if (name.Equals("Lead Supplier", StringComparison.OrdinalIgnoreCase)) name = "Responsible Supplier";
        if (_parties.TryGetValue(name, out var known)) return known;
        var role = name.ToLowerInvariant() switch
        {
            "responsible supplier" or "another supplier" or "import supplier" => UserRole.IS,
            "gas supplier" => UserRole.GS,
            "other user" or "testing participant" or "manufacturer" => UserRole.OU,
            "electricity distributor" or "other electricity distributor" => UserRole.ED,
            "gas transporter" => UserRole.GT,
            "registered supplier agent" => UserRole.RSA,
            _ => throw new StepArgumentException($"'{phrase}' is not a party this suite knows: use the Responsible Supplier, the Lead Supplier, another Supplier, the Gas Supplier, an Other User, the Electricity Distributor, the Gas Transporter or a Testing Participant."),
        };
        return _parties[name] = new Actor(Run.NewEui64(), role, name);
    }

    public Actor Supplier => Party("Responsible Supplier");

    // ---- Device Models and the CPL ---------------------------------------------------------------------

    /// <summary>This scenario's own Device Model for a Device Type ("CH" for a Communications Hub); variant 2 differs only in firmware.</summary>
    public DeviceModel ModelFor(string cplType, Generation generation, int variant = 1) =>
        new("SecDcc Test Devices", $"{cplType}-{(generation == Generation.Smets1 ? "S1" : "S2")}-{Run.RunTag:X4}-{Number}", "HW-1.0", $"FW-{variant}.0");

    public static string CplTypeOf(string deviceType) => deviceType is "CHF" or "GPF" ? "CH" : deviceType;

    /// <summary>The CPA expiry the suite gives its models unless a scenario is about expiry: far beyond any clock move a run makes.</summary>
    public static readonly DateOnly FarExpiry = new(2099, 12, 31);

    public Dictionary<string, object?> CplEntry(string cplType, Generation generation, int variant = 1, DateOnly? cpaExpiry = null, System.Security.Cryptography.ECDsa? signer = null) =>
        Run.Panel.Entry(cplType, ModelFor(cplType, generation, variant), generation, cpaExpiry ?? FarExpiry, signer);

    /// <summary>Lists the models on the Panel's CPL and gives the DCC a signed issue if anything changed.</summary>
    public async Task EnsureOnCplAsync(Generation generation, params string[] cplTypes)
    {
        var changed = false;
        foreach (var type in cplTypes)
        {
            var model = ModelFor(type, generation);
            if (Run.Panel.Lists(model)) continue;
            Run.Panel.List(CplEntry(type, generation), model, Number);
            changed = true;
        }
        if (changed) await PublishCplAsync();
    }

    public async Task<DccReply<CplDocumentRecord>> SubmitSignedCplAsync(IEnumerable<Dictionary<string, object?>> entries, System.Security.Cryptography.ECDsa? key = null, long? sequence = null)
    {
        var document = Panel.Sign(Panel.Payload(sequence ?? await NextSequenceAsync(), await Admin.NowAsync(Ct), entries), key ?? Run.Panel.PanelKey);
        return await Admin.SubmitCplAsync(document, Ct);
    }

    public async Task<long> NextSequenceAsync()
    {
        var held = Run.Panel.KnowsSequence ? 0 : (await Admin.ReadCplAsync(Ct)).Document?.Sequence ?? 0;
        return Run.Panel.NextSequence(held);
    }

    /// <summary>Gives the DCC the Panel's current CPL; a refusal of the Panel's own signature means the DCC trusts another Panel key.</summary>
    public async Task PublishCplAsync()
    {
        var reply = await SubmitSignedCplAsync(Run.Panel.Entries());
        if (reply.Refusal is { Clause: "F2.15(a)" } refusal)
            throw new DccUnavailableException($"{Run.Target.Description} does not trust the suite's Panel key ({refusal.Detail}). Set SECDCC_PANEL_KEY to the private key whose public half the DCC was given with --panel-key.");
        Need(reply, "give the DCC the Panel-signed Central Products List");
    }

    /// <summary>Lets the DCC's 24 hours (F2.15(b)) pass on its virtual clock, which also runs its scheduled duties.</summary>
    public Task LetCplTakeEffectAsync() => Admin.AdvanceClockAsync(TimeSpan.FromHours(24), Ct);

    // ---- devices -------------------------------------------------------------------------------------

    private static readonly Dictionary<string, string> TypesByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Electricity Smart Meter"] = "ESME",
        ["Gas Smart Meter"] = "GSME",
        ["Communications Hub Function"] = "CHF",
        ["Gas Proxy Function"] = "GPF",
        ["PPMID"] = "PPMID",
        ["HCALCS"] = "HCALCS",
        ["IHD"] = "IHD",
        ["CAD"] = "CAD",
    };

    public static string TypeOfLabel(string label)
    {
        var name = label.StartsWith("other ", StringComparison.OrdinalIgnoreCase) ? label[6..] : label;
        return TypesByName.TryGetValue(name, out var type) ? type
            : throw new StepArgumentException($"'{label}' is not a Device this suite knows: use {string.Join(", ", TypesByName.Keys)} (optionally 'other …').");
    }

    public bool Has(string label) => _devices.ContainsKey(label);

    public ScenarioDevice Device(string label) =>
        _devices.TryGetValue(label, out var d) ? d
            : throw new StepArgumentException($"The scenario has no {label} yet: a Given step must create it first (known: {string.Join(", ", _devices.Keys)}).");

    /// <summary>Names a Device without adding it to the SMI (for "not listed" cases); creating it later keeps this ID.</summary>
    public ScenarioDevice Declare(string label, Generation generation)
    {
        if (_devices.TryGetValue(label, out var existing)) return existing;
        var type = TypeOfLabel(label);
        return _devices[label] = new ScenarioDevice(label, Run.NewEui64(), type, generation, ModelFor(CplTypeOf(type), generation));
    }

    public ScenarioDevice WithModel(string label, DeviceModel model) => _devices[label] = Device(label) with { Model = model };

    public string NewMpan()
    {
        var n = Interlocked.Increment(ref _mpxnCounter);
        return $"{MpanPrefix}{n:D5}";
    }

    public string NewMprn()
    {
        var n = Interlocked.Increment(ref _mpxnCounter);
        return $"{MprnPrefix}{n:D3}";
    }

    public string MpanPrefix => $"19{Number % 1_000_000:D6}";
    public string MprnPrefix => $"7{Number % 100_000:D5}";

    /// <summary>This scenario's Electricity Distributor and Gas Transporter own its MPAN and MPRN ranges, so their notices are the scenario's alone.</summary>
    public async Task RegisterNetworkOperatorsAsync()
    {
        if (_operatorsRegistered) return;
        Need(await Admin.RegisterNetworkOperatorAsync(false, MpanPrefix, Party("Electricity Distributor").Party, Ct), "register the Electricity Distributor for the scenario's MPANs");
        Need(await Admin.RegisterNetworkOperatorAsync(true, MprnPrefix, Party("Gas Transporter").Party, Ct), "register the Gas Transporter for the scenario's MPRNs");
        _operatorsRegistered = true;
    }

    public async Task<IReadOnlyList<string>?> MpxnsForAsync(ScenarioDevice device)
    {
        if (!device.IsSmartMeter) return null;
        await RegisterNetworkOperatorsAsync();
        IReadOnlyList<string> mpxns = [device.IsGas ? NewMprn() : NewMpan()];
        SentMpxns[device.Label] = mpxns;
        return mpxns;
    }

    public async Task<DeviceRecord> ReadAsync(ScenarioDevice device)
    {
        var reply = await Client.ReadDeviceAsync(device.Id, Ct);
        Assert.That(reply.Accepted, Is.True, $"Read Inventory of the {device.Label} {device.Id}: the DCC answered {reply.Refusal}");
        return reply.Value!;
    }

    // ---- set-up checks ---------------------------------------------------------------------------------

    /// <summary>A set-up step the clause under test relies on; if the DCC refuses it, the scenario stops here, naming the refusal.</summary>
    public static T Need<T>(DccReply<T> reply, string what)
    {
        Assert.That(reply.Accepted, Is.True, $"Set-up could not {what}: the DCC refused {reply.Request} with {reply.Refusal}");
        return reply.Value!;
    }

    public void Dispose()
    {
        (Devices as IDisposable)?.Dispose();
        _timeout.Dispose();
    }
}
