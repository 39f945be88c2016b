using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Products;

/// <summary>One Service Request or Alert of the PPC test plan that did not do what it should, and why.</summary>
public sealed record PpcFailure(string Step, string Reason);

/// <summary>
/// What the DCC judges a failed PPC test would need (BEIS consultation 6.13): a material change to DCC Systems and
/// processes, a change to the SEC, both, or neither (the problem lies with the Devices and the requester may fix and retry).
/// </summary>
public sealed record PpcJudgement(bool MaterialChangeToDccSystems, bool SecModification)
{
    public bool EndsTheService => MaterialChangeToDccSystems || SecModification;

    public static readonly PpcJudgement None = new(false, false);
}

/// <summary>The outcome of running the PPC test plan against a combination.</summary>
public sealed record PpcTestResult
{
    public required bool Passed { get; init; }
    public IReadOnlyList<PpcFailure> Failures { get; init; } = [];
    public PpcJudgement Judgement { get; init; } = PpcJudgement.None;
    /// <summary>Anything more the DCC can say to help the requester understand the problem (6.13: reasonable support).</summary>
    public string? Explanation { get; init; }
}

public enum PpcOutcome
{
    /// <summary>On the PPC, awaiting or under test.</summary>
    Pending,
    /// <summary>Passed; moved to the EPC.</summary>
    Passed,
    /// <summary>Could not be completed successfully; the requester was told why.</summary>
    NotCompleted,
}

/// <summary>
/// A PPC entry with its history: when it was requested, by whom, and its outcome. The details of a failure are for the
/// requester only (6.13 does not oblige the DCC to share them), so <see cref="Failures"/> is never published.
/// </summary>
public sealed record PpcRecord(
    string Identity,
    string CombinationKey,
    IReadOnlyList<DeviceModel> Models,
    PartyId? Requester,
    DateTimeOffset RequestedAt,
    PpcOutcome Outcome,
    DateTimeOffset? ConcludedAt,
    IReadOnlyList<PpcFailure> Failures,
    PpcJudgement? Judgement);
