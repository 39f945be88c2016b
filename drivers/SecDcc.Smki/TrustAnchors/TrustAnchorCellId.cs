using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Smki.TrustAnchors;

/// <summary>
/// A Trust Anchor Cell as GBCS identifies it: Remote Party Role, keyUsage and cell usage. Written
/// "supplier/digitalSignature", or "supplier/keyAgreement/prePaymentTopUp" for a non-default cell usage.
/// </summary>
public readonly record struct TrustAnchorCellId(RemotePartyRole Role, X509KeyUsageFlags KeyUsage, CellUsage Usage = CellUsage.Management)
{
    public const string Grammar = "role/keyUsage[/prePaymentTopUp], e.g. supplier/digitalSignature";

    public static TrustAnchorCellId Parse(string text) =>
        TryParse(text, out var cell, out var why) ? cell : throw new FormatException($"'{text}' is not a Trust Anchor Cell: {why}");

    public static bool TryParse(string? text, out TrustAnchorCellId cell, [NotNullWhen(false)] out string? why)
    {
        cell = default;
        var parts = (text ?? string.Empty).Split('/');
        if (parts.Length is < 2 or > 3)
        {
            why = $"write it as {Grammar}";
            return false;
        }

        if (!RemotePartyRoles.TryParseName(parts[0], out var role))
        {
            why = $"'{parts[0]}' is not a Remote Party Role; use one of {RemotePartyRoles.AllNames}";
            return false;
        }

        if (!KeyUsages.TryParseName(parts[1], out var usage) || usage == X509KeyUsageFlags.CrlSign)
        {
            why = $"'{parts[1]}' is not a cell keyUsage; use digitalSignature, keyAgreement or keyCertSign";
            return false;
        }

        var cellUsage = CellUsage.Management;
        if (parts.Length == 3)
        {
            if (parts[2] == "prePaymentTopUp")
            {
                cellUsage = CellUsage.PrePaymentTopUp;
            }
            else if (parts[2] != "management")
            {
                why = $"'{parts[2]}' is not a cell usage; use management (the default) or prePaymentTopUp";
                return false;
            }
        }

        cell = new TrustAnchorCellId(role, usage, cellUsage);
        why = null;
        return true;
    }

    public override string ToString() =>
        Usage == CellUsage.Management
            ? $"{Role.Name()}/{KeyUsages.Name(KeyUsage)}"
            : $"{Role.Name()}/{KeyUsages.Name(KeyUsage)}/prePaymentTopUp";
}
