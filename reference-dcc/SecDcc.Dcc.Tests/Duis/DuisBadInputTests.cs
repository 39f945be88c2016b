using System.Net;
using System.Text;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Duis.Support;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using DuisEui = SecDcc.Duis.Eui64;
using DuisType = SecDcc.Duis.Messages.DeviceType;

namespace SecDcc.Dcc.Tests.Duis;

/// <summary>
/// Every kind of bad DUIS input is answered with a DUIS error response, signed by the DCC, that says what was wrong, and
/// changes nothing in the SMI. The requests would change the SMI if they were accepted (a pre-notification or a
/// decommissioning), so "nothing changed" is a real check.
/// </summary>
public sealed class DuisBadInputTests : DuisFixture
{
    private const int BodyLimit = 65536;
    protected override IEnumerable<string> HostArgs => ["--max-body-bytes", BodyLimit.ToString()];

    private DuisRequest PreNotification(TestParty by, DuisEui? originator = null, DuisEui? target = null) => DuisRequest.Create(
        new RequestId(originator ?? by.Id, target ?? Host.DccEui, TestParty.NextCounter()),
        new DevicePreNotification(NewDevice(), Smets2Esme.Manufacturer, Smets2Esme.Model, DuisType.Esme, FirmwareVersion: Smets2Esme.FirmwareVersion));

    /// <summary>Sends the bytes and checks the answer is a signed DUIS error with that code and reason, and that the SMI did not move.</summary>
    private async Task<RawAnswer> AssertRefusedAsync(byte[] body, string code, string reason, string says, string path = "/api/v1/serviceS")
    {
        var before = await Host.SnapshotAsync(Ct);
        var answer = await Host.PostRawAsync(body, Ct, path);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Text);
        Assert.That(answer.Verification?.IsValid, Is.True, $"the answer must be a DUIS Response signed by the DCC: {answer.Verification?.Reason} {answer.Text}");
        Assert.That(answer.Code, Is.EqualTo(code), answer.ToString());
        Assert.That(answer.Rejection?.Reason, Is.EqualTo(reason), answer.ToString());
        Assert.That(answer.Diagnostic, Does.Contain(says).IgnoreCase, answer.ToString());
        Assert.That(await Host.SnapshotAsync(Ct), Is.EqualTo(before), "a refused request changes nothing in the SMI");
        return answer;
    }

    private Task<RawAnswer> AssertRefusedAsync(string xml, string code, string reason, string says, string path = "/api/v1/serviceS") =>
        AssertRefusedAsync(Encoding.UTF8.GetBytes(xml), code, reason, says, path);

    private static string Tamper(string xml, string from, string to)
    {
        var at = xml.IndexOf(from, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"'{from}' is not in the document");
        return xml[..at] + to + xml[(at + from.Length)..];
    }

    [Test]
    public Task Malformed_xml() =>
        AssertRefusedAsync(Supplier.Sign(PreNotification(Supplier))[..300], "E13", "NotWellFormed", "not well-formed");

    [Test]
    public Task A_dtd_with_entity_expansion()
    {
        var laughs = """<?xml version="1.0"?><!DOCTYPE sr:Request [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>""" +
                     """<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4"><sr:Header><sr:RequestID>&c;</sr:RequestID></sr:Header></sr:Request>""";
        return AssertRefusedAsync(laughs, "E13", "DtdPresent", "DOCTYPE");
    }

    [Test]
    public async Task An_external_entity()
    {
        var xxe = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">&x;</sr:Request>""";
        var answer = await AssertRefusedAsync(xxe, "E13", "DtdPresent", "DOCTYPE");
        Assert.That(answer.Text, Does.Not.Contain("root:"));
    }

    [Test]
    public Task An_oversize_body()
    {
        var signed = Supplier.Sign(PreNotification(Supplier));
        var padded = signed.Replace("<sr:Header>", "<!--" + new string('x', BodyLimit) + "--><sr:Header>", StringComparison.Ordinal);
        return AssertRefusedAsync(padded, "E13", "TooLarge", $"larger than the {BodyLimit} bytes");
    }

    [Test]
    public Task The_wrong_namespace() =>
        AssertRefusedAsync(PreNotification(Supplier).ToXml().Replace("http://www.dccinterface.co.uk/ServiceUserGateway", "http://example.com/NotDuis", StringComparison.Ordinal),
            "E13", "WrongRoot", "expected {http://www.dccinterface.co.uk/ServiceUserGateway}Request");

    [Test]
    public Task A_response_posted_as_a_request() =>
        AssertRefusedAsync(DuisSigner.Sign(DuisResponses.Acknowledgement(PreNotification(Supplier).Header, Host.Dcc.Clock.UtcNow).ToXml(), Supplier.Credentials),
            "E13", "WrongRoot", "Response");

    [Test]
    public Task A_signed_request_that_breaks_the_schema() =>
        AssertRefusedAsync(DuisSigner.Sign(PreNotification(Supplier).ToXml().Replace("<sr:ServiceReference>12.2</sr:ServiceReference>", "", StringComparison.Ordinal), Supplier.Credentials),
            "E13", "SchemaViolation", "expected element ServiceReference");

    [Test]
    public Task An_element_nested_inside_a_simple_value()
    {
        var request = PreNotification(Supplier);
        var id = ((DevicePreNotification)request.Body).DeviceId.ToString();
        var xml = request.ToXml().Replace($"<sr:DeviceID>{id}</sr:DeviceID>", $"<sr:DeviceID><sr:Wrapped>{id}</sr:Wrapped></sr:DeviceID>", StringComparison.Ordinal);
        return AssertRefusedAsync(DuisSigner.Sign(xml, Supplier.Credentials), "E13", "SchemaViolation", "holds a simple value, but contains element Wrapped");
    }

    [Test]
    public Task Text_between_elements() =>
        AssertRefusedAsync(DuisSigner.Sign(PreNotification(Supplier).ToXml().Replace("<sr:Body>", "<sr:Body>stray", StringComparison.Ordinal), Supplier.Credentials),
            "E13", "SchemaViolation", "contains the text 'stray'");

    [Test]
    public Task A_body_that_belongs_to_another_srv()
    {
        var xml = PreNotification(Supplier).ToXml()
            .Replace("<sr:ServiceReference>12.2</sr:ServiceReference><sr:ServiceReferenceVariant>12.2</sr:ServiceReferenceVariant>",
                "<sr:ServiceReference>8.3</sr:ServiceReference><sr:ServiceReferenceVariant>8.3</sr:ServiceReferenceVariant>", StringComparison.Ordinal);
        return AssertRefusedAsync(DuisSigner.Sign(xml, Supplier.Credentials), "E13", "InvalidValue", "belongs to SRV 12.2");
    }

    [Test]
    public Task No_signature() =>
        AssertRefusedAsync(PreNotification(Supplier).ToXml(), "E1", "NoSignature", "not signed");

    [Test]
    public Task A_signed_request_changed_after_signing()
    {
        var signed = Supplier.Sign(PreNotification(Supplier));
        return AssertRefusedAsync(Tamper(signed, Smets2Esme.Model, "E-9"), "E1", "DigestMismatch", "changed after signing");
    }

    [Test]
    public Task A_signature_value_that_does_not_verify()
    {
        var signed = Supplier.Sign(PreNotification(Supplier));
        var value = signed[(signed.IndexOf("<SignatureValue>", StringComparison.Ordinal) + 16)..];
        value = value[..value.IndexOf('<')];
        var bytes = Convert.FromBase64String(value);
        bytes[5] ^= 0x01;
        return AssertRefusedAsync(signed.Replace(value, Convert.ToBase64String(bytes), StringComparison.Ordinal), "E1", "BadSignatureValue", "does not verify");
    }

    [Test]
    public Task A_signer_that_is_not_the_originator() =>
        AssertRefusedAsync(OtherSupplier.Sign(PreNotification(OtherSupplier, originator: Supplier.Id)), "E1", "SignerNotOriginator",
            $"names {Supplier.Id} as originator");

    [Test]
    public Task An_unknown_originator() =>
        AssertRefusedAsync(Supplier.Sign(PreNotification(Supplier, originator: DuisEui.Parse("90-B3-D5-1F-30-99-00-00"))), "E1", "UnknownOriginator",
            "90-B3-D5-1F-30-99-00-00 is not a registered DCC User");

    [Test]
    public Task A_certificate_nobody_registered()
    {
        using var stranger = TestParty.Create(Supplier.Id, [UserRole.IS]);
        return AssertRefusedAsync(stranger.Sign(PreNotification(stranger)), "E1", "UnknownSigner", "not a registered signing certificate");
    }

    [Test]
    public async Task An_expired_certificate()
    {
        using var expired = TestParty.Create(NewDevice(), [UserRole.IS], notBefore: new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero), notAfter: new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await Host.RegisterAsync(expired, Ct);
        await AssertRefusedAsync(expired.Sign(PreNotification(expired)), "E1", "CertificateNotValid", "valid from 2015");
    }

    [Test]
    public async Task An_ineligible_role()
    {
        var esme = await PreNotifyAsync(Supplier, DuisType.Esme, Smets2Esme);
        await AssertRefusedAsync(Distributor.Sign(DuisRequest.Create(Distributor.NextRequestId(Host.DccEui), new DecommissionDevice(esme))),
            "E2", "RoleNotEligible", "allows it to IS, GS");
    }

    [Test]
    public async Task A_replayed_counter()
    {
        var signed = Supplier.Sign(PreNotification(Supplier));
        var first = await Host.PostAsync(signed, Ct);
        Assert.That(first.Code, Is.EqualTo("I0"), first.ToString());

        await AssertRefusedAsync(signed, "E1", "CounterNotIncreasing", "not greater than");
    }

    [Test]
    public async Task A_counter_lower_than_one_already_accepted()
    {
        var earlier = PreNotification(Supplier);
        var later = PreNotification(Supplier);
        var accepted = await Host.PostAsync(Supplier.Sign(later), Ct);
        Assert.That(accepted.Code, Is.EqualTo("I0"), accepted.ToString());

        await AssertRefusedAsync(Supplier.Sign(earlier), "E1", "CounterNotIncreasing", $"is not greater than {later.Header.RequestId.Counter}");
    }

    [Test]
    public Task An_srv_out_of_scope()
    {
        // 11.2 Read Firmware Version is a DUIS SRV the reference DCC does not serve.
        var xml = $"""<?xml version="1.0" encoding="UTF-8"?><sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4"><sr:Header><sr:RequestID>{Supplier.NextRequestId(NewDevice())}</sr:RequestID><sr:CommandVariant>1</sr:CommandVariant><sr:ServiceReference>11.2</sr:ServiceReference><sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant></sr:Header><sr:Body><sr:ReadFirmwareVersion/></sr:Body></sr:Request>""";
        return AssertRefusedAsync(DuisSigner.Sign(xml, Supplier.Credentials), "E13", "ServiceRequestOutOfScope", "outside the reference DCC's scope");
    }

    [Test]
    public Task A_command_variant_the_srv_does_not_allow()
    {
        var request = PreNotification(Supplier);
        var wrong = request with { Header = request.Header with { CommandVariant = 1 } };
        return AssertRefusedAsync(Supplier.Sign(wrong), "E12", "CommandVariantNotAllowed", "the schema allows 8");
    }

    [Test]
    public async Task A_command_for_local_delivery()
    {
        var (chf, _) = await CommissionedHubAsync();
        var request = DuisRequest.Create(Supplier.NextRequestId(chf), new ReadDeviceLog(), commandVariant: 2);
        await AssertRefusedAsync(Supplier.Sign(request), "E17", "LocalDeliveryNotOffered", "local delivery");
    }

    [Test]
    public Task A_non_device_request_not_addressed_to_the_dcc() =>
        AssertRefusedAsync(Supplier.Sign(PreNotification(Supplier, target: NewDevice())), "E13", "WrongTarget", "addressed to the DCC");

    [Test]
    public async Task A_device_request_sent_to_the_non_device_url()
    {
        var (chf, _) = await CommissionedHubAsync();
        await AssertRefusedAsync(Supplier.Sign(DuisRequest.Create(Supplier.NextRequestId(chf), new ReadDeviceLog())), "E13", "WrongServiceUrl", "/api/v1/serviceS",
            path: "/api/v1/serviceD");
    }
}
