namespace SecDcc.Smki.Certificates;

/// <summary>Object identifiers of the SMKI certificate profiles.</summary>
public static class SmkiOids
{
    public const string CommonName = "2.5.4.3";
    public const string OrganizationalUnitName = "2.5.4.11";

    /// <summary>x500UniqueIdentifier: an Organisation Certificate's Entity Identifier (EUI-64), as a BIT STRING.</summary>
    public const string X500UniqueIdentifier = "2.5.4.45";

    /// <summary>id-on-hardwareModuleName (RFC 4108): a Device Certificate's SAN otherName.</summary>
    public const string HardwareModuleName = "1.3.6.1.5.5.7.8.4";

    public const string SubjectAltName = "2.5.29.17";
    public const string CertificatePolicies = "2.5.29.32";

    /// <summary>The policy the ZAZ1 Organisation Certificates of DCC Boxed carry (read from keystore.json).</summary>
    public const string Zaz1OrganisationPolicy = "1.2.826.0.1.8641679.1.2.1.4";

    /// <summary>
    /// The test PKI's own certificate policy and hwType. They sit under the 2.25 (UUID) arc so they need no
    /// registration and cannot be mistaken for an SMKI environment's policy.
    /// </summary>
    public const string TestPkiPolicy = "2.25.216158740373389622593117330150391452467";

    public const string TestPkiHardwareType = "2.25.216158740373389622593117330150391452468";
}
