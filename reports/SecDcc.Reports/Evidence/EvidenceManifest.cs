using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecDcc.Reports.Evidence;

/// <summary>One file of a pack: its path relative to the pack root ('/' separated), size and SHA-256 (lower-case hex).</summary>
public sealed record EvidenceFile(string Path, long Size, string Sha256);

/// <summary>Who signed a pack, recorded inside the signed manifest so the certificate beside it cannot be swapped.</summary>
public sealed record EvidenceSignerInfo(string Subject, string CertificateSha256);

/// <summary>
/// manifest.json: run metadata and every file of the pack. Its exact bytes are what manifest.sig signs, so it
/// is written once, canonically (indented, UTF-8 without BOM, files in ordinal path order), and never rewritten.
/// </summary>
public sealed record EvidenceManifest(
    string Format,
    DateTimeOffset CreatedAt,
    string ToolVersion,
    string TestingParty,
    IReadOnlyDictionary<string, string> Properties,
    EvidenceSignerInfo Signer,
    string HashAlgorithm,
    IReadOnlyList<EvidenceFile> Files)
{
    public const string CurrentFormat = "secdcc-evidence-pack/1";
    public const string Sha256 = "SHA-256";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        NewLine = "\n",
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Parses manifest bytes; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static EvidenceManifest Parse(ReadOnlySpan<byte> bytes)
    {
        EvidenceManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<EvidenceManifest>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"manifest.json is not a readable evidence manifest: {e.Message}", e);
        }
        if (manifest is null) throw new InvalidDataException("manifest.json is empty (null).");
        if (manifest.Format != CurrentFormat)
            throw new InvalidDataException($"manifest.json has format '{manifest.Format}'; this tool reads '{CurrentFormat}'.");
        if (manifest.HashAlgorithm != Sha256)
            throw new InvalidDataException($"manifest.json uses hash algorithm '{manifest.HashAlgorithm}'; this tool checks {Sha256}.");
        return manifest;
    }
}
