namespace SecDcc.Rigs.Model;

/// <summary>
/// A named departure from conforming behaviour that an emulated Device Model can carry, so the suite can show
/// it catches a non-conforming combination (decision record 0604). Each changes exactly one behaviour.
/// </summary>
public enum QuirkKind
{
    /// <summary>"no-han-alert": the CHF does not raise the AC 4.4 HAN alert after whitelisting.</summary>
    NoHanAlert,

    /// <summary>"wrong-firmware-hash": identity reports a firmware hash that differs from the model file's (the CPL's).</summary>
    WrongFirmwareHash,

    /// <summary>"forgetful-device-log": the Device Log is kept only in RAM, never in the state file, so a restart loses it.</summary>
    ForgetfulDeviceLog,

    /// <summary>"late-responses": command responses are sent after a delay (default 45 s, beyond the DCC's timeout).</summary>
    LateResponses,

    /// <summary>"refuse-type2-join": the meter or GPF refuses to join a Type 2 device.</summary>
    RefuseType2Join,

    /// <summary>"wrong-wan-key": messages for the DCC are signed with a key that is not the one in the Device Certificate.</summary>
    WrongWanKey,

    /// <summary>"pulse-miscount": the pulse LED misses one pulse in every N (default 50) that the register counts.</summary>
    PulseMiscount,

    /// <summary>"wrong-optical-firmware": the optical port reports a firmware version differing from the model file's (the local port's is right).</summary>
    WrongOpticalFirmware,

    /// <summary>"empty-recovery-cell": the recovery Trust Anchor Cell is left empty at population (AC 3.1).</summary>
    EmptyRecoveryCell,

    /// <summary>"wrong-keyusage-cell": the supplier keyAgreement cell holds the Supplier's digitalSignature certificate (AC 3.2(b)).</summary>
    WrongKeyUsageCell,

    /// <summary>"unconsented-supplier-cell": the supplier digitalSignature cell holds another Supplier's certificate, with no consent (AC 3.2(a)).</summary>
    UnconsentedSupplierCell,
}

/// <param name="Every">For "pulse-miscount": one pulse in this many is missed.</param>
public sealed record Quirk(QuirkKind Kind, TimeSpan? Delay = null, int? Every = null)
{
    public static readonly TimeSpan DefaultLateResponseDelay = TimeSpan.FromSeconds(45);

    public const int DefaultMiscountEvery = 50;

    public static IReadOnlyDictionary<string, QuirkKind> Names { get; } = new Dictionary<string, QuirkKind>
    {
        ["no-han-alert"] = QuirkKind.NoHanAlert,
        ["wrong-firmware-hash"] = QuirkKind.WrongFirmwareHash,
        ["forgetful-device-log"] = QuirkKind.ForgetfulDeviceLog,
        ["late-responses"] = QuirkKind.LateResponses,
        ["refuse-type2-join"] = QuirkKind.RefuseType2Join,
        ["wrong-wan-key"] = QuirkKind.WrongWanKey,
        ["pulse-miscount"] = QuirkKind.PulseMiscount,
        ["wrong-optical-firmware"] = QuirkKind.WrongOpticalFirmware,
        ["empty-recovery-cell"] = QuirkKind.EmptyRecoveryCell,
        ["wrong-keyusage-cell"] = QuirkKind.WrongKeyUsageCell,
        ["unconsented-supplier-cell"] = QuirkKind.UnconsentedSupplierCell,
    };

    public string Name => Names.First(p => p.Value == Kind).Key;

    /// <summary>
    /// The clauses each quirk breaks, as the conformance suite observes them through the rig under test (decision
    /// record 0610): a run on a rig whose devices carry quirks must fail exactly the union of these (and their parent
    /// clauses, which a sub-clause's failure fails), so a verdict that differs is a fault of the harness, not news
    /// about the device. An empty list says the suite cannot see the quirk, and why.
    /// </summary>
    public static IReadOnlyDictionary<QuirkKind, QuirkBreaks> Declared { get; } = new Dictionary<QuirkKind, QuirkBreaks>
    {
        [QuirkKind.NoHanAlert] = new(["AC-4.4"],
            "the hub admits the Device to its HAN without the alert, so the SMI never records that it can communicate (AC 4.4)"),
        [QuirkKind.WrongFirmwareHash] = new(["F2.2", "PPC-6.11"],
            "the firmware hash read on a meter's optical port is not the one its Device Model is listed with on the CPL (F2.2), so it is not the tested combination (PPC-6.11)"),
        [QuirkKind.ForgetfulDeviceLog] = new(["AC-4.3", "AC-4.4"],
            "in the power-cut scenarios, which run on the rig under test's first hub and meter, the hub's Device Log as it reports it is not what its state file holds, so after a cut it would not hold the Devices the SMI records in it (AC 4.3, AC 4.4); a meter's log is checked only after a Join, seen as AC 4.7"),
        [QuirkKind.LateResponses] = new(["AC-4.7", "AC-4.12(b)", "AC-4.13"],
            "in the power-cut scenarios, which send real Commands through the DCC to the rig under test's first hub and meter, a meter's Join Service (AC 4.7) and Commission Device (AC 4.13) Responses come after the DCC has stopped waiting, so the request fails, and the Commission Device scenario stops before its AC 4.12(b) check; on a hub every Update HAN Device Log is late, seen as AC 4.3, AC 4.4 and every later step"),
        [QuirkKind.RefuseType2Join] = new([],
            "no scenario joins a Type 2 device to an emulated meter: the power-cut scenarios join only the PPMID (Type 1), and the other scenarios' Join Responses come from test-mode events"),
        [QuirkKind.WrongWanKey] = new(["AC-4.1", "AC-4.2"],
            "the DCC refuses the hub's 'connected' communication as not verified (AC 4.2), so the hub is never connected (AC 4.1), and every scenario that needs a connected hub stops there"),
        [QuirkKind.PulseMiscount] = new(["PPC-6.10"],
            "the bench's pulse count disagrees with the meter's register, the evidence a PPC test relies on (PPC-6.10)"),
        [QuirkKind.WrongOpticalFirmware] = new(["F2.2", "PPC-6.11"],
            "the firmware version read on the optical port is not the one the Device Model is listed with on the CPL (F2.2), so it is not the tested combination (PPC-6.11)"),
        [QuirkKind.EmptyRecoveryCell] = new(["AC-3.1"],
            "a Trust Anchor Cell the device must have is empty (AC 3.1)"),
        [QuirkKind.WrongKeyUsageCell] = new(["AC-3.2(b)"],
            "a cell holds a certificate whose keyUsage is not the cell's (AC 3.2(b))"),
        [QuirkKind.UnconsentedSupplierCell] = new(["AC-3.2(a)"],
            "a supplier cell holds another Supplier's certificate with no consent recorded (AC 3.2(a))"),
    };

    /// <summary>What this quirk declares it breaks.</summary>
    public QuirkBreaks Breaks => Declared[Kind];

    /// <summary>Which kinds of Device Model the quirk can apply to: the behaviour it changes must exist there.</summary>
    public static bool AppliesTo(QuirkKind kind, ModelKind model) => kind switch
    {
        QuirkKind.NoHanAlert => model == ModelKind.CH,
        QuirkKind.ForgetfulDeviceLog or QuirkKind.RefuseType2Join => model is ModelKind.CH or ModelKind.ESME or ModelKind.GSME,
        QuirkKind.WrongWanKey or QuirkKind.LateResponses => model is not (ModelKind.IHD or ModelKind.CAD),
        QuirkKind.PulseMiscount => model == ModelKind.ESME,
        QuirkKind.WrongOpticalFirmware => model is ModelKind.ESME or ModelKind.GSME,

        // The Trust Anchor quirks spoil cells that rigs/trust-anchors/cells.yaml requires of hubs and meters.
        QuirkKind.EmptyRecoveryCell or QuirkKind.WrongKeyUsageCell or QuirkKind.UnconsentedSupplierCell => model is ModelKind.CH or ModelKind.ESME or ModelKind.GSME,
        _ => true,
    };

    public override string ToString() => (Delay, Every) switch
    {
        ({ } d, _) => $"{Name} (delay {d.TotalSeconds:0.###} s)",
        (_, { } n) => $"{Name} (1 in {n})",
        _ => Name,
    };
}

/// <summary>The clauses a quirk breaks (none: the suite cannot observe it), and why.</summary>
public sealed record QuirkBreaks(IReadOnlyList<string> Clauses, string Reason)
{
    public bool Observable => Clauses.Count > 0;
}

/// <summary>The quirks of one Device Model.</summary>
public sealed class QuirkSet
{
    private readonly Dictionary<QuirkKind, Quirk> _quirks;

    public QuirkSet(IEnumerable<Quirk> quirks)
    {
        _quirks = quirks.ToDictionary(q => q.Kind);
    }

    public static QuirkSet None { get; } = new([]);

    public IReadOnlyCollection<Quirk> All => _quirks.Values;

    public bool Has(QuirkKind kind) => _quirks.ContainsKey(kind);

    /// <summary>How long responses are held back, or zero without "late-responses".</summary>
    public TimeSpan ResponseDelay =>
        _quirks.TryGetValue(QuirkKind.LateResponses, out var q) ? q.Delay ?? Quirk.DefaultLateResponseDelay : TimeSpan.Zero;

    /// <summary>One pulse in this many is missed under "pulse-miscount"; null without it.</summary>
    public int? MiscountEvery =>
        _quirks.TryGetValue(QuirkKind.PulseMiscount, out var q) ? q.Every ?? Quirk.DefaultMiscountEvery : null;

    public override string ToString() => _quirks.Count == 0 ? "none" : string.Join(", ", _quirks.Values);
}
