using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Products;

/// <summary>
/// The signed CPL document the Panel gives the DCC (F2.14(a)), and its checks (F2.15(a), F2.2, F2.8, AC 2.9).
/// The envelope is <c>{"payload": base64(UTF-8 JSON), "signature": base64(ECDSA P-256/SHA-256 over the payload bytes)}</c>;
/// signing the exact bytes avoids any JSON canonicalisation. docs/decisions/0103-cpl-document.md describes the payload.
/// </summary>
public static class CplDocuments
{
    /// <summary>A verified CPL: its sequence, issue time, entries and the payload text as received.</summary>
    public sealed record Verified(long Sequence, DateTimeOffset IssuedAt, IReadOnlyList<CplEntry> Entries, string Payload);

    /// <summary>Wraps a payload in a Panel-signed envelope (the Panel's side, used by tests and tools).</summary>
    public static string Sign(string payloadJson, ECDsa panelKey)
    {
        var bytes = Encoding.UTF8.GetBytes(payloadJson);
        var signature = panelKey.SignData(bytes, HashAlgorithmName.SHA256);
        return JsonSerializer.Serialize(new { payload = Convert.ToBase64String(bytes), signature = Convert.ToBase64String(signature) });
    }

    /// <summary>The manufacturer's signature over a Firmware Hash (F2.8(b)), base64.</summary>
    public static string SignFirmwareHash(string firmwareHashHex, ECDsa manufacturerKey) =>
        Convert.ToBase64String(manufacturerKey.SignData(Convert.FromHexString(firmwareHashHex), HashAlgorithmName.SHA256));

    /// <summary>A public key as the CPL carries it: SubjectPublicKeyInfo, base64.</summary>
    public static string PublicKeyBase64(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    /// <summary>Checks the envelope's signature against the Panel keys, then every field; the first fault is refused with its field named.</summary>
    public static Outcome<Verified> Verify(string envelopeJson, IReadOnlyList<string> panelKeysPem)
    {
        JsonElement envelope;
        try
        {
            using var doc = JsonDocument.Parse(envelopeJson);
            envelope = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Refusal.InvalidField("F2.14(a)", "(document)", $"The CPL document is not JSON: {e.Message}");
        }
        if (envelope.ValueKind != JsonValueKind.Object)
            return Refusal.InvalidField("F2.14(a)", "(document)", "The CPL document must be a JSON object with 'payload' and 'signature'.");
        if (!TryBase64(envelope, "payload", out var payload, out var payloadError))
            return Refusal.InvalidField("F2.14(a)", "payload", payloadError!);
        if (!TryBase64(envelope, "signature", out var signature, out var signatureError))
            return Refusal.InvalidField("F2.14(a)", "signature", signatureError!);
        if (panelKeysPem.Count == 0)
            return new Refusal("F2.15(a)", "NoPanelKey",
                "The DCC has no Panel public key configured, so it cannot confirm the CPL comes from the Panel; configure one (--panel-key <pem file>).",
                RefusalKind.Conflict, "signature");
        if (!panelKeysPem.Any(pem => VerifiesWith(pem, payload!, signature!)))
            return new Refusal("F2.15(a)", "CplSignatureInvalid",
                "The CPL document's signature is not the Panel's: it does not verify with any configured Panel key over the payload bytes. The DCC keeps using the CPL it already has.",
                RefusalKind.Invalid, "signature");

        string payloadText;
        JsonElement root;
        try
        {
            payloadText = new UTF8Encoding(false, true).GetString(payload!);
            using var doc = JsonDocument.Parse(payloadText);
            root = doc.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            return Refusal.InvalidField("F2.14(a)", "payload", $"The signed CPL payload is not UTF-8 JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
            return Refusal.InvalidField("F2.14(a)", "payload", "The CPL payload must be a JSON object with 'sequence', 'issuedAt' and 'entries'.");
        if (!root.TryGetProperty("sequence", out var seqEl) || seqEl.ValueKind != JsonValueKind.Number || !seqEl.TryGetInt64(out var sequence) || sequence <= 0)
            return Refusal.InvalidField("F2.14(a)", "sequence", "The CPL payload needs 'sequence', a positive whole number that grows with each issue.");
        if (!TryString(root, "issuedAt", out var issuedText) || !DateTimeOffset.TryParse(issuedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var issuedAt))
            return Refusal.InvalidField("F2.14(a)", "issuedAt", "The CPL payload needs 'issuedAt', an ISO 8601 instant such as 2025-01-31T12:00:00Z.");
        if (!root.TryGetProperty("entries", out var entriesEl) || entriesEl.ValueKind != JsonValueKind.Array)
            return Refusal.InvalidField("F2.2", "entries", "The CPL payload needs 'entries', an array of Device Models.");

        var entries = new List<CplEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var e in entriesEl.EnumerateArray())
        {
            var parsed = ParseEntry(e, $"entries[{index}]");
            if (!parsed.IsSuccess)
                return parsed.Refusal!;
            if (!seen.Add(parsed.Value.Model.Key))
                return Refusal.InvalidField("F2.2", $"entries[{index}]", $"Device Model {parsed.Value.Model} is listed twice.");
            entries.Add(parsed.Value);
            index++;
        }
        return new Verified(sequence, issuedAt.ToUniversalTime(), entries, payloadText);
    }

    private static Outcome<CplEntry> ParseEntry(JsonElement e, string at)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return Refusal.InvalidField("F2.2", at, "Each CPL entry is a JSON object.");
        if (!TryString(e, "deviceType", out var deviceType))
            return Missing("F2.2", at, "deviceType", $"the Device Type the model is identified by ({DeviceTypes.Names} or CH)");
        if (deviceType != CplDeviceTypes.CommunicationsHub)
        {
            if (!DeviceTypes.TryParse(deviceType, out var type))
                return Refusal.InvalidField("F2.2", $"{at}.deviceType", $"'{deviceType}' is not a Device Type: use one of {DeviceTypes.Names} or CH.");
            if (type.IsType2())
                return new Refusal("AC-2.9", "Type2OnCpl", $"{at} lists a {type}, a Type 2 Device; a Type 2 Device is not identified in the Central Products List.", RefusalKind.Invalid, $"{at}.deviceType");
        }
        string?[] values = new string?[6];
        string[] names = ["manufacturer", "model", "hardwareVersion", "hardwareReleaseNotes", "firmwareVersion", "firmwareReleaseNotes"];
        string[] clauses = ["F2.2(a)", "F2.2(a)", "F2.2(b)", "F2.2(b)", "F2.2(c)", "F2.2(c)"];
        for (var i = 0; i < names.Length; i++)
        {
            if (!TryString(e, names[i], out values[i]))
                return Missing(clauses[i], at, names[i], "a non-empty string");
        }
        if (!TryString(e, "firmwareHash", out var hash) || hash!.Length != 64 || !hash.All(Uri.IsHexDigit))
            return Missing("F2.2(d)", at, "firmwareHash", "the SHA-256 Firmware Hash of the firmware image, 64 hex digits");
        if (!TryString(e, "manufacturerKey", out var keyText))
            return Missing("F2.8(a)", at, "manufacturerKey", "the manufacturer's ECDSA P-256 public key (SubjectPublicKeyInfo, base64) registered with the entry");
        if (!TryString(e, "firmwareHashSignature", out var hashSigText))
            return Missing("F2.8(b)", at, "firmwareHashSignature", "the manufacturer's signature over the Firmware Hash, base64");
        using (var key = ECDsa.Create())
        {
            try
            {
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(keyText!), out _);
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException)
            {
                return Refusal.InvalidField("F2.8(a)", $"{at}.manufacturerKey", $"The manufacturer key is not a base64 SubjectPublicKeyInfo of an ECDSA key: {ex.Message}");
            }
            if (key.KeySize != 256)
                return Refusal.InvalidField("F2.8(a)", $"{at}.manufacturerKey", $"The manufacturer key is a {key.KeySize}-bit curve; the CPL takes ECDSA P-256 keys.");
            byte[] hashSig;
            try
            {
                hashSig = Convert.FromBase64String(hashSigText!);
            }
            catch (FormatException)
            {
                return Refusal.InvalidField("F2.8(b)", $"{at}.firmwareHashSignature", "The firmware hash signature is not base64.");
            }
            if (!Verify(key, Convert.FromHexString(hash), hashSig))
                return new Refusal("F2.8(c)", "FirmwareHashSignatureInvalid",
                    $"{at}: the Firmware Hash is not signed by the manufacturer key registered with the entry, so the firmware version cannot be on the CPL.",
                    RefusalKind.Invalid, $"{at}.firmwareHashSignature");
        }
        if (!TryString(e, "generation", out var genText) || genText is not ("SMETS1" or "SMETS2+"))
            return Missing("F2.2(e)", at, "generation", "\"SMETS1\" or \"SMETS2+\"");
        var generation = genText == "SMETS1" ? SmetsGeneration.SMETS1 : SmetsGeneration.SMETS2Plus;
        if (!TryString(e, "technicalSpecificationVersion", out var spec))
            return Missing("F2.2(e)", at, "technicalSpecificationVersion", "the version (or effective date) of the SMETS or CHTS");
        var certificates = new List<string>();
        if (e.TryGetProperty("assuranceCertificates", out var certs) && certs.ValueKind != JsonValueKind.Null)
        {
            if (certs.ValueKind != JsonValueKind.Array || certs.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(c.GetString())))
                return Refusal.InvalidField("F2.2(f)", $"{at}.assuranceCertificates", "assuranceCertificates is an array of certificate numbers (strings).");
            certificates.AddRange(certs.EnumerateArray().Select(c => c.GetString()!));
        }
        // SMETS1 Device Models carry no certification of their own (BEIS consultation 2.2); PPMIDs need no CPA
        // Certificate (guide to Section F). Everything else has Assurance Certificates and a CPA expiry.
        if (generation == SmetsGeneration.SMETS2Plus && certificates.Count == 0)
            return Missing("F2.2(f)", at, "assuranceCertificates", "the identification number(s) of the Device Model's Assurance Certificates");
        DateOnly? cpaExpiry = null;
        if (TryString(e, "cpaExpiry", out var cpaText))
        {
            if (!DateOnly.TryParseExact(cpaText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                return Refusal.InvalidField("F2.2(g)", $"{at}.cpaExpiry", $"'{cpaText}' is not a date in the form yyyy-MM-dd.");
            cpaExpiry = d;
        }
        else if (generation == SmetsGeneration.SMETS2Plus && deviceType != nameof(DeviceType.PPMID))
            return Missing("F2.2(g)", at, "cpaExpiry", "the expiry date of the Device Model's CPA Certificate (yyyy-MM-dd)");

        return new CplEntry
        {
            DeviceType = deviceType!,
            Model = new DeviceModel(values[0]!, values[1]!, values[2]!, values[4]!),
            HardwareReleaseNotes = values[3]!,
            FirmwareReleaseNotes = values[5]!,
            FirmwareHash = hash.ToLowerInvariant(),
            FirmwareHashSignature = hashSigText!,
            ManufacturerKey = keyText!,
            Generation = generation,
            TechnicalSpecificationVersion = spec!,
            AssuranceCertificates = certificates,
            CpaExpiry = cpaExpiry,
        };
    }

    private static Refusal Missing(string clause, string at, string field, string expected) =>
        new(clause, "CplFieldMissing", $"{at}.{field} is missing or malformed: expected {expected}. The CPL is refused whole and the DCC keeps the one it has.", RefusalKind.Invalid, $"{at}.{field}");

    private static bool TryString(JsonElement e, string name, out string? value)
    {
        value = null;
        if (!e.TryGetProperty(name, out var p) || p.ValueKind != JsonValueKind.String)
            return false;
        value = p.GetString();
        return !string.IsNullOrWhiteSpace(value);
    }

    private static bool TryBase64(JsonElement e, string name, out byte[]? bytes, out string? error)
    {
        bytes = null;
        if (!TryString(e, name, out var text))
        {
            error = $"The CPL document has no '{name}' (base64).";
            return false;
        }
        try
        {
            bytes = Convert.FromBase64String(text!);
            error = null;
            return true;
        }
        catch (FormatException)
        {
            error = $"The CPL document's '{name}' is not base64.";
            return false;
        }
    }

    private static bool VerifiesWith(string pem, byte[] data, byte[] signature)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return Verify(key, data, signature);
    }

    /// <summary>Accepts IEEE P1363 (r||s) or DER-encoded ECDSA signatures over SHA-256.</summary>
    private static bool Verify(ECDsa key, byte[] data, byte[] signature) =>
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        || key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
}
