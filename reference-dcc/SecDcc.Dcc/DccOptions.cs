namespace SecDcc.Dcc;

/// <summary>
/// Values the source texts leave open, or that the reference DCC chooses, kept as configuration.
/// docs/decisions/0101-open-values.md says what each default follows.
/// </summary>
public sealed record DccOptions
{
    /// <summary>AC 8.2: a Device that has remained 'pending' this many calendar months is removed from the SMI.</summary>
    public int PendingExpiryMonths { get; init; } = 12;

    /// <summary>F2.4: the months before a CPA Certificate's expiry at which the Parties are notified.</summary>
    public IReadOnlyList<int> CpaExpiryNoticeMonths { get; init; } = [12, 6];

    /// <summary>
    /// F2.15(b): how long after receipt of a verified CPL the SMI is updated. The clause allows up to 24 hours;
    /// zero means at the next run of the scheduled duties.
    /// </summary>
    public TimeSpan CplSmiUpdateDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// AC 3.4(b): the information the DCC requires from the Service Desk contact for SMETS1 Devices of a Device Model,
    /// by Device Model key (manufacturer|model|hardware|firmware) or "*" for every model. The Device ID (3.4(a)) is always required.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ServiceDeskInformationRequired { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>H5 (BEIS consultation 4.8): how a SMETS1 system's combination must match an EPC entry.</summary>
    public EpcMatch EpcMatch { get; init; } = EpcMatch.ContainedInEntry;

    /// <summary>Panel public keys (SubjectPublicKeyInfo, PEM) that may sign the CPL (F2.14(a), F2.15(a)).</summary>
    public IReadOnlyList<string> PanelPublicKeysPem { get; init; } = [];

    /// <summary>
    /// AC 5.4 and 5.7(c): when Service Release 1.3 took effect (or the later date the Secretary of State directed). A Device
    /// Commissioned before it has until 7 days after it for the 5.4 interrogation, and a Response before it to a counted
    /// credential Command is treated as Successfully Executed. Null: no such date is configured, so neither proviso is used.
    /// </summary>
    public DateTimeOffset? ServiceRelease13 { get; init; }

    /// <summary>AC 5.10: how many days after the day it covers a Supplier's daily report stays available; at least 30.</summary>
    public int DailyReportRetentionDays { get; init; } = MinDailyReportRetentionDays;

    public const int MinDailyReportRetentionDays = 30;

    public static readonly TimeSpan MaxCplSmiUpdateDelay = TimeSpan.FromHours(24);

    /// <summary>Checks the values against what the clauses allow; the message names the option and the clause.</summary>
    public void Validate()
    {
        if (CplSmiUpdateDelay < TimeSpan.Zero || CplSmiUpdateDelay > MaxCplSmiUpdateDelay)
            throw new ArgumentOutOfRangeException(nameof(CplSmiUpdateDelay), CplSmiUpdateDelay,
                "CplSmiUpdateDelay must lie between 0 and 24 hours: F2.15(b) allows the DCC up to 24 hours from receipt to update the SMI.");
        if (PendingExpiryMonths <= 0)
            throw new ArgumentOutOfRangeException(nameof(PendingExpiryMonths), PendingExpiryMonths, "PendingExpiryMonths must be positive (AC 8.2 says 12).");
        for (var i = 0; i < PanelPublicKeysPem.Count; i++)
        {
            try
            {
                using var key = System.Security.Cryptography.ECDsa.Create();
                key.ImportFromPem(PanelPublicKeysPem[i]);
            }
            catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                throw new ArgumentException($"Panel public key {i + 1} is not an ECDSA public key in PEM ('-----BEGIN PUBLIC KEY-----'): {e.Message}", nameof(PanelPublicKeysPem), e);
            }
        }
        if (DailyReportRetentionDays < MinDailyReportRetentionDays)
            throw new ArgumentOutOfRangeException(nameof(DailyReportRetentionDays), DailyReportRetentionDays,
                $"DailyReportRetentionDays must be at least {MinDailyReportRetentionDays}: AC 5.10 keeps each daily report available for at least 30 days after its day.");
        if (CpaExpiryNoticeMonths.Any(m => m <= 0))
            throw new ArgumentOutOfRangeException(nameof(CpaExpiryNoticeMonths), "CPA expiry notice months must be positive (F2.4 says 12 and 6).");
    }
}

/// <summary>How a SMETS1 system's set of Device Models is matched against the EPC.</summary>
public enum EpcMatch
{
    /// <summary>The system's models must all lie within one EPC combination (a system still being built has fewer devices than the combination lists).</summary>
    ContainedInEntry,
    /// <summary>The system's models must equal one EPC combination exactly.</summary>
    Exact,
}
