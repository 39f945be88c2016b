using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Duis.Keys;

/// <summary>Remote Party Roles as the ZAZ1 organisation certificates carry them (subject OU, two hex digits).</summary>
public enum RemotePartyRole
{
    Root = 0,
    Recovery = 1,
    Supplier = 2,
    NetworkOperator = 3,
    AccessControlBroker = 4,
    TransitionalCoS = 5,
    WanProvider = 6,
    IssuingAuthority = 7,
    LoadController = 8,
    Other = 127,
    /// <summary>OU=87 on the DCC Boxed xml-sign certificates of users.</summary>
    XmlSign = 0x87,
    /// <summary>OU=89 on the DCC's own DSP xml-sign certificate.</summary>
    DccXmlSign = 0x89,
}

/// <summary>What an organisation or device certificate says about its holder.</summary>
public sealed record OrganisationCertificateInfo(
    Eui64? EntityId,
    int? RemotePartyRoleCode,
    X509KeyUsageFlags KeyUsage,
    bool KeyUsageCritical,
    string? CommonName,
    Eui64? DeviceId)
{
    public const string X500UniqueIdentifierOid = "2.5.4.45";
    public const string OrganizationalUnitOid = "2.5.4.11";
    public const string CommonNameOid = "2.5.4.3";
    public const string SubjectAltNameOid = "2.5.29.17";
    public const string HardwareModuleNameOid = "1.3.6.1.5.5.7.8.4";

    /// <summary>The role as a known value, when the OU holds one.</summary>
    public RemotePartyRole? RemotePartyRole =>
        RemotePartyRoleCode is { } code && Enum.IsDefined(typeof(RemotePartyRole), code) ? (RemotePartyRole)code : null;

    /// <summary>
    /// Reads the subject's x500UniqueIdentifier (a BIT STRING holding the EUI-64), the OU (the Remote Party
    /// Role as two hex digits), the CN, keyUsage and, for device certificates, the SAN hardwareModuleName.
    /// </summary>
    public static OrganisationCertificateInfo Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Eui64? entity = null;
        int? role = null;
        string? commonName = null;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }
            var oid = rdn.GetSingleElementType().Value;
            switch (oid)
            {
                case X500UniqueIdentifierOid:
                    entity = ReadUniqueIdentifier(rdn, certificate);
                    break;
                case OrganizationalUnitOid:
                    var ou = rdn.GetSingleElementValue();
                    if (!int.TryParse(ou, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new CryptographicException(
                            $"Certificate {certificate.Subject}: OU '{ou}' is not a Remote Party Role (two hex digits, e.g. 02 for Supplier).");
                    }
                    role = code;
                    break;
                case CommonNameOid:
                    commonName = rdn.GetSingleElementValue();
                    break;
            }
        }

        var keyUsage = X509KeyUsageFlags.None;
        var critical = false;
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509KeyUsageExtension ku)
            {
                keyUsage = ku.KeyUsages;
                critical = ku.Critical;
            }
        }

        return new OrganisationCertificateInfo(entity, role, keyUsage, critical, commonName, ReadHardwareModuleSerial(certificate));
    }

    private static Eui64 ReadUniqueIdentifier(X500RelativeDistinguishedName rdn, X509Certificate2 certificate)
    {
        var sequence = new AsnReader(rdn.RawData, AsnEncodingRules.DER).ReadSetOf().ReadSequence();
        sequence.ReadObjectIdentifier();
        var bits = sequence.ReadBitString(out var unused);
        if (unused != 0 || bits.Length != 8)
        {
            throw new CryptographicException(
                $"Certificate {certificate.Subject}: x500UniqueIdentifier is {bits.Length} bytes with {unused} unused bits; an EUI-64 is 64 bits.");
        }
        return Eui64.FromBytes(bits);
    }

    /// <summary>Device certificates: SAN otherName hardwareModuleName { hwType OID, hwSerialNum OCTET STRING = EUI-64 }.</summary>
    private static Eui64? ReadHardwareModuleSerial(X509Certificate2 certificate)
    {
        var san = certificate.Extensions[SubjectAltNameOid];
        if (san is null)
        {
            return null;
        }
        var names = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                var otherName = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                var typeId = otherName.ReadObjectIdentifier();
                var explicitValue = otherName.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                if (typeId == HardwareModuleNameOid)
                {
                    var hardwareModule = explicitValue.ReadSequence();
                    hardwareModule.ReadObjectIdentifier();
                    var serial = hardwareModule.ReadOctetString();
                    if (serial.Length == 8)
                    {
                        return Eui64.FromBytes(serial);
                    }
                }
            }
            else
            {
                names.ReadEncodedValue();
            }
        }
        return null;
    }
}
