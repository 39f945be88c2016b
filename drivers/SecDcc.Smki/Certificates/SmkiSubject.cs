using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;

namespace SecDcc.Smki.Certificates;

/// <summary>
/// Who a certificate names and what it may do, read leniently from any certificate: the subject's Remote Party Role
/// (OU, two hex digits), Entity Identifier (x500UniqueIdentifier), CN, the keyUsage, and for a Device Certificate the
/// device's EUI-64 from the SAN hardwareModuleName. Anything absent is null. The one reader of these fields for both
/// the SMKI checks (<see cref="CertificateFacts"/> adds what only SMKI-shaped certificates have) and DUIS signing
/// certificates, which need not carry a subjectKeyIdentifier.
/// </summary>
/// <param name="RoleCode">The OU as a number; roles without a GBCS name (the ZAZ1 xml-sign OUs 87 and 89) keep their number.</param>
public sealed record SmkiSubject(
    int? RoleCode,
    Eui64? EntityId,
    string? CommonName,
    X509KeyUsageFlags KeyUsage,
    bool KeyUsageCritical,
    Eui64? DeviceId)
{
    /// <summary>The role, when the subject has an OU.</summary>
    public RemotePartyRole? Role => RoleCode is { } code ? (RemotePartyRole)code : null;

    /// <exception cref="SmkiCertificateException">An OU that is not hex, or an x500UniqueIdentifier or hwSerialNum that is not 8 bytes.</exception>
    public static SmkiSubject Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            int? role = null;
            Eui64? entity = null;
            string? commonName = null;
            foreach (var (oid, value) in SmkiNames.Attributes(certificate.SubjectName))
            {
                switch (oid)
                {
                    case SmkiOids.OrganizationalUnitName:
                        var ou = SmkiNames.ReadText(value);
                        role = ou.Length == 2 && int.TryParse(ou, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                            ? code
                            : throw new SmkiCertificateException($"certificate {Describe(certificate)} has subject OU '{ou}'; an SMKI OU is the Remote Party Role as two hex digits, such as 02 for a Supplier");
                        break;
                    case SmkiOids.X500UniqueIdentifier:
                        entity = SmkiNames.ReadUniqueIdentifier(value);
                        break;
                    case SmkiOids.CommonName:
                        commonName = SmkiNames.ReadText(value);
                        break;
                }
            }

            var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            var device = certificate.Extensions[SmkiOids.SubjectAltName] is { } san ? SmkiExtensions.ReadHardwareModuleName(san)?.SerialNumber : null;
            return new SmkiSubject(role, entity, commonName, keyUsage?.KeyUsages ?? X509KeyUsageFlags.None, keyUsage?.Critical ?? false, device);
        }
        catch (AsnContentException e)
        {
            throw new SmkiCertificateException($"certificate {Describe(certificate)} has a subject or subjectAltName that is not valid DER: {e.Message}", e);
        }
    }

    internal static string Describe(X509Certificate2 certificate) =>
        $"serial {certificate.SerialNumber} issued by '{certificate.IssuerName.Name}'";
}
