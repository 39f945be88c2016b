namespace SecDcc.Smki.TrustAnchors;

public enum TrustAnchorFindingKind
{
    /// <summary>The cells table has no row for the device's type (nor a replacing Device Model override).</summary>
    NoCellTable,

    /// <summary>A required cell is not among those the device reported (AC 3.1).</summary>
    MissingCell,

    /// <summary>A required cell is reported but holds nothing (AC 3.1).</summary>
    EmptyCell,

    /// <summary>The device reported one cell more than once, so what it holds is ambiguous.</summary>
    CellReportedTwice,

    /// <summary>The occupant's key identifier is neither a DCC certificate nor a known Organisation Certificate (AC 3.2(a)).</summary>
    UnknownCertificate,

    /// <summary>The reported Subject Unique ID is not that of the certificate with the reported key identifier (AC 3.2(a)).</summary>
    CredentialsMismatch,

    /// <summary>The occupant is a known certificate, but not one AC 3.2(a) allows for the cell's role.</summary>
    CertificateNotAllowed,

    /// <summary>The occupant's keyUsage is not the cell's (AC 3.2(b)).</summary>
    KeyUsageMismatch,
}

/// <summary>
/// One way a device's Trust Anchor Cells fall short of AC 3.1–3.2: the device, the cell, what it held, what
/// was allowed and the sub-clause. <see cref="Message"/> is the report line.
/// </summary>
/// <param name="Clause">"AC-3.1", "AC-3.2(a)" or "AC-3.2(b)", as scenario tags cite clauses.</param>
/// <param name="Held">What the cell held, or null when it was missing or empty.</param>
public sealed record TrustAnchorFinding(
    string Clause,
    TrustAnchorFindingKind Kind,
    string Device,
    TrustAnchorCellId? Cell,
    string? Held,
    string Allowed,
    string Message)
{
    public override string ToString() => Message;
}

/// <summary>A cell the check found in order, and on what ground ("AC-3.2(a) Supplier (c): consent …").</summary>
public sealed record CellVerdict(TrustAnchorCellId Cell, string Held, string Basis)
{
    public override string ToString() => $"{Cell} holds {Held}: {Basis}";
}

/// <summary>What the check found of one device: findings (empty when it conforms) and the cells found in order.</summary>
public sealed record TrustAnchorCheckResult(string Device, IReadOnlyList<TrustAnchorFinding> Findings, IReadOnlyList<CellVerdict> Conforming)
{
    public bool Passed => Findings.Count == 0;

    public override string ToString() =>
        Passed
            ? $"{Device}: every Trust Anchor Cell conforms to AC 3.1–3.2 ({Conforming.Count} checked)"
            : string.Join(Environment.NewLine, Findings.Select(f => f.Message));
}
