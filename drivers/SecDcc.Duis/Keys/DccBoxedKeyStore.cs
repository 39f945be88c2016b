using System.Globalization;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.Duis.Signing;

namespace SecDcc.Duis.Keys;

/// <summary>One certificate (and key, where the store has it) from keystore.json.</summary>
public sealed record KeyStoreEntry(
    Eui64 EntityId,
    string KeyUsage,
    BigInteger SerialNumber,
    string Name,
    int Role,
    string CertificatePem,
    string? PrivateKeyPem)
{
    /// <summary>The DCC Boxed XML signing certificates (names xml-sign-… and dsp-xml-sign-…).</summary>
    public bool IsXmlSigning => Name.Contains("xml-sign", StringComparison.Ordinal);

    public X509Certificate2 LoadCertificate() => X509Certificate2.CreateFromPem(CertificatePem);

    public DuisSigningCredentials LoadSigningCredentials() => PrivateKeyPem is null
        ? throw new InvalidOperationException($"Keystore entry {Name} ({EntityId}, serial {SerialNumber}) has no private key, so it cannot sign.")
        : DuisSigningCredentials.FromPem(CertificatePem, PrivateKeyPem);
}

/// <summary>
/// Reads @smartdcc/dccboxed-keystore's keystore.json: { "&lt;eui hex&gt;": { "digitalSignature"|"keyAgreement":
/// { "&lt;serial decimal&gt;": { certificate, privateKey?, name, role } } } }, the ZAZ1 test parties.
/// </summary>
public sealed class DccBoxedKeyStore
{
    private readonly List<KeyStoreEntry> _entries;

    private DccBoxedKeyStore(List<KeyStoreEntry> entries) => _entries = entries;

    public IReadOnlyList<KeyStoreEntry> Entries => _entries;

    public static async Task<DccBoxedKeyStore> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"No keystore at {path}. It ships in @smartdcc/dccboxed-keystore; run 'npm ci --prefix drivers/interop'.", path);
        }
        await using var stream = File.OpenRead(path);
        using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Parse(json.RootElement, path);
    }

    public static DccBoxedKeyStore Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement, "(text)");
    }

    private static DccBoxedKeyStore Parse(JsonElement root, string source)
    {
        var entries = new List<KeyStoreEntry>();
        foreach (var entity in root.EnumerateObject())
        {
            if (!ulong.TryParse(entity.Name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var eui) || entity.Name.Length != 16)
            {
                throw new FormatException($"{source}: key '{entity.Name}' is not an EUI-64 in sixteen hex digits.");
            }
            foreach (var usage in entity.Value.EnumerateObject())
            {
                foreach (var certificate in usage.Value.EnumerateObject())
                {
                    if (!BigInteger.TryParse(certificate.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
                    {
                        throw new FormatException($"{source}: {entity.Name}/{usage.Name}: '{certificate.Name}' is not a decimal serial number.");
                    }
                    var value = certificate.Value;
                    entries.Add(new KeyStoreEntry(
                        new Eui64(eui),
                        usage.Name,
                        serial,
                        Required(value, "name", source, certificate.Name),
                        value.TryGetProperty("role", out var role) ? role.GetInt32() : -1,
                        Required(value, "certificate", source, certificate.Name),
                        value.TryGetProperty("privateKey", out var key) ? key.GetString() : null));
                }
            }
        }
        return new DccBoxedKeyStore(entries);
    }

    private static string Required(JsonElement value, string property, string source, string serial) =>
        value.TryGetProperty(property, out var p) && p.GetString() is { } s
            ? s
            : throw new FormatException($"{source}: certificate {serial} has no '{property}'.");

    /// <summary>The XML signing credentials of a party (its xml-sign certificate).</summary>
    public DuisSigningCredentials GetXmlSigningCredentials(Eui64 party) => FindXmlSigning(party).LoadSigningCredentials();

    /// <summary>
    /// The credentials the DCC Boxed signing tool uses for an originator: its xml-sign certificate where it
    /// has one, otherwise its Z1 organisation digital-signature certificate (as for Supplier 2,
    /// 90-B3-D5-1F-30-03-00-00, which has no xml-sign certificate).
    /// </summary>
    public DuisSigningCredentials GetDuisSigningCredentials(Eui64 party) => FindDuisSigning(party).LoadSigningCredentials();

    public KeyStoreEntry FindDuisSigning(Eui64 party) =>
        _entries.FirstOrDefault(e => e.EntityId == party && e.IsXmlSigning && e.KeyUsage == "digitalSignature")
        ?? _entries.FirstOrDefault(e => e.EntityId == party && e.KeyUsage == "digitalSignature" && e.Name.StartsWith("Z1-", StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"The keystore has no certificate for {party} that can sign DUIS.");

    public KeyStoreEntry FindXmlSigning(Eui64 party) =>
        _entries.FirstOrDefault(e => e.EntityId == party && e.IsXmlSigning && e.KeyUsage == "digitalSignature")
        ?? throw new KeyNotFoundException(
            $"The keystore has no XML signing certificate for {party}; it has them for " +
            string.Join(", ", _entries.Where(e => e.IsXmlSigning).Select(e => e.EntityId).Distinct()) + ".");

    public KeyStoreEntry FindByName(string name) =>
        _entries.FirstOrDefault(e => e.Name == name)
        ?? throw new KeyNotFoundException($"The keystore has no certificate named '{name}'.");

    /// <summary>A resolver that knows every XML signing certificate in the store.</summary>
    public InMemoryCertificateResolver CreateXmlSigningResolver() => CreateResolver(e => e.IsXmlSigning);

    /// <summary>A resolver over the entries the filter picks (e.g. every digital-signature certificate, as the tool trusts its Z1 ones too).</summary>
    public InMemoryCertificateResolver CreateResolver(Func<KeyStoreEntry, bool> filter) =>
        new(_entries.Where(filter).Select(e => e.LoadCertificate()));
}

/// <summary>The ZAZ1 test parties that DCC Boxed and its signing tool know.</summary>
public static class Zaz1Parties
{
    public static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    public static readonly Eui64 NetworkOperator = Eui64.Parse("90-B3-D5-1F-30-02-00-00");
    public static readonly Eui64 Supplier2 = Eui64.Parse("90-B3-D5-1F-30-03-00-00");
    public static readonly Eui64 Dcc = Eui64.Parse("90-B3-D5-1F-30-00-00-02");
    public static readonly Eui64 OtherUser = Eui64.Parse("00-DB-12-34-56-78-00-04");
}
