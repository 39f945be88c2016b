using System.Security.Cryptography;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Smki.Certificates;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Rigs.TrustAnchors;

/// <summary>One cell as the harness read it: its role and keyUsage, and the occupant's Entity Identifier and key identifier.</summary>
public sealed record CellReading(TrustAnchorCellId Cell, string Occupant, string KeyIdentifier)
{
    public override string ToString() => $"{Cell,-36} {Occupant,-26} key {KeyIdentifier}";
}

/// <summary>
/// What a device reported of its Trust Anchor Cells over its local port, as <see cref="TrustAnchorCheck"/> reads
/// it: each cell named role/keyUsage with the certificate it holds (or nothing), turned into the cell's occupant
/// (Subject Unique ID) and subject key identifier, as GBCS CS02a reports a cell.
/// </summary>
/// <param name="Skipped">Cells that could not be read as Trust Anchor Cells (a role without a keyUsage), with why.</param>
public sealed record TrustAnchorReading(DeviceTrustAnchorReport Report, IReadOnlyList<CellReading> Cells, IReadOnlyList<string> Skipped)
{
    /// <summary>For the evidence: one line a cell, then what was skipped.</summary>
    public string Describe() =>
        $"{Report.DeviceName} ({Report.DeviceModel}): {Cells.Count} Trust Anchor Cells{Environment.NewLine}" +
        string.Join(Environment.NewLine, Cells.Select(c => "  " + c)) +
        (Skipped.Count == 0 ? string.Empty : Environment.NewLine + string.Join(Environment.NewLine, Skipped.Select(s => "  skipped: " + s)));

    /// <param name="identity">The device's identity report (type and Device Model).</param>
    /// <param name="cells">Its credentials report; the device's own certificate is not a Trust Anchor Cell and is left out.</param>
    public static TrustAnchorReading From(DeviceIdentity identity, IReadOnlyList<CredentialCell> cells)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(cells);
        var reported = new List<ReportedCell>();
        var readings = new List<CellReading>();
        var skipped = new List<string>();
        foreach (var cell in cells.Where(c => c.Name != CredentialCells.DeviceCertificate))
        {
            if (!TrustAnchorCellId.TryParse(cell.Name, out var id, out var why))
            {
                skipped.Add($"'{cell.Name}' ({why}; AC 3.2(b) needs each cell's keyUsage, so name cells as {TrustAnchorCellId.Grammar})");
                continue;
            }

            if (cell.Value.Length == 0)
            {
                reported.Add(ReportedCell.Empty(id));
                readings.Add(new CellReading(id, "(empty)", "-"));
                continue;
            }

            try
            {
                var held = ReportedCell.FromCertificate(id, cell.Value.Span);
                reported.Add(held);
                readings.Add(new CellReading(id, held.SubjectUniqueId?.ToString() ?? "(no Subject Unique ID)", held.SubjectKeyIdentifier?.ToString() ?? "-"));
            }
            catch (SmkiCertificateException e)
            {
                // Not an SMKI certificate: reported by a digest of what the cell holds, which no known certificate has, so the check names it unknown.
                var digest = new KeyIdentifier(SHA256.HashData(cell.Value.Span)[..8]);
                reported.Add(new ReportedCell(id, null, digest));
                readings.Add(new CellReading(id, "(not an SMKI certificate)", $"{digest} (digest)"));
                skipped.Add($"{id}: its content is not an SMKI certificate ({e.Message}); checked as an unknown occupant");
            }
        }

        var model = $"{identity.Model.Manufacturer}/{identity.Model.Model}";
        return new TrustAnchorReading(new DeviceTrustAnchorReport(identity.DeviceId, identity.DeviceType.ToString(), model, reported), readings, skipped);
    }
}
