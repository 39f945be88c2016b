using SecDcc.Dcc.Inventory;
using static SecDcc.Dcc.Inventory.SmiStatus;

namespace SecDcc.Dcc.Rules;

internal static class StatusSets
{
    /// <summary>AC 4.6(a)–(c), 4.8(b): 'pending', 'installed not commissioned' or 'commissioned'.</summary>
    public static readonly SmiStatus[] Joinable = [Pending, InstalledNotCommissioned, Commissioned];

    /// <summary>AC 4.2(b): a CHF may be commissioned from 'pending' or 'installed not commissioned'.</summary>
    public static readonly SmiStatus[] ChfCommissionable = [Pending, InstalledNotCommissioned];

    /// <summary>AC 4.12(b): Commission Device is refused for these.</summary>
    public static readonly SmiStatus[] CommissionRefused = [Commissioned, Decommissioned, Withdrawn, Suspended];

    /// <summary>AC 8.1: reactivation to 'pending' is from these.</summary>
    public static readonly SmiStatus[] Reactivatable = [Decommissioned, Whitelisted, Withdrawn];

    /// <summary>
    /// Statuses a Device leaves only through AC 8.1 (reactivation) or AC 8.3 (end of Suspension); device events
    /// (AC 4.3, 4.4) do not move a Device out of them.
    /// </summary>
    public static readonly SmiStatus[] Inactive = [Decommissioned, Withdrawn, Suspended];

    public static string Names(IEnumerable<SmiStatus> statuses) => string.Join(", ", statuses.Select(s => $"'{s}'"));

    public static string Describe(SmiStatus? status) => status is { } s ? $"'{s}'" : "no SMI Status (Type 2)";
}
