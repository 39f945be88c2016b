using System.Xml.Linq;
using static SecDcc.Duis.Messages.XmlWrite;

namespace SecDcc.Duis.Messages;

/// <summary>Replacement organisation certificates (DER), as carried in 6.15.1 and 6.23.</summary>
public sealed record ReplacementCertificates(
    byte[]? DigitalSigningCertificate = null,
    byte[]? KeyAgreementCertificate = null,
    byte[]? KeyAgreementTopUpCertificate = null)
{
    internal IEnumerable<XElement?> ToXml() =>
    [
        Opt("DigitalSigningCertificate", DigitalSigningCertificate),
        Opt("KeyAgreementCertificate", KeyAgreementCertificate),
        Opt("KeyAgreementTopUpCertificate", KeyAgreementTopUpCertificate),
    ];

    internal static ReplacementCertificates Read(SequenceReader r, bool signingRequired) => new(
        signingRequired ? XmlValue.Base64(r.Required("DigitalSigningCertificate"))
            : r.Optional("DigitalSigningCertificate") is { } s ? XmlValue.Base64(s) : null,
        r.Optional("KeyAgreementCertificate") is { } ka ? XmlValue.Base64(ka) : null,
        r.Optional("KeyAgreementTopUpCertificate") is { } top ? XmlValue.Base64(top) : null);
}

/// <summary>6.15.1 Update Security Credentials (KRP): replace a Remote Party's trust anchors on a Device.</summary>
public sealed record UpdateSecurityCredentialsKrp(
    CredentialsRemotePartyRole RemotePartyRole,
    ReplacementCertificates Replacement,
    IReadOnlyList<byte[]> CertificationPathCertificates,
    bool ApplyTimeBasedCpvChecks,
    ulong? RemotePartyFloorSeqNumber = null,
    ulong? RemotePartyPrepaymentTopUpFloorSeqNumber = null,
    DateTimeOffset? ExecutionDateTime = null) : IDuisRequestBody
{
    public const string ElementName = "UpdateSecurityCredentialsKRP";
    public string ServiceReferenceVariant => "6.15.1";

    public XElement ToXml() => E(ElementName,
        Opt("ExecutionDateTime", ExecutionDateTime),
        E("RemotePartyRole", XmlWrite.Enum(RemotePartyRole)),
        Opt("RemotePartyFloorSeqNumber", RemotePartyFloorSeqNumber),
        Opt("RemotePartyPrepaymentTopUpFloorSeqNumber", RemotePartyPrepaymentTopUpFloorSeqNumber),
        E("ReplacementCertificates", E("SupplierOrNetworkOperatorCertificates", Replacement.ToXml())),
        CertificationPath(CertificationPathCertificates),
        E("ApplyTimeBasedCPVChecks", Text(ApplyTimeBasedCpvChecks)));

    internal static XElement CertificationPath(IReadOnlyList<byte[]> certificates) => certificates.Count is < 1 or > 3
        ? throw new ArgumentException($"CertificationPathCertificates holds 1 to 3 certificates; got {certificates.Count}.")
        : E("CertificationPathCertificates", certificates.Select(c => E("Certificate", Text(c))));

    internal static List<byte[]> ReadCertificationPath(XElement element)
    {
        var r = new SequenceReader(element);
        var list = r.Many("Certificate", 1, 3).Select(XmlValue.Base64).ToList();
        r.End();
        return list;
    }

    public static UpdateSecurityCredentialsKrp Read(XElement element)
    {
        var r = new SequenceReader(element);
        var when = r.Optional("ExecutionDateTime") is { } w ? XmlValue.DateTime(w) : (DateTimeOffset?)null;
        var role = XmlValue.Enum<CredentialsRemotePartyRole>(r.Required("RemotePartyRole"));
        var floor = r.Optional("RemotePartyFloorSeqNumber") is { } f ? XmlValue.ULong(f) : (ulong?)null;
        var topUp = r.Optional("RemotePartyPrepaymentTopUpFloorSeqNumber") is { } t ? XmlValue.ULong(t) : (ulong?)null;
        var replacementElement = new SequenceReader(r.Required("ReplacementCertificates"));
        var inner = replacementElement.Required("SupplierOrNetworkOperatorCertificates");
        replacementElement.End();
        var ir = new SequenceReader(inner);
        var replacement = ReplacementCertificates.Read(ir, signingRequired: false);
        ir.End();
        var path = ReadCertificationPath(r.Required("CertificationPathCertificates"));
        var cpv = XmlValue.Bool(r.Required("ApplyTimeBasedCPVChecks"));
        r.End();
        return new UpdateSecurityCredentialsKrp(role, replacement, path, cpv, floor, topUp, when);
    }
}

/// <summary>6.15.2 Update Security Credentials (Device): a Device certificate (DER).</summary>
public sealed record UpdateSecurityCredentialsDevice(byte[] DeviceCertificate) : IDuisRequestBody
{
    public const string ElementName = "UpdateSecurityCredentialsDevice";
    public string ServiceReferenceVariant => "6.15.2";

    public XElement ToXml() => E(ElementName, E("DeviceCertificate", Text(DeviceCertificate)));

    public static UpdateSecurityCredentialsDevice Read(XElement element)
    {
        var r = new SequenceReader(element);
        var body = new UpdateSecurityCredentialsDevice(XmlValue.Base64(r.Required("DeviceCertificate")));
        r.End();
        return body;
    }
}

/// <summary>6.17 Issue Security Credentials.</summary>
public sealed record IssueSecurityCredentials(CredentialType CredentialType) : IDuisRequestBody
{
    public const string ElementName = "IssueSecurityCredentials";
    public string ServiceReferenceVariant => "6.17";

    public XElement ToXml() => E(ElementName, E("CredentialType", XmlWrite.Enum(CredentialType)));

    public static IssueSecurityCredentials Read(XElement element)
    {
        var r = new SequenceReader(element);
        var body = new IssueSecurityCredentials(XmlValue.Enum<CredentialType>(r.Required("CredentialType")));
        r.End();
        return body;
    }
}

/// <summary>6.23 Update Security Credentials (CoS): the new Supplier's certificates, placed by the TransCoS.</summary>
public sealed record UpdateSecurityCredentialsCoS(
    ulong SupplierFloorSeqNumber,
    ReplacementCertificates SupplierReplacement,
    IReadOnlyList<byte[]> CertificationPathCertificates,
    bool ApplyTimeBasedCpvChecks,
    string ImportMpxn,
    ulong? SupplierPrepaymentTopUpFloorSeqNumber = null,
    DateTimeOffset? ExecutionDateTime = null) : IDuisRequestBody
{
    public const string ElementName = "UpdateSecurityCredentialsCoS";
    public string ServiceReferenceVariant => "6.23";

    public XElement ToXml() => SupplierReplacement.DigitalSigningCertificate is null
        ? throw new ArgumentException("6.23 requires the Supplier's DigitalSigningCertificate.")
        : E(ElementName,
            Opt("ExecutionDateTime", ExecutionDateTime),
            E("SupplierFloorSeqNumber", Text(SupplierFloorSeqNumber)),
            Opt("SupplierPrepaymentTopUpFloorSeqNumber", SupplierPrepaymentTopUpFloorSeqNumber),
            E("SupplierReplacementCertificates", SupplierReplacement.ToXml()),
            UpdateSecurityCredentialsKrp.CertificationPath(CertificationPathCertificates),
            E("ApplyTimeBasedCPVChecks", Text(ApplyTimeBasedCpvChecks)),
            E("ImportMPxN", ImportMpxn));

    public static UpdateSecurityCredentialsCoS Read(XElement element)
    {
        var r = new SequenceReader(element);
        var when = r.Optional("ExecutionDateTime") is { } w ? XmlValue.DateTime(w) : (DateTimeOffset?)null;
        var floor = XmlValue.ULong(r.Required("SupplierFloorSeqNumber"));
        var topUp = r.Optional("SupplierPrepaymentTopUpFloorSeqNumber") is { } t ? XmlValue.ULong(t) : (ulong?)null;
        var rr = new SequenceReader(r.Required("SupplierReplacementCertificates"));
        var replacement = ReplacementCertificates.Read(rr, signingRequired: true);
        rr.End();
        var path = UpdateSecurityCredentialsKrp.ReadCertificationPath(r.Required("CertificationPathCertificates"));
        var cpv = XmlValue.Bool(r.Required("ApplyTimeBasedCPVChecks"));
        var mpxn = r.RequiredText("ImportMPxN");
        r.End();
        return new UpdateSecurityCredentialsCoS(floor, replacement, path, cpv, mpxn, topUp, when);
    }
}

/// <summary>6.24.1 Retrieve Device Security Credentials (KRP): one to seven Remote Party Roles.</summary>
public sealed record RetrieveDeviceSecurityCredentialsKrp(IReadOnlyList<CredentialsRemotePartyRole> RemotePartyRoles) : IDuisRequestBody
{
    public const string ElementName = "RetrieveDeviceSecurityCredentialsKRP";
    public string ServiceReferenceVariant => "6.24.1";

    public XElement ToXml() => RemotePartyRoles.Count is < 1 or > 7
        ? throw new ArgumentException($"6.24.1 names 1 to 7 Remote Party Roles; got {RemotePartyRoles.Count}.")
        : E(ElementName, RemotePartyRoles.Select(role => E("RemotePartyRole", XmlWrite.Enum(role))));

    public static RetrieveDeviceSecurityCredentialsKrp Read(XElement element)
    {
        var r = new SequenceReader(element);
        var roles = r.Many("RemotePartyRole", 1, 7).Select(XmlValue.Enum<CredentialsRemotePartyRole>).ToList();
        r.End();
        return new RetrieveDeviceSecurityCredentialsKrp(roles);
    }
}

/// <summary>6.24.2 Retrieve Device Security Credentials (Device).</summary>
public sealed record RetrieveDeviceSecurityCredentialsDevice(CredentialType CredentialType) : IDuisRequestBody
{
    public const string ElementName = "RetrieveDeviceSecurityCredentialsDevice";
    public string ServiceReferenceVariant => "6.24.2";

    public XElement ToXml() => E(ElementName, E("CredentialType", XmlWrite.Enum(CredentialType)));

    public static RetrieveDeviceSecurityCredentialsDevice Read(XElement element)
    {
        var r = new SequenceReader(element);
        var body = new RetrieveDeviceSecurityCredentialsDevice(XmlValue.Enum<CredentialType>(r.Required("CredentialType")));
        r.End();
        return body;
    }
}
