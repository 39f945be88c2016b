using System.Security.Cryptography;
using System.Text;
using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Products;

/// <summary>
/// The stable identity of a combination of Device Models: SHA-256 over a canonical form, lower-case hex. A PPC or EPC
/// verdict belongs to exactly this identity, so any change of a component (a firmware upgrade, a replaced Device of
/// another model) gives another identity and the verdict stops applying (BEIS consultation 6.11). The CLI computes the
/// same value from a combination file (docs/decisions/1400).
/// </summary>
public static class CombinationIdentity
{
    /// <summary>The version tag at the head of the canonical form; a change to the form must change it.</summary>
    public const string FormVersion = "secdcc-combination-v1";

    public static string Of(IEnumerable<DeviceModel> models) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm(models))));

    /// <summary>
    /// One line per distinct model, fields in a fixed order and separated by U+001F, lines sorted ordinally. Fields are
    /// NFC-normalised with outer whitespace trimmed and inner runs collapsed to one space; case is kept, because the CPL
    /// and the SMI compare models exactly.
    /// </summary>
    public static string CanonicalForm(IEnumerable<DeviceModel> models)
    {
        var lines = models
            .Select(m => string.Join('\u001f', Normalise(m.Manufacturer), Normalise(m.Model), Normalise(m.HardwareVersion), Normalise(m.FirmwareVersion)))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(l => l, StringComparer.Ordinal);
        return FormVersion + "\n" + string.Join("\n", lines);
    }

    public static string Normalise(string field) =>
        string.Join(' ', field.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Whether <paramref name="text"/> looks like an identity (64 lower-case hex digits) rather than a combination key.</summary>
    public static bool IsIdentity(string text) =>
        text.Length == 64 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
