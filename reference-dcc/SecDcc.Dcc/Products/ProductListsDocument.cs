using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Products;

/// <summary>
/// The SMETS1 Eligible and Pending Product Combinations as one document the DCC gives the Panel to publish (BEIS
/// consultation 2.5), signed by the DCC's key. The envelope is the CPL's: <c>{"payload": base64(UTF-8 JSON),
/// "signature": base64(ECDSA P-256/SHA-256 over the payload bytes)}</c>. A PPC entry shows its outcome but never the
/// failures: 6.13 leaves those to the requester alone (docs/decisions/1401).
/// </summary>
public static class ProductListsDocument
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public sealed record Entry(string Identity, IReadOnlyList<DeviceModel> Models, DateTimeOffset AddedAt);

    public sealed record PpcEntry(string Identity, IReadOnlyList<DeviceModel> Models, DateTimeOffset RequestedAt, string Outcome, DateTimeOffset? ConcludedAt);

    public sealed record Lists(DateTimeOffset IssuedAt, IReadOnlyList<Entry> Epc, IReadOnlyList<PpcEntry> Ppc);

    public static Lists Build(DateTimeOffset issuedAt, IReadOnlyList<ProductCombination> epc, IReadOnlyList<PpcRecord> ppc) => new(
        issuedAt,
        epc.Select(c => new Entry(c.Identity, c.Models, c.AddedAt)).ToList(),
        ppc.Select(r => new PpcEntry(r.Identity, r.Models, r.RequestedAt, r.Outcome.ToString(), r.ConcludedAt)).ToList());

    public static string Sign(Lists lists, ECDsa dccKey)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(lists, Json));
        return JsonSerializer.Serialize(new { payload = Convert.ToBase64String(bytes), signature = Convert.ToBase64String(dccKey.SignData(bytes, HashAlgorithmName.SHA256)) });
    }

    /// <summary>Checks the signature with the DCC's public key (PEM) and returns the lists; the error says what is wrong.</summary>
    public static Outcome<Lists> Verify(string envelopeJson, string dccPublicKeyPem)
    {
        byte[] payload, signature;
        try
        {
            using var doc = JsonDocument.Parse(envelopeJson);
            payload = Convert.FromBase64String(doc.RootElement.GetProperty("payload").GetString() ?? "");
            signature = Convert.FromBase64String(doc.RootElement.GetProperty("signature").GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return Refusal.InvalidField("PPC-2.5", "(document)", $"The signed lists must be a JSON object with base64 'payload' and 'signature': {e.Message}");
        }
        using var key = ECDsa.Create();
        key.ImportFromPem(dccPublicKeyPem);
        if (!key.VerifyData(payload, signature, HashAlgorithmName.SHA256))
            return new Refusal("PPC-2.5", "BadSignature", "The signature over the product lists does not verify with the DCC's key: the document was altered or signed by another key.", RefusalKind.Invalid, "signature");
        var lists = JsonSerializer.Deserialize<Lists>(payload, Json);
        return lists is null ? Refusal.InvalidField("PPC-2.5", "payload", "The payload is not a product lists document.") : lists;
    }
}
