using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecDcc.Duis.Signing;

/// <summary>
/// Writes and compares X.500 names in the RFC 2253 form the DCC's signing tool (Java's
/// X500Principal.getName()) puts in X509IssuerName: most specific RDN first, no space after the comma,
/// e.g. "CN=Z1,OU=07".
/// </summary>
public static class DistinguishedNames
{
    private static readonly Dictionary<string, string> Keywords = new()
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
    };

    public static string ToRfc2253(X500DistinguishedName name)
    {
        // reversed: true puts the last RDN of the encoding first, as RFC 2253 (and Java) write names.
        return string.Join(",", name.EnumerateRelativeDistinguishedNames(reversed: true).Select(FormatRdn));
    }

    private static string FormatRdn(X500RelativeDistinguishedName rdn)
    {
        if (rdn.HasMultipleElements)
        {
            // Multi-valued RDNs do not occur in ZAZ1 names; render them the RFC 2253 way with '+' anyway.
            var reader = new AsnReader(rdn.RawData, AsnEncodingRules.DER);
            var set = reader.ReadSetOf();
            var parts = new List<string>();
            while (set.HasData)
            {
                var seq = set.ReadSequence();
                var oid = seq.ReadObjectIdentifier();
                var value = seq.ReadEncodedValue();
                parts.Add(FormatAttribute(oid, value.Span));
            }
            return string.Join("+", parts);
        }
        var single = new AsnReader(rdn.RawData, AsnEncodingRules.DER).ReadSetOf().ReadSequence();
        var type = single.ReadObjectIdentifier();
        return FormatAttribute(type, single.ReadEncodedValue().Span);
    }

    private static string FormatAttribute(string oid, ReadOnlySpan<byte> encodedValue)
    {
        if (Keywords.TryGetValue(oid, out var keyword) && TryReadString(encodedValue, out var text))
        {
            return keyword + "=" + Escape(text);
        }
        // RFC 2253 2.4: unknown types (or non-string values) are written as the OID and '#' + hex of the BER value.
        return oid + "=#" + Convert.ToHexStringLower(encodedValue);
    }

    private static bool TryReadString(ReadOnlySpan<byte> encoded, out string text)
    {
        text = string.Empty;
        try
        {
            var reader = new AsnReader(encoded.ToArray(), AsnEncodingRules.BER);
            var tag = reader.PeekTag();
            if (tag.TagClass != TagClass.Universal)
            {
                return false;
            }
            var kind = (UniversalTagNumber)tag.TagValue;
            switch (kind)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.BMPString:
                case UniversalTagNumber.T61String:
                case UniversalTagNumber.VisibleString:
                    text = reader.ReadCharacterString(kind);
                    return true;
                default:
                    return false;
            }
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '='
                || (i == 0 && (c == ' ' || c == '#'))
                || (i == value.Length - 1 && c == ' ');
            if (special)
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A comparison key for an RFC 2253-style name as found in X509IssuerName: RDNs split on unescaped
    /// commas, spaces around them dropped, attribute types upper-cased, values compared case-insensitively.
    /// Templates write "CN=U1, OU=07"; the tool writes "CN=Z1,OU=07"; both must match the same issuer.
    /// </summary>
    public static string NormalizeForComparison(string name)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '\\' && i + 1 < name.Length)
            {
                current.Append(c).Append(name[++i]);
                continue;
            }
            if (c is ',' or ';')
            {
                parts.Add(NormalizeRdn(current.ToString()));
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        parts.Add(NormalizeRdn(current.ToString()));
        return string.Join(",", parts);
    }

    private static string NormalizeRdn(string rdn)
    {
        var eq = rdn.IndexOf('=');
        if (eq < 0)
        {
            return rdn.Trim().ToUpperInvariant();
        }
        var type = rdn[..eq].Trim().ToUpperInvariant();
        if (type.StartsWith("OID.", StringComparison.Ordinal))
        {
            type = type[4..];
        }
        foreach (var pair in Keywords)
        {
            if (pair.Key == type)
            {
                type = pair.Value;
            }
        }
        return type + "=" + rdn[(eq + 1)..].Trim().ToUpperInvariant();
    }
}
