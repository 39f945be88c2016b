using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki.Certificates;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Smki.Pki;

/// <summary>
/// An SMKI-shaped test PKI: a self-signed Root OCA, an Issuing OCA (role 07), the DCC's Recovery, Access
/// Control Broker, Transitional CoS and WAN Provider Organisation Certificates, and on demand any party's
/// Organisation Certificates and Device Certificates. Every key, serial number and date comes from
/// <see cref="TestPkiOptions"/>, and signatures use RFC 6979 nonces, so one set of options always yields
/// byte-identical certificates (docs/decisions/0901). Not thread-safe; it owns what it issues.
/// </summary>
public sealed class TestPki : IDisposable
{
    /// <summary>The GBCS notAfter of every Device Certificate: 99991231235959Z.</summary>
    public static readonly DateTimeOffset DeviceNotAfter = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    private readonly SeedDerivation _derive;
    private readonly Dictionary<string, IssuedCertificate> _issued = new(StringComparer.Ordinal);

    private TestPki(TestPkiOptions options)
    {
        Options = options;
        _derive = new SeedDerivation(options.Seed);
        var caUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign;
        RootOca = Issue(
            "root-oca",
            SmkiNames.Organisation(RemotePartyRole.Root, options.RootOcaId, options.RootCommonName),
            caUsage,
            issuer: null,
            options.Epoch + options.CaLifetime,
            isCa: true);
        IssuingCa = Issue(
            "issuing-oca",
            SmkiNames.Organisation(RemotePartyRole.IssuingAuthority, options.IssuingAuthorityId, options.IssuingCommonName),
            caUsage,
            RootOca,
            options.Epoch + options.CaLifetime,
            isCa: true);
        Recovery = OrganisationCertificate(RemotePartyRole.Recovery, options.RecoveryId, X509KeyUsageFlags.DigitalSignature, "DCC Recovery");
        AccessControlBrokerSigning = OrganisationCertificate(RemotePartyRole.AccessControlBroker, options.AccessControlBrokerId, X509KeyUsageFlags.DigitalSignature, "DCC ACB");
        AccessControlBrokerKeyAgreement = OrganisationCertificate(RemotePartyRole.AccessControlBroker, options.AccessControlBrokerId, X509KeyUsageFlags.KeyAgreement, "DCC ACB");
        TransitionalCoS = OrganisationCertificate(RemotePartyRole.TransitionalCoS, options.TransitionalCoSId, X509KeyUsageFlags.DigitalSignature, "DCC TransCoS");
        WanProvider = OrganisationCertificate(RemotePartyRole.WanProvider, options.WanProviderId, X509KeyUsageFlags.DigitalSignature, "DCC WAN Provider");
    }

    public static TestPki Create(TestPkiOptions options) => new(options);

    public static TestPki Create(string seed) => new(new TestPkiOptions { Seed = seed });

    public TestPkiOptions Options { get; }

    public IssuedCertificate RootOca { get; }

    public IssuedCertificate IssuingCa { get; }

    public IssuedCertificate Recovery { get; }

    public IssuedCertificate AccessControlBrokerSigning { get; }

    public IssuedCertificate AccessControlBrokerKeyAgreement { get; }

    public IssuedCertificate TransitionalCoS { get; }

    public IssuedCertificate WanProvider { get; }

    /// <summary>Everything issued so far, in issue order.</summary>
    public IReadOnlyCollection<IssuedCertificate> Issued => _issued.Values;

    /// <summary>The DCC's certificates in AC 3.2's kinds, for <see cref="TrustAnchorCheck"/>.</summary>
    public DccCertificates DccCertificates => new(
        [RootOca.Facts],
        [Recovery.Facts],
        [AccessControlBrokerSigning.Facts, AccessControlBrokerKeyAgreement.Facts],
        [TransitionalCoS.Facts],
        [WanProvider.Facts]);

    /// <summary>
    /// The Organisation Certificate of a party in a role with one keyUsage, issued by the Issuing OCA. The same
    /// arguments return the same certificate; <paramref name="variant"/> makes another one (a second
    /// supplier key, a prepayment key).
    /// </summary>
    public IssuedCertificate OrganisationCertificate(RemotePartyRole role, Eui64 entityId, X509KeyUsageFlags keyUsage, string? commonName = null, string? variant = null)
    {
        RequireOneUsage(keyUsage, "an Organisation Certificate");
        var label = $"org-{role.Name()}-{Hex(entityId)}-{UsageSuffix(keyUsage)}{(variant is null ? string.Empty : "-" + variant)}";
        return _issued.TryGetValue(label, out var existing)
            ? existing
            : Issue(label, SmkiNames.Organisation(role, entityId, commonName), keyUsage, IssuingCa, Options.Epoch + Options.OrganisationLifetime, isCa: false);
    }

    /// <summary>A Device Certificate with a key the PKI derives: for emulated devices.</summary>
    public IssuedCertificate DeviceCertificate(Eui64 deviceId, X509KeyUsageFlags keyUsage, string? variant = null)
    {
        RequireOneUsage(keyUsage, "a Device Certificate");
        var label = $"device-{Hex(deviceId)}-{UsageSuffix(keyUsage)}{(variant is null ? string.Empty : "-" + variant)}";
        return _issued.TryGetValue(label, out var existing)
            ? existing
            : Issue(label, SmkiNames.Empty(), keyUsage, IssuingCa, DeviceNotAfter, isCa: false, san: SmkiExtensions.HardwareModuleName(Options.HardwareTypeOid, deviceId));
    }

    /// <summary>
    /// A Device Certificate for a public key the device generated itself (as after 'Issue Security
    /// Credentials'); the serial number comes from the seed, the device id, the key usage and the key.
    /// </summary>
    public X509Certificate2 CertifyDeviceKey(Eui64 deviceId, X509KeyUsageFlags keyUsage, PublicKey publicKey)
    {
        RequireOneUsage(keyUsage, "a Device Certificate");
        var keyId = CertificateFacts.ComputeKeyIdentifier(publicKey);
        var request = new CertificateRequest(SmkiNames.Empty(), publicKey, HashAlgorithmName.SHA256);
        AddExtensions(request, keyUsage, isCa: false, IssuingCa, SmkiExtensions.HardwareModuleName(Options.HardwareTypeOid, deviceId));
        return request.Create(
            IssuingCa.Certificate.SubjectName,
            new DeterministicEcdsaSignatureGenerator(IssuingCa.Key, IssuingCa.PrivateScalar),
            Options.Epoch,
            DeviceNotAfter,
            _derive.SerialNumber($"certify-{Hex(deviceId)}-{UsageSuffix(keyUsage)}-{keyId}"));
    }

    /// <summary>Validates a certificate up to this PKI's Root OCA alone, as a device or the DCC would.</summary>
    public X509ChainStatusFlags Validate(X509Certificate2 certificate, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(RootOca.Certificate);
        chain.ChainPolicy.ExtraStore.Add(IssuingCa.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.Build(certificate);
        return chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
    }

    /// <summary>
    /// Writes every issued certificate as <c>LABEL.pem</c> (the certificate then its chain up to the root),
    /// its key as <c>LABEL.key.pem</c> (PKCS#8), and <c>chain.pem</c> (Issuing OCA, Root OCA).
    /// </summary>
    public IReadOnlyList<string> WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Write(string name, string text)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, text);
            written.Add(path);
        }

        Write("chain.pem", IssuingCa.CertificatePem + "\n" + RootOca.CertificatePem + "\n");
        foreach (var issued in _issued.Values)
        {
            Write($"{issued.Label}.pem", string.Join("\n", ChainOf(issued).Select(c => c.CertificatePem)) + "\n");
            Write($"{issued.Label}.key.pem", issued.PrivateKeyPem + "\n");
        }

        return written;
    }

    public void Dispose()
    {
        foreach (var issued in _issued.Values)
        {
            issued.Dispose();
        }

        _issued.Clear();
    }

    private IEnumerable<IssuedCertificate> ChainOf(IssuedCertificate issued)
    {
        yield return issued;
        if (!ReferenceEquals(issued, RootOca) && !ReferenceEquals(issued, IssuingCa))
        {
            yield return IssuingCa;
        }

        if (!ReferenceEquals(issued, RootOca))
        {
            yield return RootOca;
        }
    }

    private IssuedCertificate Issue(string label, X500DistinguishedName subject, X509KeyUsageFlags keyUsage, IssuedCertificate? issuer, DateTimeOffset notAfter, bool isCa, X509Extension? san = null)
    {
        var scalar = _derive.PrivateScalar(label);
        var key = ECDsa.Create();
        key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        AddExtensions(request, keyUsage, isCa, issuer, san);
        var generator = issuer is null
            ? new DeterministicEcdsaSignatureGenerator(key, scalar)
            : new DeterministicEcdsaSignatureGenerator(issuer.Key, issuer.PrivateScalar);
        var certificate = request.Create(issuer?.Certificate.SubjectName ?? subject, generator, Options.Epoch, notAfter, _derive.SerialNumber(label));
        var issued = new IssuedCertificate(label, certificate, key, scalar);
        _issued.Add(label, issued);
        return issued;
    }

    private void AddExtensions(CertificateRequest request, X509KeyUsageFlags keyUsage, bool isCa, IssuedCertificate? issuer, X509Extension? san)
    {
        if (isCa)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is not null, 0, critical: true));
        }

        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.ShortSha1, critical: false));
        request.CertificateExtensions.Add(SmkiExtensions.CertificatePolicies(Options.PolicyOid));

        // GBCS: every certificate but a self-signed root names its issuer's key, as a keyIdentifier only.
        if (issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuer.Facts.SubjectKeyIdentifier.Bytes));
        }

        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }
    }

    private static void RequireOneUsage(X509KeyUsageFlags keyUsage, string what)
    {
        if (keyUsage is not (X509KeyUsageFlags.DigitalSignature or X509KeyUsageFlags.KeyAgreement))
        {
            throw new ArgumentException($"{what} has exactly one keyUsage, digitalSignature or keyAgreement; got {KeyUsages.Name(keyUsage)}", nameof(keyUsage));
        }
    }

    private static string UsageSuffix(X509KeyUsageFlags keyUsage) => keyUsage == X509KeyUsageFlags.KeyAgreement ? "ka" : "ds";

    private static string Hex(Eui64 id) => id.Value.ToString("X16", CultureInfo.InvariantCulture);
}
