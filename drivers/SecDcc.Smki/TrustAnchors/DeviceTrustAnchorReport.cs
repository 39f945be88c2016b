using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki.Certificates;

namespace SecDcc.Smki.TrustAnchors;

/// <summary>
/// One Trust Anchor Cell as a device reports it (GBCS CS02a / DUIS 6.24.1 give exactly these: the cell's
/// keyUsage and cell usage, the occupant's Subject Unique ID and Subject Key Identifier). An empty cell has
/// neither identifier.
/// </summary>
public sealed record ReportedCell(TrustAnchorCellId Cell, Eui64? SubjectUniqueId, KeyIdentifier? SubjectKeyIdentifier)
{
    public bool IsEmpty => SubjectUniqueId is null && SubjectKeyIdentifier is null;

    public static ReportedCell Empty(TrustAnchorCellId cell) => new(cell, null, null);

    /// <summary>A cell holding the credentials of <paramref name="occupant"/>.</summary>
    public static ReportedCell Holding(TrustAnchorCellId cell, CertificateFacts occupant) =>
        new(cell, occupant.EntityId, occupant.SubjectKeyIdentifier);

    /// <summary>
    /// A cell whose content the device gives as a whole certificate (as the emulated devices' local port
    /// does); the cell's own keyUsage must still be known, since AC 3.2(b) compares the two.
    /// </summary>
    public static ReportedCell FromCertificate(TrustAnchorCellId cell, ReadOnlySpan<byte> certificateDer) =>
        Holding(cell, CertificateFacts.Read(certificateDer));

    public static ReportedCell Holding(RemotePartyRole role, X509KeyUsageFlags keyUsage, CertificateFacts occupant) =>
        Holding(new TrustAnchorCellId(role, keyUsage), occupant);
}

/// <summary>Everything a device reported of its Trust Anchor Cells, with what it is.</summary>
/// <param name="DeviceType">GBCS/DUIS device type: ESME, GSME, CHF, GPF, PPMID, HCALCS, IHD…</param>
/// <param name="DeviceModel">The Device Model as "manufacturer/model", for per-model cell tables; null when unknown.</param>
public sealed record DeviceTrustAnchorReport(Eui64 DeviceId, string DeviceType, string? DeviceModel, IReadOnlyList<ReportedCell> Cells)
{
    /// <summary>"ESME 00-DB-12-34-56-78-00-03", as findings name the device.</summary>
    public string DeviceName => $"{DeviceType} {DeviceId}";
}
