using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Smki;

/// <summary>The keyUsage values a Trust Anchor Cell or SMKI certificate can name, in GBCS spelling.</summary>
public static class KeyUsages
{
    /// <summary>
    /// The bits that distinguish one cell from another. cRLSign is left out: a Root OCA Certificate carries it
    /// beside keyCertSign, and no cell is identified by it (see docs/decisions/0902).
    /// </summary>
    public const X509KeyUsageFlags CellBits =
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.KeyCertSign;

    private static readonly (X509KeyUsageFlags Flag, string Name)[] Names =
    [
        (X509KeyUsageFlags.DigitalSignature, "digitalSignature"),
        (X509KeyUsageFlags.KeyAgreement, "keyAgreement"),
        (X509KeyUsageFlags.KeyCertSign, "keyCertSign"),
        (X509KeyUsageFlags.CrlSign, "cRLSign"),
    ];

    /// <summary>"digitalSignature", "keyCertSign+cRLSign"; "none" when no bit is set.</summary>
    public static string Name(X509KeyUsageFlags usage)
    {
        var parts = Names.Where(n => usage.HasFlag(n.Flag)).Select(n => n.Name).ToList();
        var rest = usage & ~Names.Aggregate(X509KeyUsageFlags.None, (all, n) => all | n.Flag);
        if (rest != X509KeyUsageFlags.None)
        {
            parts.Add(rest.ToString());
        }

        return parts.Count == 0 ? "none" : string.Join("+", parts);
    }

    /// <summary>Parses one GBCS keyUsage name ("digitalSignature", "keyAgreement", "keyCertSign").</summary>
    public static bool TryParseName(string text, out X509KeyUsageFlags usage)
    {
        foreach (var (flag, name) in Names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                usage = flag;
                return true;
            }
        }

        usage = X509KeyUsageFlags.None;
        return false;
    }

    /// <summary>AC 3.2(b): the certificate's keyUsage is the cell's, compared on <see cref="CellBits"/>.</summary>
    public static bool SameForCell(X509KeyUsageFlags cell, X509KeyUsageFlags certificate) =>
        (cell & CellBits) == (certificate & CellBits);
}
