using SecDcc.Smki.Certificates;

namespace SecDcc.Smki.TrustAnchors;

/// <summary>What holds for every device a run checks: the cells table, the DCC's certificates, the known Organisation Certificates and the consents.</summary>
public sealed record TrustAnchorEnvironment(RequiredCellTable RequiredCells, DccCertificates Dcc, KnownCertificates Known, ConsentRegister Consents);

/// <summary>The parties AC 3.2 calls "relevant" for one device. A CHF may have neither.</summary>
public sealed record DeviceParties(Party? ResponsibleSupplier, Party? NetworkOperator);

/// <summary>
/// SEC Appendix AC 3.1–3.2 on what a device reports of its Trust Anchor Cells: every cell the table requires
/// is populated (3.1); each populated cell whose role is in 3.2's table holds a certificate 3.2(a) allows for
/// that role; and that certificate's keyUsage is the cell's (3.2(b)). Occupants are identified by subject key
/// identifier, as the device reports them.
/// </summary>
public sealed class TrustAnchorCheck(TrustAnchorEnvironment environment)
{
    private const string Ac31 = "AC-3.1";
    private const string Ac32A = "AC-3.2(a)";
    private const string Ac32B = "AC-3.2(b)";

    public TrustAnchorEnvironment Environment { get; } = environment;

    public TrustAnchorCheckResult Check(DeviceTrustAnchorReport report, DeviceParties parties)
    {
        var device = report.DeviceName;
        var findings = new List<TrustAnchorFinding>();
        var conforming = new List<CellVerdict>();
        var byCell = report.Cells.GroupBy(c => c.Cell).ToDictionary(g => g.Key, g => g.ToList());

        var required = Environment.RequiredCells.CellsFor(report.DeviceType, report.DeviceModel);
        if (required is null)
        {
            findings.Add(new TrustAnchorFinding(
                Ac31, TrustAnchorFindingKind.NoCellTable, device, null, null, "(no table)",
                $"{device}: {Environment.RequiredCells.Source} has no required cells for device type {report.DeviceType}{(report.DeviceModel is null ? string.Empty : $" or Device Model {report.DeviceModel}")}, so AC 3.1 cannot be checked; add a row (device types there: {string.Join(", ", Environment.RequiredCells.DeviceTypes)}) [{Ac31}]"));
        }

        foreach (var cell in required ?? [])
        {
            if (!byCell.TryGetValue(cell, out var reported))
            {
                findings.Add(new TrustAnchorFinding(
                    Ac31, TrustAnchorFindingKind.MissingCell, device, cell, null, Allowed(report, cell, parties),
                    $"{device}: required cell {cell} was not reported; AC 3.1 requires it populated with {Allowed(report, cell, parties)} (required by {Environment.RequiredCells.Source}) [{Ac31}]"));
            }
            else if (reported.Count == 1 && reported[0].IsEmpty)
            {
                var recovery = cell.Role == RemotePartyRole.Recovery ? "; AC 5.4 has the DCC look for exactly this after commissioning" : string.Empty;
                findings.Add(new TrustAnchorFinding(
                    Ac31, TrustAnchorFindingKind.EmptyCell, device, cell, null, Allowed(report, cell, parties),
                    $"{device}: cell {cell} is empty; AC 3.1 requires it populated with {Allowed(report, cell, parties)}{recovery} [{Ac31}]"));
            }
        }

        foreach (var (cell, reported) in byCell.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            if (reported.Count > 1)
            {
                findings.Add(new TrustAnchorFinding(
                    Ac31, TrustAnchorFindingKind.CellReportedTwice, device, cell, null, Allowed(report, cell, parties),
                    $"{device}: cell {cell} was reported {reported.Count} times ({string.Join("; ", reported.Select(Held))}); a device has one cell per role, keyUsage and cell usage [{Ac31}]"));
                continue;
            }

            if (!reported[0].IsEmpty && RuleOf(cell.Role) is not null)
            {
                CheckOccupant(report, parties, reported[0], findings, conforming);
            }
        }

        return new TrustAnchorCheckResult(device, findings, conforming);
    }

    private void CheckOccupant(DeviceTrustAnchorReport report, DeviceParties parties, ReportedCell reported, List<TrustAnchorFinding> findings, List<CellVerdict> conforming)
    {
        var device = report.DeviceName;
        var cell = reported.Cell;
        var allowed = Allowed(report, cell, parties);
        var held = Held(reported);
        var occupant = reported.SubjectKeyIdentifier is { } keyId ? Environment.Dcc.Find(keyId) ?? Environment.Known.Find(keyId) : null;
        if (occupant is null)
        {
            findings.Add(new TrustAnchorFinding(
                Ac32A, TrustAnchorFindingKind.UnknownCertificate, device, cell, held, allowed,
                $"{device}: cell {cell} holds {held}, which is neither a DCC certificate nor a known Organisation Certificate; allowed: {allowed} [{Ac32A}]"));
            return;
        }

        if (occupant.EntityId != reported.SubjectUniqueId)
        {
            findings.Add(new TrustAnchorFinding(
                Ac32A, TrustAnchorFindingKind.CredentialsMismatch, device, cell, held, allowed,
                $"{device}: cell {cell} names Subject Unique ID {reported.SubjectUniqueId?.ToString() ?? "(none)"} but key identifier {reported.SubjectKeyIdentifier} belongs to {Describe(occupant)}; the cell's credentials must come from one certificate [{Ac32A}]"));
            return;
        }

        var ok = true;
        var basis = Basis(report, cell, parties, occupant);
        if (basis is null)
        {
            ok = false;
            findings.Add(new TrustAnchorFinding(
                Ac32A, TrustAnchorFindingKind.CertificateNotAllowed, device, cell, held, allowed,
                $"{device}: cell {cell} holds {held}, allowed: {allowed} [{Ac32A}]"));
        }

        if (!KeyUsages.SameForCell(cell.KeyUsage, occupant.KeyUsage))
        {
            ok = false;
            findings.Add(new TrustAnchorFinding(
                Ac32B, TrustAnchorFindingKind.KeyUsageMismatch, device, cell, held, $"a certificate with keyUsage {KeyUsages.Name(cell.KeyUsage)}",
                $"{device}: cell {cell} holds {held} whose keyUsage is {KeyUsages.Name(occupant.KeyUsage)}; AC 3.2(b) requires the cell's keyUsage, {KeyUsages.Name(cell.KeyUsage)} [{Ac32B}]"));
        }

        if (ok)
        {
            conforming.Add(new CellVerdict(cell, held, basis!));
        }
    }

    /// <summary>The sub-clause that allows <paramref name="occupant"/> in <paramref name="cell"/>, or null if none does.</summary>
    private string? Basis(DeviceTrustAnchorReport report, TrustAnchorCellId cell, DeviceParties parties, CertificateFacts occupant)
    {
        var dccKind = Environment.Dcc.KindOf(occupant.SubjectKeyIdentifier);
        bool IsSupplier(Party? party) => party is not null && occupant.Role == RemotePartyRole.Supplier && occupant.EntityId == party.Id && dccKind is null;
        bool IsNetworkOperator(Party? party) => party is not null && occupant.Role == RemotePartyRole.NetworkOperator && occupant.EntityId == party.Id && dccKind is null;
        string? Consented()
        {
            if (occupant.Role != RemotePartyRole.Supplier || dccKind is not null || occupant.EntityId is not { } id || id == parties.ResponsibleSupplier?.Id)
            {
                return null;
            }

            return Environment.Consents.Find(report.DeviceId, cell, id) is { } consent ? $"consent recorded: {consent}" : null;
        }

        switch (cell.Role)
        {
            case RemotePartyRole.Supplier:
                return IsSupplier(parties.ResponsibleSupplier) ? $"{Ac32A} Supplier (a): the Responsible Supplier's Organisation Certificate"
                    : dccKind == DccCertificateKind.AccessControlBroker ? $"{Ac32A} Supplier (b): a DCC Access Control Broker Certificate"
                    : Consented() is { } supplierConsent ? $"{Ac32A} Supplier (c): {supplierConsent}"
                    : null;
            case RemotePartyRole.NetworkOperator:
                return IsNetworkOperator(parties.NetworkOperator) ? $"{Ac32A} networkOperator (a): the Network Operator's Organisation Certificate"
                    : IsSupplier(parties.ResponsibleSupplier) ? $"{Ac32A} networkOperator (b): the Responsible Supplier's Organisation Certificate"
                    : Consented() is { } operatorConsent ? $"{Ac32A} networkOperator (c): {operatorConsent}"
                    : dccKind == DccCertificateKind.AccessControlBroker ? $"{Ac32A} networkOperator (d): a DCC Access Control Broker Certificate"
                    : null;
            default:
                return RuleOf(cell.Role) is { } kind && dccKind == kind ? $"{Ac32A} {cell.Role.Name()}: {kind.Article()}" : null;
        }
    }

    /// <summary>The DCC kind a single-certificate role takes; Supplier and NetworkOperator map to ACB (one of their options); null for roles 3.2 does not list.</summary>
    private static DccCertificateKind? RuleOf(RemotePartyRole role) => role switch
    {
        RemotePartyRole.Root => DccCertificateKind.RootOca,
        RemotePartyRole.Recovery => DccCertificateKind.Recovery,
        RemotePartyRole.AccessControlBroker => DccCertificateKind.AccessControlBroker,
        RemotePartyRole.TransitionalCoS => DccCertificateKind.TransitionalCoS,
        RemotePartyRole.WanProvider => DccCertificateKind.WanProvider,
        RemotePartyRole.Supplier or RemotePartyRole.NetworkOperator => DccCertificateKind.AccessControlBroker,
        _ => null,
    };

    /// <summary>AC 3.2(a)'s alternatives for the cell, with this device's parties and consents filled in.</summary>
    private string Allowed(DeviceTrustAnchorReport report, TrustAnchorCellId cell, DeviceParties parties)
    {
        var consents = Environment.Consents.Consents
            .Where(c => c.Device == report.DeviceId && c.Role == cell.Role && (c.KeyUsage is null || c.KeyUsage == cell.KeyUsage))
            .Select(c => Environment.Known.PartyName(RemotePartyRole.Supplier, c.Supplier) is { } name ? $"{name} ({c.Supplier})" : c.Supplier.ToString())
            .ToList();
        var consent = consents.Count == 0 ? "none recorded" : $"recorded for {string.Join(", ", consents)}";
        var supplier = parties.ResponsibleSupplier is { } rs ? $" ({rs.Name}, {rs.Id})" : " (no Responsible Supplier given)";
        var networkOperator = parties.NetworkOperator is { } no ? $" ({no.Name}, {no.Id})" : " (no Network Operator given)";
        return cell.Role switch
        {
            RemotePartyRole.Supplier =>
                $"the Responsible Supplier's Organisation Certificate{supplier}, a DCC ACB Certificate, or another Supplier's with consent — {consent}",
            RemotePartyRole.NetworkOperator =>
                $"the Network Operator's Organisation Certificate{networkOperator}, the Responsible Supplier's{supplier}, another Supplier's with consent — {consent}, or a DCC ACB Certificate",
            _ when RuleOf(cell.Role) is { } kind => kind.Article(),
            _ => "(AC 3.2 lists no certificate for this role)",
        };
    }

    private string Held(ReportedCell reported)
    {
        if (reported.IsEmpty)
        {
            return "nothing";
        }

        var id = reported.SubjectUniqueId?.ToString() ?? "(no Subject Unique ID)";
        var occupant = reported.SubjectKeyIdentifier is { } keyId ? Environment.Dcc.Find(keyId) ?? Environment.Known.Find(keyId) : null;
        return occupant is null
            ? $"{id} (unknown certificate, key identifier {reported.SubjectKeyIdentifier?.ToString() ?? "none"})"
            : $"{id} ({Describe(occupant)})";
    }

    private string Describe(CertificateFacts occupant)
    {
        if (Environment.Dcc.KindOf(occupant.SubjectKeyIdentifier) is { } kind)
        {
            return kind.Title();
        }

        if (occupant.Role is { } role && occupant.EntityId is { } id)
        {
            return Environment.Known.PartyName(role, id) is { } name
                ? $"Organisation Certificate of {name}"
                : $"{RoleTitle(role)} Organisation Certificate of {id}";
        }

        return occupant.ToString();
    }

    private static string RoleTitle(RemotePartyRole role) => role switch
    {
        RemotePartyRole.Supplier => "Supplier",
        RemotePartyRole.NetworkOperator => "Network Operator",
        RemotePartyRole.AccessControlBroker => "Access Control Broker",
        RemotePartyRole.TransitionalCoS => "Transitional CoS",
        RemotePartyRole.WanProvider => "WAN Provider",
        _ => role.Name(),
    };
}
