using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;

namespace SecDcc.Smki.Certificates;

/// <summary>Builds and reads the subject names of SMKI certificates.</summary>
public static class SmkiNames
{
    /// <summary>
    /// CN (optional), OU = the role as two hex digits, then x500UniqueIdentifier = the EUI-64 as a BIT STRING:
    /// the RDN order and string types of the ZAZ1 Organisation Certificates. X500DistinguishedNameBuilder writes
    /// CN and OU; it cannot write a BIT STRING attribute, so that RDN is appended as raw DER.
    /// </summary>
    public static X500DistinguishedName Organisation(RemotePartyRole role, Eui64? entityId, string? commonName)
    {
        // The builder encodes RDNs in the reverse of the order they are added, so OU goes in before CN.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationalUnitName(role.OrganizationalUnit());
        if (!string.IsNullOrEmpty(commonName))
        {
            builder.AddCommonName(commonName);
        }

        var built = builder.Build();
        return entityId is { } id ? AppendUniqueIdentifier(built, id) : built;
    }

    /// <summary>A Device Certificate's subject: the empty name (GBCS: "have an empty SubjectName").</summary>
    public static X500DistinguishedName Empty() => new(new byte[] { 0x30, 0x00 });

    private static X500DistinguishedName AppendUniqueIdentifier(X500DistinguishedName name, Eui64 id)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var rdns = new AsnReader(name.RawData, AsnEncodingRules.DER).ReadSequence();
            while (rdns.HasData)
            {
                writer.WriteEncodedValue(rdns.ReadEncodedValue().Span);
            }

            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(SmkiOids.X500UniqueIdentifier);
                Span<byte> bytes = stackalloc byte[Eui64.Length];
                id.Write(bytes);
                writer.WriteBitString(bytes);
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    /// <summary>The attributes of a name in order, as (OID, encoded value).</summary>
    internal static IEnumerable<(string Oid, ReadOnlyMemory<byte> Value)> Attributes(X500DistinguishedName name)
    {
        var rdns = new AsnReader(name.RawData, AsnEncodingRules.DER).ReadSequence();
        var result = new List<(string, ReadOnlyMemory<byte>)>();
        while (rdns.HasData)
        {
            var set = rdns.ReadSetOf();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                result.Add((oid, attribute.ReadEncodedValue()));
            }
        }

        return result;
    }

    /// <summary>A directory string attribute (UTF8String, PrintableString, …) as text.</summary>
    internal static string ReadText(ReadOnlyMemory<byte> value)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var tag = reader.PeekTag();
        if (tag.TagClass != TagClass.Universal)
        {
            throw new SmkiCertificateException($"a name attribute has tag {tag}, not a universal string type");
        }

        return reader.ReadCharacterString((UniversalTagNumber)tag.TagValue);
    }

    /// <summary>An x500UniqueIdentifier: a BIT STRING of exactly 8 bytes with no unused bits.</summary>
    internal static Eui64 ReadUniqueIdentifier(ReadOnlyMemory<byte> value)
    {
        var bits = new AsnReader(value, AsnEncodingRules.DER).ReadBitString(out var unused);
        if (unused != 0 || bits.Length != Eui64.Length)
        {
            throw new SmkiCertificateException(
                $"the subject x500UniqueIdentifier holds {bits.Length} bytes with {unused} unused bits; an Entity Identifier is 8 whole bytes (an EUI-64)");
        }

        return Eui64.Read(bits);
    }
}
