using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using SecDcc.Rigs.TrustAnchors;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Rigs.Tests.TrustAnchors;

/// <summary>
/// Trust Anchor Cells populated at first power-up from the rig's test PKI (rigs/emulated-trust-anchors.yaml), read
/// over each device's local port and judged by SecDcc.Smki's AC 3.1–3.2 check.
/// </summary>
[NonParallelizable]
public sealed class TrustAnchorTests
{
    private TempFolder _folder = null!;
    private EmulatedRig _rig = null!;
    private TrustAnchorCheck _check = null!;

    [OneTimeSetUp]
    public async Task StartRig()
    {
        TestRigs.RequirePseudoTerminals();
        _folder = new TempFolder();
        var definition = RigFile.Load(Path.Combine(RepoPaths.Rigs, "emulated-trust-anchors.yaml"));
        _rig = await EmulatedRig.StartAsync(definition, new EmulatorOptions { StateDirectory = _folder.Path }, CancellationToken.None);
        _check = new TrustAnchorCheck(_rig.TrustAnchors.CheckEnvironment());
    }

    [OneTimeTearDown]
    public async Task StopRig()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }

        _folder?.Dispose();
    }

    [TestCase("chf")]
    [TestCase("gpf")]
    [TestCase("esme")]
    [TestCase("gsme")]
    [CancelAfter(10_000)]
    public async Task Each_device_type_is_populated_with_every_required_cell_and_passes(string name, CancellationToken ct)
    {
        var (reading, result) = await CheckAsync(name, ct);
        var required = _rig.TrustAnchors.RequiredCells(_rig[name].Definition)!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Passed, Is.True, result.ToString());
            Assert.That(required, Is.Not.Empty);
            Assert.That(reading.Cells.Select(c => c.Cell), Is.SupersetOf(required), reading.Describe());
            Assert.That(result.Conforming.Select(v => v.Cell), Is.SupersetOf(required), "every required cell was judged, not just present");
            Assert.That(reading.Skipped, Is.Empty);
        });
    }

    [TestCase(DeviceType.PPMID, ModelKind.PPMID)]
    [TestCase(DeviceType.IHD, ModelKind.IHD)]
    public void Devices_the_table_requires_nothing_of_get_only_the_command_signing_cell(DeviceType type, ModelKind kind)
    {
        var device = TestRigs.Device("other", TestRigs.Ppmid, type, TestRigs.Model(kind));
        var population = _rig.TrustAnchors.Population(device);
        Assert.That(population.Keys, Is.EqualTo(new[] { CellNames.CommandSigning }), "the cell that lets it verify the DCC's commands, nothing more");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Only_the_chf_holds_a_wan_provider_cell(CancellationToken ct)
    {
        var chf = await ReadAsync("chf", ct);
        var esme = await ReadAsync("esme", ct);
        var wanProvider = TrustAnchorCellId.Parse("wanProvider/digitalSignature");
        Assert.Multiple(() =>
        {
            Assert.That(chf.Cells.Select(c => c.Cell), Does.Contain(wanProvider));
            Assert.That(esme.Cells.Select(c => c.Cell), Does.Not.Contain(wanProvider));
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task The_local_port_reading_names_each_cells_role_keyusage_occupant_and_key_identifier(CancellationToken ct)
    {
        var reading = await ReadAsync("esme", ct);
        var supplier = reading.Cells.Single(c => c.Cell == TrustAnchorCellId.Parse("supplier/keyAgreement"));
        var expected = _rig.TrustAnchors.Pki.OrganisationCertificate(Smki.RemotePartyRole.Supplier, RigParties.ResponsibleSupplier.Id, X509KeyUsageFlags.KeyAgreement, RigParties.ResponsibleSupplier.Name);
        Assert.Multiple(() =>
        {
            Assert.That(supplier.Occupant, Is.EqualTo(RigParties.ResponsibleSupplier.Id.ToString()));
            Assert.That(supplier.KeyIdentifier, Is.EqualTo(expected.KeyIdentifier.ToString()));
            Assert.That(reading.Describe(), Does.Contain("supplier/keyAgreement").And.Contain(RigParties.ResponsibleSupplier.Id.ToString()));
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Empty_recovery_cell_gives_exactly_one_finding_naming_the_recovery_cell(CancellationToken ct) =>
        await ExpectOneFindingAsync("esme-recovery", "AC-3.1", TrustAnchorFindingKind.EmptyCell, "recovery/digitalSignature", ct);

    [Test]
    [CancelAfter(10_000)]
    public async Task Wrong_keyusage_cell_gives_exactly_one_finding_naming_the_supplier_keyagreement_cell(CancellationToken ct) =>
        await ExpectOneFindingAsync("esme-keyusage", "AC-3.2(b)", TrustAnchorFindingKind.KeyUsageMismatch, "supplier/keyAgreement", ct);

    [Test]
    [CancelAfter(10_000)]
    public async Task Unconsented_supplier_cell_gives_exactly_one_finding_naming_the_other_supplier(CancellationToken ct)
    {
        var finding = await ExpectOneFindingAsync("gsme-supplier", "AC-3.2(a)", TrustAnchorFindingKind.CertificateNotAllowed, "supplier/digitalSignature", ct);
        Assert.That(finding.Message, Does.Contain(RigParties.OtherSupplier.Name).And.Contain("none recorded"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task The_same_seed_gives_the_same_certificates_so_evidence_can_be_reproduced(CancellationToken ct)
    {
        using var again = RigTrustAnchors.Create(_rig.Definition.TrustAnchors);
        var (key, certificate) = again.DeviceCredentials(_rig["esme"].Id);
        using (key)
        using (certificate)
        {
            Assert.That(certificate.RawData, Is.EqualTo(_rig["esme"].Certificate.RawData), "the ESME's Device Certificate");
        }

        var population = again.Population(_rig["esme"].Definition);
        await using var port = LocalPortClient.Open(_rig["esme"].LocalPortPath);
        var cells = (await port.ReadCredentialsAsync(ct)).ToDictionary(c => c.Name, c => c.Value);
        Assert.That(population.ToDictionary(p => p.Key.ToString(), p => new Octets(p.Value)), Is.SubsetOf(cells), "every cell, byte for byte");
    }

    [Test]
    public void Device_certificates_chain_to_the_test_pki_through_its_issuing_oca()
    {
        using var directory = new DeviceCertificateDirectory(_rig.DeviceIssuerCertificates);
        Assert.Multiple(() =>
        {
            Assert.That(_rig.DeviceIssuerCertificate.Subject, Does.Contain("Issuing OCA"));
            foreach (var device in _rig.Devices)
            {
                Assert.That(directory.Add(device.Certificate), Is.EqualTo(device.Id), device.Name);
            }
        });
    }

    private async Task<TrustAnchorFinding> ExpectOneFindingAsync(string name, string clause, TrustAnchorFindingKind kind, string cell, CancellationToken ct)
    {
        var (reading, result) = await CheckAsync(name, ct);
        Assert.That(result.Findings, Has.Count.EqualTo(1), $"{result}{Environment.NewLine}{reading.Describe()}");
        var finding = result.Findings[0];
        Assert.Multiple(() =>
        {
            Assert.That(finding.Clause, Is.EqualTo(clause));
            Assert.That(finding.Kind, Is.EqualTo(kind));
            Assert.That(finding.Cell?.ToString(), Is.EqualTo(cell));
            Assert.That(finding.Device, Does.Contain(_rig[name].Id.ToString()));
        });
        return finding;
    }

    private async Task<(TrustAnchorReading Reading, TrustAnchorCheckResult Result)> CheckAsync(string name, CancellationToken ct)
    {
        var reading = await ReadAsync(name, ct);
        return (reading, _check.Check(reading.Report, RigParties.For(_rig[name].Type)));
    }

    private async Task<TrustAnchorReading> ReadAsync(string name, CancellationToken ct)
    {
        await using var port = LocalPortClient.Open(_rig[name].LocalPortPath);
        return TrustAnchorReading.From(await port.ReadIdentityAsync(ct), await port.ReadCredentialsAsync(ct));
    }
}
