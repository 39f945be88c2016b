using System.Security.Cryptography;
using System.Text;

namespace SecDcc.Cli.Ppc;

/// <summary>
/// A combination's identity exactly as the reference DCC computes it (SecDcc.Dcc.Products.CombinationIdentity;
/// docs/decisions/1400): SHA-256 over the distinct models, each as manufacturer, model, hardware and firmware version
/// (NFC, trimmed, inner whitespace collapsed) joined by U+001F, sorted ordinally, under a version line. The CLI does not
/// reference the DCC's assembly, so the form is repeated here; `ppc request` checks the DCC's answer agrees.
/// </summary>
public static class CombinationIdentity
{
    public const string FormVersion = "secdcc-combination-v1";

    public static string Of(IEnumerable<(string Manufacturer, string Model, string HardwareVersion, string FirmwareVersion)> models)
    {
        var lines = models
            .Select(m => string.Join('\u001f', Normalise(m.Manufacturer), Normalise(m.Model), Normalise(m.HardwareVersion), Normalise(m.FirmwareVersion)))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(l => l, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FormVersion + "\n" + string.Join("\n", lines))));
    }

    private static string Normalise(string field) =>
        string.Join(' ', field.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
