using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki.Certificates;
using SecDcc.Smki.Pki;
using SecDcc.Smki.Tests.Support;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Smki.Tests.TrustAnchors;

/// <summary>
/// AC 3.1–3.2 against the repository's cells table: a conforming device of each type passes, and each way of
/// spoiling one cell gives exactly one finding that names it.
/// </summary>
public sealed class TrustAnchorCheckTests
{
    private static readonly Eui64 Device = Eui64.Parse("00-DB-12-34-56-78-00-03");
    private static readonly Party Supplier1 = SharedPki.Supplier1;
    private static readonly Party Supplier2 = SharedPki.Supplier2;
    private static readonly Party Operator = SharedPki.NetworkOperator;
    private static readonly DeviceParties Parties = new(Supplier1, Operator);

    private TestPki _pki = null!;
    private RequiredCellTable _table = null!;
    private KnownCertificates _known = null!;

    [OneTimeSetUp]
    public void CreateWorld()
    {
        _pki = TestPki.Create("trust-anchor-check");
        _table = RequiredCellTable.Load(Path.Combine(Repository.TrustAnchors, "cells.yaml"));
        _known = new KnownCertificates();
        foreach (var (party, role) in new[] { (Supplier1, RemotePartyRole.Supplier), (Supplier2, RemotePartyRole.Supplier), (Operator, RemotePartyRole.NetworkOperator), (SharedPki.NetworkOperator2, RemotePartyRole.NetworkOperator) })
        {
            foreach (var usage in new[] { X509KeyUsageFlags.DigitalSignature, X509KeyUsageFlags.KeyAgreement })
            {
                _known.Add(_pki.OrganisationCertificate(role, party.Id, usage, party.Name).Facts, party.Name);
            }
        }
    }

    [OneTimeTearDown]
    public void DisposeWorld() => _pki.Dispose();

    [TestCase("ESME", 9)]
    [TestCase("GSME", 9)]
    [TestCase("GPF", 9)]
    [TestCase("CHF", 10)]
    [TestCase("IHD", 0)]
    public void A_correctly_populated_device_of_each_type_passes(string type, int cells)
    {
        var result = Check(Conforming(type));

        Assert.That(result.Findings, Is.Empty, result.ToString());
        Assert.That(result.Passed, Is.True);
        Assert.That(result.Conforming, Has.Count.EqualTo(cells));
    }

    [Test]
    public void Wrong_role_an_ACB_certificate_in_the_recovery_cell()
    {
        var report = Replace(Conforming("ESME"), "recovery/digitalSignature", _pki.AccessControlBrokerSigning.Facts);

        var finding = Single(report, TrustAnchorFindingKind.CertificateNotAllowed, "AC-3.2(a)", "recovery/digitalSignature");

        Assert.That(finding.Message, Is.EqualTo(
            "ESME 00-DB-12-34-56-78-00-03: cell recovery/digitalSignature holds 90-B3-D5-1F-30-00-00-02 (DCC Access Control Broker Certificate), allowed: a DCC Recovery Certificate [AC-3.2(a)]"));
    }

    [Test]
    public void Wrong_role_another_Network_Operators_certificate_in_the_networkOperator_cell()
    {
        var other = _pki.OrganisationCertificate(RemotePartyRole.NetworkOperator, SharedPki.NetworkOperator2.Id, X509KeyUsageFlags.DigitalSignature, SharedPki.NetworkOperator2.Name);
        var report = Replace(Conforming("GSME"), "networkOperator/digitalSignature", other.Facts);

        var finding = Single(report, TrustAnchorFindingKind.CertificateNotAllowed, "AC-3.2(a)", "networkOperator/digitalSignature");

        Assert.That(finding.Held, Is.EqualTo("90-B3-D5-1F-30-04-00-00 (Organisation Certificate of Network Operator 2)"));
    }

    [Test]
    public void Wrong_keyUsage_the_suppliers_keyAgreement_certificate_in_its_digitalSignature_cell()
    {
        var keyAgreement = _pki.OrganisationCertificate(RemotePartyRole.Supplier, Supplier1.Id, X509KeyUsageFlags.KeyAgreement, Supplier1.Name);
        var report = Replace(Conforming("ESME"), "supplier/digitalSignature", keyAgreement.Facts);

        var finding = Single(report, TrustAnchorFindingKind.KeyUsageMismatch, "AC-3.2(b)", "supplier/digitalSignature");

        Assert.That(finding.Message, Is.EqualTo(
            "ESME 00-DB-12-34-56-78-00-03: cell supplier/digitalSignature holds 90-B3-D5-1F-30-01-00-00 (Organisation Certificate of Supplier 1) whose keyUsage is keyAgreement; AC 3.2(b) requires the cell's keyUsage, digitalSignature [AC-3.2(b)]"));
    }

    [Test]
    public void Another_supplier_without_consent()
    {
        var report = Replace(Conforming("ESME"), "supplier/digitalSignature", Org(Supplier2, X509KeyUsageFlags.DigitalSignature));

        var finding = Single(report, TrustAnchorFindingKind.CertificateNotAllowed, "AC-3.2(a)", "supplier/digitalSignature");

        Assert.That(finding.Message, Is.EqualTo(
            "ESME 00-DB-12-34-56-78-00-03: cell supplier/digitalSignature holds 90-B3-D5-1F-30-03-00-00 (Organisation Certificate of Supplier 2), " +
            "allowed: the Responsible Supplier's Organisation Certificate (Supplier 1, 90-B3-D5-1F-30-01-00-00), a DCC ACB Certificate, or another Supplier's with consent — none recorded [AC-3.2(a)]"));
    }

    [Test]
    public void Another_supplier_with_consent_passes()
    {
        var report = Replace(Conforming("ESME"), "supplier/digitalSignature", Org(Supplier2, X509KeyUsageFlags.DigitalSignature));
        var consents = new ConsentRegister([new Consent(Device, RemotePartyRole.Supplier, null, Supplier2.Id, "letter 17")]);

        var result = Check(report, consents);

        Assert.That(result.Findings, Is.Empty, result.ToString());
        Assert.That(result.Conforming.Single(v => v.Cell.ToString() == "supplier/digitalSignature").Basis, Does.StartWith("AC-3.2(a) Supplier (c): consent recorded"));
    }

    [Test]
    public void Consent_for_another_device_or_cell_does_not_count()
    {
        var report = Replace(Conforming("ESME"), "supplier/digitalSignature", Org(Supplier2, X509KeyUsageFlags.DigitalSignature));
        var consents = new ConsentRegister(
        [
            new Consent(Eui64.Parse("00-DB-12-34-56-78-00-99"), RemotePartyRole.Supplier, null, Supplier2.Id, null),
            new Consent(Device, RemotePartyRole.Supplier, X509KeyUsageFlags.KeyAgreement, Supplier2.Id, null),
        ]);

        var finding = Single(report, TrustAnchorFindingKind.CertificateNotAllowed, "AC-3.2(a)", "supplier/digitalSignature", consents);

        Assert.That(finding.Allowed, Does.EndWith("— none recorded"));
    }

    [Test]
    public void An_empty_recovery_cell()
    {
        var report = Replace(Conforming("GSME"), "recovery/digitalSignature", null);

        var finding = Single(report, TrustAnchorFindingKind.EmptyCell, "AC-3.1", "recovery/digitalSignature");

        Assert.That(finding.Message, Is.EqualTo(
            "GSME 00-DB-12-34-56-78-00-03: cell recovery/digitalSignature is empty; AC 3.1 requires it populated with a DCC Recovery Certificate; AC 5.4 has the DCC look for exactly this after commissioning [AC-3.1]"));
    }

    [Test]
    public void A_missing_required_cell()
    {
        var report = Conforming("CHF");
        report = report with { Cells = report.Cells.Where(c => c.Cell.Role != RemotePartyRole.WanProvider).ToList() };

        var finding = Single(report, TrustAnchorFindingKind.MissingCell, "AC-3.1", "wanProvider/digitalSignature");

        Assert.That(finding.Message, Does.StartWith("CHF 00-DB-12-34-56-78-00-03: required cell wanProvider/digitalSignature was not reported; AC 3.1 requires it populated with a DCC WAN Provider Certificate"));
        Assert.That(finding.Message, Does.Contain("cells.yaml"));
    }

    [Test]
    public void The_responsible_suppliers_certificate_in_the_networkOperator_cell_passes_by_b()
    {
        var report = Replace(Conforming("ESME"), "networkOperator/digitalSignature", Org(Supplier1, X509KeyUsageFlags.DigitalSignature));

        var result = Check(report);

        Assert.That(result.Findings, Is.Empty, result.ToString());
        Assert.That(result.Conforming.Single(v => v.Cell.ToString() == "networkOperator/digitalSignature").Basis, Is.EqualTo("AC-3.2(a) networkOperator (b): the Responsible Supplier's Organisation Certificate"));
    }

    [Test]
    public void A_DCC_ACB_certificate_in_supplier_and_networkOperator_cells_passes()
    {
        var report = Replace(Conforming("ESME"), "networkOperator/keyAgreement", _pki.AccessControlBrokerKeyAgreement.Facts);
        report = Replace(report, "supplier/digitalSignature", _pki.AccessControlBrokerSigning.Facts);

        var result = Check(report);

        Assert.That(result.Findings, Is.Empty, result.ToString());
        var bases = result.Conforming.ToDictionary(v => v.Cell.ToString(), v => v.Basis);
        Assert.That(bases["supplier/digitalSignature"], Does.StartWith("AC-3.2(a) Supplier (b)"));
        Assert.That(bases["networkOperator/keyAgreement"], Does.StartWith("AC-3.2(a) networkOperator (d)"));
    }

    [Test]
    public void Another_supplier_in_the_networkOperator_cell_needs_consent_too()
    {
        var report = Replace(Conforming("ESME"), "networkOperator/keyAgreement", Org(Supplier2, X509KeyUsageFlags.KeyAgreement));

        Single(report, TrustAnchorFindingKind.CertificateNotAllowed, "AC-3.2(a)", "networkOperator/keyAgreement");
        var consents = new ConsentRegister([new Consent(Device, RemotePartyRole.NetworkOperator, X509KeyUsageFlags.KeyAgreement, Supplier2.Id, null)]);
        Assert.That(Check(report, consents).Findings, Is.Empty);
    }

    [Test]
    public void A_certificate_nobody_knows()
    {
        using var stranger = TestPki.Create("stranger");
        var report = Replace(Conforming("ESME"), "transitionalCoS/digitalSignature", stranger.TransitionalCoS.Facts);

        var finding = Single(report, TrustAnchorFindingKind.UnknownCertificate, "AC-3.2(a)", "transitionalCoS/digitalSignature");

        Assert.That(finding.Held, Does.StartWith("90-B3-D5-1F-30-00-00-04 (unknown certificate, key identifier "));
    }

    [Test]
    public void A_Subject_Unique_ID_that_is_not_the_key_identifiers_certificates()
    {
        var report = Conforming("ESME");
        var cells = report.Cells.Select(c => c.Cell.ToString() == "accessControlBroker/keyAgreement" ? c with { SubjectUniqueId = Eui64.Parse("90-B3-D5-1F-30-00-00-99") } : c).ToList();

        var finding = Single(report with { Cells = cells }, TrustAnchorFindingKind.CredentialsMismatch, "AC-3.2(a)", "accessControlBroker/keyAgreement");

        Assert.That(finding.Message, Does.Contain("names Subject Unique ID 90-B3-D5-1F-30-00-00-99 but key identifier"));
    }

    [Test]
    public void A_cell_reported_twice()
    {
        var report = Conforming("ESME");
        report = report with { Cells = [.. report.Cells, ReportedCell.Holding(TrustAnchorCellId.Parse("root/keyCertSign"), _pki.RootOca.Facts)] };

        Single(report, TrustAnchorFindingKind.CellReportedTwice, "AC-3.1", "root/keyCertSign");
    }

    [Test]
    public void A_device_type_without_a_row_is_a_finding_not_a_pass()
    {
        var report = new DeviceTrustAnchorReport(Device, "PPMID", null, []);

        var result = Check(report);

        Assert.That(result.Findings.Select(f => f.Kind), Is.EqualTo(new[] { TrustAnchorFindingKind.NoCellTable }));
        Assert.That(result.Findings[0].Message, Does.Contain("has no required cells for device type PPMID"));
    }

    [Test]
    public void Wrong_party_and_wrong_keyUsage_in_one_cell_give_both_sub_clauses()
    {
        var report = Replace(Conforming("ESME"), "supplier/digitalSignature", Org(Supplier2, X509KeyUsageFlags.KeyAgreement));

        var findings = Check(report).Findings;

        Assert.That(findings.Select(f => (f.Clause, f.Kind, Cell: f.Cell.ToString())), Is.EqualTo(new[]
        {
            ("AC-3.2(a)", TrustAnchorFindingKind.CertificateNotAllowed, "supplier/digitalSignature"),
            ("AC-3.2(b)", TrustAnchorFindingKind.KeyUsageMismatch, "supplier/digitalSignature"),
        }));
    }

    [Test]
    public void A_cell_given_as_a_whole_certificate_is_read_like_a_reported_one()
    {
        var report = Conforming("GSME");
        var recovery = TrustAnchorCellId.Parse("recovery/digitalSignature");
        report = report with { Cells = report.Cells.Select(c => c.Cell == recovery ? ReportedCell.FromCertificate(recovery, _pki.TransitionalCoS.Certificate.RawData) : c).ToList() };

        var finding = Single(report, TrustAnchorFindingKind.CertificateNotAllowed, "AC-3.2(a)", "recovery/digitalSignature");

        Assert.That(finding.Held, Is.EqualTo("90-B3-D5-1F-30-00-00-04 (DCC Transitional CoS Certificate)"));
    }

    [Test]
    public void Populating_a_supplier_cell_without_a_Responsible_Supplier_says_what_is_missing()
    {
        var e = Assert.Throws<ArgumentException>(() => TrustAnchorPopulation.Conforming(_pki, [TrustAnchorCellId.Parse("supplier/keyAgreement")], new DeviceParties(null, Operator)));

        Assert.That(e!.Message, Does.Contain("cell supplier/keyAgreement needs the device's Responsible Supplier"));
    }

    [Test]
    public void Report_text_reads_one_line_per_finding()
    {
        var report = Replace(Replace(Conforming("ESME"), "recovery/digitalSignature", null), "supplier/keyAgreement", Org(Supplier2, X509KeyUsageFlags.KeyAgreement));

        var lines = Check(report).ToString().Split(Environment.NewLine);

        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines, Has.All.StartWith("ESME 00-DB-12-34-56-78-00-03: cell "));
    }

    private TrustAnchorFinding Single(DeviceTrustAnchorReport report, TrustAnchorFindingKind kind, string clause, string cell, ConsentRegister? consents = null)
    {
        var result = Check(report, consents);
        Assert.That(result.Findings, Has.Count.EqualTo(1), result.ToString());
        var finding = result.Findings[0];
        Assert.That(finding.Kind, Is.EqualTo(kind), finding.Message);
        Assert.That(finding.Clause, Is.EqualTo(clause));
        Assert.That(finding.Cell?.ToString(), Is.EqualTo(cell));
        Assert.That(finding.Device, Is.EqualTo($"{report.DeviceType} {Device}"));
        Assert.That(finding.Message, Does.Contain(cell).And.EndWith($"[{clause}]"));
        return finding;
    }

    private TrustAnchorCheckResult Check(DeviceTrustAnchorReport report, ConsentRegister? consents = null) =>
        new TrustAnchorCheck(new TrustAnchorEnvironment(_table, _pki.DccCertificates, _known, consents ?? ConsentRegister.None)).Check(report, Parties);

    private DeviceTrustAnchorReport Conforming(string type) =>
        TrustAnchorPopulation.Report(_pki, Device, type, _table.CellsFor(type, null)!, Parties);

    private CertificateFacts Org(Party party, X509KeyUsageFlags usage) =>
        _pki.OrganisationCertificate(RemotePartyRole.Supplier, party.Id, usage, party.Name).Facts;

    private static DeviceTrustAnchorReport Replace(DeviceTrustAnchorReport report, string cell, CertificateFacts? occupant)
    {
        var id = TrustAnchorCellId.Parse(cell);
        Assert.That(report.Cells.Any(c => c.Cell == id), Is.True, $"the conforming {report.DeviceType} has no {cell} to replace");
        return report with { Cells = report.Cells.Select(c => c.Cell != id ? c : occupant is null ? ReportedCell.Empty(id) : ReportedCell.Holding(id, occupant)).ToList() };
    }
}
