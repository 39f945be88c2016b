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

    /// <summary>"forgetful-device-log": the Device Log is lost when the device restarts.</summary>
    ForgetfulDeviceLog,

    /// <summary>"late-responses": command responses are sent after a delay (default 45 s, beyond the DCC's timeout).</summary>
    LateResponses,

    /// <summary>"refuse-type2-join": the meter or GPF refuses to join a Type 2 device.</summary>
    RefuseType2Join,

    /// <summary>"wrong-wan-key": messages for the DCC are signed with a key that is not the one in the Device Certificate.</summary>
    WrongWanKey,
}

public sealed record Quirk(QuirkKind Kind, TimeSpan? Delay = null)
{
    public static readonly TimeSpan DefaultLateResponseDelay = TimeSpan.FromSeconds(45);

    public static IReadOnlyDictionary<string, QuirkKind> Names { get; } = new Dictionary<string, QuirkKind>
    {
        ["no-han-alert"] = QuirkKind.NoHanAlert,
        ["wrong-firmware-hash"] = QuirkKind.WrongFirmwareHash,
        ["forgetful-device-log"] = QuirkKind.ForgetfulDeviceLog,
        ["late-responses"] = QuirkKind.LateResponses,
        ["refuse-type2-join"] = QuirkKind.RefuseType2Join,
        ["wrong-wan-key"] = QuirkKind.WrongWanKey,
    };

    public string Name => Names.First(p => p.Value == Kind).Key;

    /// <summary>Which kinds of Device Model the quirk can apply to: the behaviour it changes must exist there.</summary>
    public static bool AppliesTo(QuirkKind kind, ModelKind model) => kind switch
    {
        QuirkKind.NoHanAlert => model == ModelKind.CH,
        QuirkKind.ForgetfulDeviceLog or QuirkKind.RefuseType2Join => model is ModelKind.CH or ModelKind.ESME or ModelKind.GSME,
        QuirkKind.WrongWanKey or QuirkKind.LateResponses => model is not (ModelKind.IHD or ModelKind.CAD),
        _ => true,
    };

    public override string ToString() => Delay is { } d ? $"{Name} (delay {d.TotalSeconds:0.###} s)" : Name;
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

    public override string ToString() => _quirks.Count == 0 ? "none" : string.Join(", ", _quirks.Values);
}
