using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SecDcc.Steps.Support;

/// <summary>
/// The Panel's part (F2.14(a)) and a Manufacturer's (F2.8): the suite keeps the Central Products List the run
/// needs, signs each issue with the Panel's key and each Firmware Hash with the Manufacturer's key. Every issue
/// carries every entry still listed, with a sequence that grows, because the DCC relies on the latest one only (F2.15).
/// </summary>
public sealed class Panel : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, object?>> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _owners = new(StringComparer.Ordinal);
    private long? _sequence;

    private Panel(ECDsa panelKey)
    {
        PanelKey = panelKey;
        PublicKeyPem = panelKey.ExportSubjectPublicKeyInfoPem();
    }

    public ECDsa PanelKey { get; }
    public ECDsa ManufacturerKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public string PublicKeyPem { get; }

    /// <summary>
    /// SECDCC_PANEL_KEY names the PEM private key whose public half a DCC given by SECDCC_DCC_URL trusts; a DCC the
    /// run starts itself gets a fresh key pair.
    /// </summary>
    public static Panel FromEnvironment()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (Environment.GetEnvironmentVariable("SECDCC_PANEL_KEY") is { Length: > 0 } file)
        {
            if (!File.Exists(file))
                throw new DccUnavailableException($"SECDCC_PANEL_KEY points at '{file}', which does not exist; give the Panel's ECDSA P-256 private key in PEM.");
            try
            {
                key.ImportFromPem(File.ReadAllText(file));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new DccUnavailableException($"SECDCC_PANEL_KEY '{file}' is not an ECDSA private key in PEM: {e.Message}", e);
            }
        }
        return new Panel(key);
    }

    public bool Lists(DeviceModel model)
    {
        lock (_gate) return _entries.ContainsKey(model.Key);
    }

    /// <param name="owner">The scenario that needs the entry; its entries leave the list when it ends.</param>
    public void List(Dictionary<string, object?> entry, DeviceModel model, long owner)
    {
        lock (_gate)
        {
            _entries[model.Key] = entry;
            _owners[model.Key] = owner;
        }
    }

    public bool Delist(DeviceModel model)
    {
        lock (_gate)
        {
            _owners.Remove(model.Key);
            return _entries.Remove(model.Key);
        }
    }

    /// <summary>
    /// Drops a finished scenario's models from the next issue. Without this every issue would carry every model the
    /// run ever used and soon outgrow what a DCC accepts in one request; the finished scenario's Devices being
    /// Suspended afterwards concerns nobody.
    /// </summary>
    public void DelistOwner(long owner)
    {
        lock (_gate)
        {
            foreach (var key in _owners.Where(o => o.Value == owner).Select(o => o.Key).ToList())
            {
                _owners.Remove(key);
                _entries.Remove(key);
            }
        }
    }

    /// <summary>Every entry listed now, plus any extra ones for a single issue (which the Panel does not keep).</summary>
    public List<Dictionary<string, object?>> Entries(IEnumerable<Dictionary<string, object?>>? extra = null)
    {
        lock (_gate) return [.. _entries.Values, .. extra ?? []];
    }

    /// <summary>The next sequence number; the first call starts above whatever the DCC already holds.</summary>
    public long NextSequence(long heldByDcc)
    {
        lock (_gate)
        {
            _sequence = Math.Max(_sequence ?? 0, heldByDcc) + 1;
            return _sequence.Value;
        }
    }

    public bool KnowsSequence
    {
        get { lock (_gate) return _sequence is not null; }
    }

    /// <summary>A CPL entry with every F2.2 field, the Firmware Hash signed by <paramref name="signer"/> (the Manufacturer unless given).</summary>
    public Dictionary<string, object?> Entry(string deviceType, DeviceModel model, Generation generation, DateOnly? cpaExpiry, ECDsa? signer = null)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("firmware image " + model.Key)));
        var smets1 = generation == Generation.Smets1;
        var entry = new Dictionary<string, object?>
        {
            ["deviceType"] = deviceType,
            ["manufacturer"] = model.Manufacturer,
            ["model"] = model.Model,
            ["hardwareVersion"] = model.HardwareVersion,
            ["hardwareReleaseNotes"] = "Manufacturer Release Notes, hardware " + model.HardwareVersion,
            ["firmwareVersion"] = model.FirmwareVersion,
            ["firmwareReleaseNotes"] = "Manufacturer Release Notes, firmware " + model.FirmwareVersion,
            ["firmwareHash"] = hash,
            ["firmwareHashSignature"] = Convert.ToBase64String((signer ?? ManufacturerKey).SignData(Convert.FromHexString(hash), HashAlgorithmName.SHA256)),
            ["manufacturerKey"] = Convert.ToBase64String(ManufacturerKey.ExportSubjectPublicKeyInfo()),
            ["generation"] = smets1 ? "SMETS1" : "SMETS2+",
            ["technicalSpecificationVersion"] = smets1 ? "SMETS1 v1.2" : deviceType == "CH" ? "CHTS v1.1" : "SMETS v4.0",
        };
        if (!smets1)
            entry["assuranceCertificates"] = new[] { "ZIGBEE-" + model.Model, "CPA-" + model.Model };
        if (!smets1 && cpaExpiry is { } expiry)
            entry["cpaExpiry"] = expiry.ToString("yyyy-MM-dd");
        return entry;
    }

    /// <summary>The signed envelope: the payload's exact bytes and an ECDSA P-256/SHA-256 signature over them.</summary>
    public static string Sign(string payloadJson, ECDsa key)
    {
        var bytes = Encoding.UTF8.GetBytes(payloadJson);
        return JsonSerializer.Serialize(new { payload = Convert.ToBase64String(bytes), signature = Convert.ToBase64String(key.SignData(bytes, HashAlgorithmName.SHA256)) });
    }

    public static string Payload(long sequence, DateTimeOffset issuedAt, IEnumerable<Dictionary<string, object?>> entries) =>
        JsonSerializer.Serialize(new { sequence, issuedAt = issuedAt.ToString("O"), entries });

    public void Dispose()
    {
        PanelKey.Dispose();
        ManufacturerKey.Dispose();
    }
}
