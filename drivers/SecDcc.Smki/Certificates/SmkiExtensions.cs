using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;

namespace SecDcc.Smki.Certificates;

/// <summary>The SMKI extensions .NET has no type for: critical certificatePolicies and the hardwareModuleName SAN.</summary>
public static class SmkiExtensions
{
    /// <summary>certificatePolicies with one PolicyInformation and no qualifiers, marked critical as GBCS asks.</summary>
    public static X509Extension CertificatePolicies(string policyOid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(policyOid);
        }

        return new X509Extension(SmkiOids.CertificatePolicies, writer.Encode(), critical: true);
    }

    /// <summary>
    /// subjectAltName with one otherName of type hardwareModuleName { hwType, hwSerialNum = the device's
    /// EUI-64 }, marked critical (the subject is empty, so RFC 5280 requires it).
    /// </summary>
    public static X509Extension HardwareModuleName(string hardwareTypeOid, Eui64 deviceId)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            writer.WriteObjectIdentifier(SmkiOids.HardwareModuleName);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(hardwareTypeOid);
                Span<byte> serial = stackalloc byte[Eui64.Length];
                deviceId.Write(serial);
                writer.WriteOctetString(serial);
            }
        }

        return new X509Extension(SmkiOids.SubjectAltName, writer.Encode(), critical: true);
    }

    /// <summary>The policy OIDs of a certificatePolicies extension.</summary>
    public static IReadOnlyList<string> ReadPolicies(X509Extension extension)
    {
        var policies = new List<string>();
        var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (sequence.HasData)
        {
            policies.Add(sequence.ReadSequence().ReadObjectIdentifier());
        }

        return policies;
    }

    /// <summary>The hwSerialNum of the SAN's hardwareModuleName, or null when the SAN has none.</summary>
    /// <exception cref="SmkiCertificateException">The hardwareModuleName is there but its serial is not 8 bytes.</exception>
    public static (string HardwareType, Eui64 SerialNumber)? ReadHardwareModuleName(X509Extension extension)
    {
        var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (!tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                names.ReadEncodedValue();
                continue;
            }

            var otherName = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
            if (otherName.ReadObjectIdentifier() != SmkiOids.HardwareModuleName)
            {
                continue;
            }

            var module = otherName.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
            var hardwareType = module.ReadObjectIdentifier();
            var serial = module.ReadOctetString();
            if (serial.Length != Eui64.Length)
            {
                throw new SmkiCertificateException(
                    $"the SAN hardwareModuleName hwSerialNum is {serial.Length} bytes; a Device Certificate's is the device's EUI-64 (8 bytes)");
            }

            return (hardwareType, Eui64.Read(serial));
        }

        return null;
    }
}
