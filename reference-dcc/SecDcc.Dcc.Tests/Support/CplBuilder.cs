using System.Security.Cryptography;
using System.Text.Json;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Products;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Support;

/// <summary>The Panel's and a manufacturer's keys, and CPL entries and signed documents made with them.</summary>
public sealed class CplBuilder : IDisposable
{
    private long _sequence;

    public ECDsa PanelKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public ECDsa ManufacturerKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public string PanelPublicKeyPem => PanelKey.ExportSubjectPublicKeyInfoPem();

    public IReadOnlyList<Dictionary<string, object?>> StandardEntries() =>
    [
        Entry("CH", Smets2Hub), Entry("ESME", Smets2Esme), Entry("GSME", Smets2Gsme), Entry("PPMID", Smets2Ppmid, cpa: false),
        Entry("CH", Smets1Hub, smets1: true), Entry("ESME", Smets1Esme, smets1: true), Entry("GSME", Smets1Gsme, smets1: true), Entry("PPMID", Smets1Ppmid, smets1: true),
    ];

    public Dictionary<string, object?> Entry(string deviceType, DeviceModel model, bool smets1 = false, bool cpa = true, DateOnly? cpaExpiry = null, ECDsa? signer = null)
    {
        var hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("firmware " + model.Key))).ToLowerInvariant();
        var entry = new Dictionary<string, object?>
        {
            ["deviceType"] = deviceType,
            ["manufacturer"] = model.Manufacturer,
            ["model"] = model.Model,
            ["hardwareVersion"] = model.HardwareVersion,
            ["hardwareReleaseNotes"] = "Hardware release notes " + model.HardwareVersion,
            ["firmwareVersion"] = model.FirmwareVersion,
            ["firmwareReleaseNotes"] = "Firmware release notes " + model.FirmwareVersion,
            ["firmwareHash"] = hash,
            ["firmwareHashSignature"] = CplDocuments.SignFirmwareHash(hash, signer ?? ManufacturerKey),
            ["manufacturerKey"] = CplDocuments.PublicKeyBase64(ManufacturerKey),
            ["generation"] = smets1 ? "SMETS1" : "SMETS2+",
            ["technicalSpecificationVersion"] = smets1 ? "SMETS1 v1.2" : (deviceType == "CH" ? "CHTS v1.1" : "SMETS v4.0"),
        };
        if (!smets1)
            entry["assuranceCertificates"] = new[] { "ZA-" + model.Model, "CPA-" + model.Model };
        if (!smets1 && cpa)
            entry["cpaExpiry"] = (cpaExpiry ?? new DateOnly(2031, 1, 1)).ToString("yyyy-MM-dd");
        return entry;
    }

    public string SignedCpl(IEnumerable<Dictionary<string, object?>> entries, DateTimeOffset issuedAt, long? sequence = null, ECDsa? key = null)
    {
        var payload = JsonSerializer.Serialize(new { sequence = sequence ?? ++_sequence, issuedAt = issuedAt.ToString("O"), entries });
        return CplDocuments.Sign(payload, key ?? PanelKey);
    }

    public void Dispose()
    {
        PanelKey.Dispose();
        ManufacturerKey.Dispose();
    }
}
