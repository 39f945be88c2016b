using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Rigs.Model;
using SecDcc.Smki;
using SecDcc.Smki.Certificates;
using SecDcc.Smki.Pki;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Rigs.TrustAnchors;

/// <summary>
/// The credentials of a rig's emulated devices, and what the harness needs to judge them: the test PKI seeded
/// by the rig (so the same rig always yields the same certificates), the required-cells table, the consents,
/// and the DCC's own command-signing certificate when a DCC brings one (docs/decisions/1301).
/// </summary>
/// <remarks>
/// The emulator uses it to populate each device at its first power-up; the harness builds the same one from the
/// same rig file, in whatever process it runs, to check what the devices report. Its methods take a lock, because
/// <see cref="TestPki"/> is not thread-safe, so rigs may share one (<see cref="Emulation.EmulatorOptions.TrustAnchors"/>);
/// use <see cref="Pki"/> itself from one thread.
/// </remarks>
public sealed class RigTrustAnchors : IDisposable
{
    private readonly Lock _gate = new();

    private RigTrustAnchors(TrustAnchorSettings settings, TestPki pki, RequiredCellTable? table, ConsentRegister consents, X509Certificate2? dccCertificate)
    {
        Settings = settings;
        Pki = pki;
        Table = table;
        Consents = consents;
        DccCertificate = dccCertificate;
    }

    public TrustAnchorSettings Settings { get; }

    public TestPki Pki { get; }

    /// <summary>The required cells per device type; null when the rig names no table (devices then get only the command-signing cell).</summary>
    public RequiredCellTable? Table { get; }

    public ConsentRegister Consents { get; }

    /// <summary>The DCC's command-signing certificate, which takes the accessControlBroker/digitalSignature cell instead of the PKI's when given.</summary>
    public X509Certificate2? DccCertificate { get; }

    /// <exception cref="TrustAnchorDataException">The cells table or consents file is wrong; the message lists each problem with its line.</exception>
    public static RigTrustAnchors Create(TrustAnchorSettings settings, X509Certificate2? dccCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var table = settings.CellsFile is { } cells ? RequiredCellTable.Load(cells) : null;
        var consents = settings.ConsentsFile is { } file ? ConsentRegister.Load(file) : ConsentRegister.None;
        return new RigTrustAnchors(settings, TestPki.Create(settings.Seed), table, consents, dccCertificate);
    }

    /// <summary>"manufacturer/model", as the cells table and the check name a Device Model.</summary>
    public static string ModelName(DeviceModelDefinition model) => $"{model.Manufacturer}/{model.Model}";

    /// <summary>The issuer of the devices' certificates and the chain a verifier must trust (Issuing OCA, Root OCA).</summary>
    public TestPkiDeviceIssuer DeviceIssuer() => new(this);

    /// <summary>A new device's key and Device Certificate, both derived from the seed and the device's EUI-64.</summary>
    public (ECDsa Key, X509Certificate2 Certificate) DeviceCredentials(Drivers.Link.Eui64 deviceId)
    {
        lock (_gate)
        {
            var issued = Pki.DeviceCertificate(deviceId, X509KeyUsageFlags.DigitalSignature);
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(issued.Key.ExportPkcs8PrivateKey(), out _);
            return (key, X509CertificateLoader.LoadCertificate(issued.Certificate.RawData));
        }
    }

    internal X509Certificate2 Certify(Drivers.Link.Eui64 deviceId, ECDsa key)
    {
        lock (_gate)
        {
            return Pki.CertifyDeviceKey(deviceId, X509KeyUsageFlags.DigitalSignature, new PublicKey(key));
        }
    }

    /// <summary>The cells the table requires of this device, or null when the table has no row for it.</summary>
    public IReadOnlyList<TrustAnchorCellId>? RequiredCells(DeviceDefinition device) =>
        Table?.CellsFor(device.Type.ToString(), ModelName(device.Model));

    /// <summary>
    /// What the factory writes into the device's cells at its first power-up: AC 3.2(a)'s first alternative for
    /// every required cell (TrustAnchorPopulation.Conforming), the DCC's command-signing certificate, and then
    /// the Device Model's Trust Anchor quirks, each spoiling exactly one cell. An empty value is an empty cell.
    /// </summary>
    public IReadOnlyDictionary<TrustAnchorCellId, byte[]> Population(DeviceDefinition device)
    {
        lock (_gate)
        {
            var parties = RigParties.For(device.Type);
            var cells = TrustAnchorPopulation.Conforming(Pki, RequiredCells(device) ?? [], parties)
                .ToDictionary(p => p.Cell, p => p.Certificate.Certificate.RawData);
            cells[CellNames.CommandSigning] = DccCertificate?.RawData ?? Pki.AccessControlBrokerSigning.Certificate.RawData;

            var quirks = device.Model.Quirks;
            if (quirks.Has(QuirkKind.EmptyRecoveryCell))
            {
                cells[new TrustAnchorCellId(RemotePartyRole.Recovery, X509KeyUsageFlags.DigitalSignature)] = [];
            }

            if (quirks.Has(QuirkKind.WrongKeyUsageCell) && parties.ResponsibleSupplier is { } supplier)
            {
                cells[new TrustAnchorCellId(RemotePartyRole.Supplier, X509KeyUsageFlags.KeyAgreement)] =
                    SupplierCertificate(supplier, X509KeyUsageFlags.DigitalSignature).Certificate.RawData;
            }

            if (quirks.Has(QuirkKind.UnconsentedSupplierCell))
            {
                cells[new TrustAnchorCellId(RemotePartyRole.Supplier, X509KeyUsageFlags.DigitalSignature)] =
                    SupplierCertificate(RigParties.OtherSupplier, X509KeyUsageFlags.DigitalSignature).Certificate.RawData;
            }

            return cells;
        }
    }

    /// <summary>
    /// What the check needs: the table, the DCC's certificates (with the DCC's own command-signing certificate
    /// as an Access Control Broker Certificate when it is SMKI-shaped), every Organisation Certificate the PKI
    /// issues to the rig's parties, named, and the consents.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rig names no cells table, so there is nothing to check against.</exception>
    public TrustAnchorEnvironment CheckEnvironment()
    {
        var table = Table ?? throw new InvalidOperationException(
            "this rig names no required-cells table, so AC 3.1 cannot be checked; put rigs/trust-anchors/cells.yaml beside the rig file or name one under trustAnchors: { cells: ... }");
        lock (_gate)
        {
            var known = new KnownCertificates();
            foreach (var (party, role) in RigParties.All)
            {
                foreach (var usage in new[] { X509KeyUsageFlags.DigitalSignature, X509KeyUsageFlags.KeyAgreement })
                {
                    known.Add(Pki.OrganisationCertificate(role, party.Id, usage, party.Name).Facts, party.Name);
                }
            }

            var dcc = Pki.DccCertificates;
            if (DccCertificate is not null && TryReadFacts(DccCertificate.RawData) is { } dccFacts)
            {
                dcc = dcc with { AccessControlBroker = [.. dcc.AccessControlBroker, dccFacts] };
            }

            return new TrustAnchorEnvironment(table, dcc, known, Consents);
        }
    }

    public void Dispose() => Pki.Dispose();

    private IssuedCertificate SupplierCertificate(Party party, X509KeyUsageFlags usage) =>
        Pki.OrganisationCertificate(RemotePartyRole.Supplier, party.Id, usage, party.Name);

    private static CertificateFacts? TryReadFacts(byte[] der)
    {
        try
        {
            return CertificateFacts.Read(der);
        }
        catch (SmkiCertificateException)
        {
            // Not SMKI-shaped (no subjectKeyIdentifier, no role OU): the check reports its cell as holding an unknown certificate, which is true.
            return null;
        }
    }
}
