using System.Xml.Linq;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Tests.Support;

namespace SecDcc.Duis.Tests;

public class MessageTests
{
    [TestCaseSource(typeof(SampleRequests), nameof(SampleRequests.Cases))]
    public void Every_builder_round_trips_through_the_parser(DuisRequest request)
    {
        var xml = request.ToXml();

        var parsed = DuisRequest.Parse(xml);

        Assert.That(parsed.Header, Is.EqualTo(request.Header));
        Assert.That(parsed.Body.GetType(), Is.EqualTo(request.Body.GetType()));
        Assert.That(parsed.ToXml(), Is.EqualTo(xml));
        Assert.That(parsed.SchemaVersion, Is.EqualTo("5.4"));
    }

    [TestCaseSource(typeof(SampleRequests), nameof(SampleRequests.Cases))]
    public void The_header_follows_the_request_matrix_and_the_XSD(DuisRequest request)
    {
        var srv = ServiceRequestCatalogue.Default.Get(request.Body.ServiceReferenceVariant);

        Assert.That(request.Header.ServiceReferenceVariant, Is.EqualTo(request.Body.ServiceReferenceVariant));
        Assert.That(request.Header.ServiceReference, Is.EqualTo(srv.ServiceReference));
        Assert.That(srv.CommandVariants, Does.Contain(request.Header.CommandVariant));
        if (srv.NonDevice)
        {
            Assert.That(request.Header.CommandVariant, Is.EqualTo(8));
            Assert.That(request.Header.RequestId.Target, Is.EqualTo(Zaz1Parties.Dcc));
        }
    }

    [Test]
    public void Default_command_variants_are_the_first_the_XSD_allows()
    {
        var id = new RequestId(Zaz1Parties.Supplier, SampleRequests.Esme, 1);
        Assert.That(DuisRequest.Create(id, new CommissionDevice(DateTimeOffset.UnixEpoch, 0)).Header.CommandVariant, Is.EqualTo(4));
        Assert.That(DuisRequest.Create(id, new JoinService(false, SampleRequests.Chf)).Header.CommandVariant, Is.EqualTo(1));
        Assert.That(DuisRequest.Create(id, new JoinService(true, SampleRequests.Chf), commandVariant: 5).Header.CommandVariant, Is.EqualTo(5));
    }

    [Test]
    public void A_command_variant_the_XSD_does_not_allow_is_refused()
    {
        var id = new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, 1);
        Assert.That(() => DuisRequest.Create(id, new DecommissionDevice(SampleRequests.Esme), commandVariant: 1),
            Throws.ArgumentException.With.Message.Contains("allows 8"));
    }

    [Test]
    public void Element_names_and_order_match_the_schema()
    {
        var request = DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, 1000),
            new DevicePreNotification(SampleRequests.Esme, "AB01", "010A030B", DeviceType.Esme, "SMETS V1.58", "0002012F", "AD"));

        Assert.That(request.ToXml(), Is.EqualTo(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
            "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\">" +
            "<sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000</sr:RequestID>" +
            "<sr:CommandVariant>8</sr:CommandVariant><sr:ServiceReference>12.2</sr:ServiceReference>" +
            "<sr:ServiceReferenceVariant>12.2</sr:ServiceReferenceVariant></sr:Header>" +
            "<sr:Body><sr:DevicePrenotification><sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>" +
            "<sr:DeviceManufacturer>AB01</sr:DeviceManufacturer><sr:DeviceModel>010A030B</sr:DeviceModel>" +
            "<sr:DeviceType>ESME</sr:DeviceType><sr:SMETSCHTSVersion>SMETS V1.58</sr:SMETSCHTSVersion>" +
            "<sr:FirmwareVersion>0002012F</sr:FirmwareVersion><sr:ESMEVariant>AD</sr:ESMEVariant>" +
            "</sr:DevicePrenotification></sr:Body></sr:Request>"));
    }

    [Test]
    public void Date_times_are_written_as_xs_dateTime_in_UTC()
    {
        var body = new CommissionDevice(new DateTimeOffset(2014, 12, 31, 23, 59, 10, TimeSpan.Zero), 60).ToXml();
        Assert.That(body.Element(DuisNames.Sr + "CurrentDateTime")!.Value, Is.EqualTo("2014-12-31T23:59:10Z"));
        var fractional = new CommissionDevice(new DateTimeOffset(2014, 12, 31, 23, 59, 10, 250, TimeSpan.FromHours(1)), 60).ToXml();
        Assert.That(fractional.Element(DuisNames.Sr + "CurrentDateTime")!.Value, Is.EqualTo("2014-12-31T23:59:10.25+01:00"));
    }

    [Test]
    public void A_status_the_schema_does_not_allow_in_an_update_is_refused_when_building()
    {
        var update = new UpdateInventory(SampleRequests.Esme, new UpdateDeviceStatusExceptCh(DeviceStatus.Commissioned));
        Assert.That(() => update.ToXml(), Throws.ArgumentException.With.Message.Contains("Pending or InstalledNotCommissioned"));
    }

    private static string Envelope(string header, string body) =>
        "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\">" + header + "<sr:Body>" + body + "</sr:Body></sr:Request>";

    private const string Header82 = "<sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1</sr:RequestID>" +
        "<sr:CommandVariant>8</sr:CommandVariant><sr:ServiceReference>8.2</sr:ServiceReference><sr:ServiceReferenceVariant>8.2</sr:ServiceReferenceVariant></sr:Header>";

    [TestCase("<sr:ReadInventory/>", DuisFailure.SchemaViolation, "expected one of UPRN, DeviceID")]
    [TestCase("<sr:ReadInventory><sr:DeviceID>00-DB-12-34-56-78-90</sr:DeviceID></sr:ReadInventory>", DuisFailure.InvalidValue, "Request/Body/ReadInventory/DeviceID")]
    [TestCase("<sr:ReadInventory><sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID><sr:MPxN>1</sr:MPxN></sr:ReadInventory>", DuisFailure.SchemaViolation, "MPxN is not allowed")]
    [TestCase("<sr:DecommissionDevice><sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID></sr:DecommissionDevice>", DuisFailure.InvalidValue, "belongs to SRV 8.3")]
    public void Parse_errors_name_the_element_and_the_problem(string body, DuisFailure failure, string expected)
    {
        var ex = Assert.Throws<DuisException>(() => DuisRequest.Parse(Envelope(Header82, body)));
        Assert.That(ex!.Failure, Is.EqualTo(failure));
        Assert.That(ex.Message, Does.Contain(expected));
    }

    [Test]
    public void A_header_out_of_order_is_refused()
    {
        var swapped = Header82.Replace("<sr:CommandVariant>8</sr:CommandVariant><sr:ServiceReference>8.2</sr:ServiceReference>",
            "<sr:ServiceReference>8.2</sr:ServiceReference><sr:CommandVariant>8</sr:CommandVariant>", StringComparison.Ordinal);
        var ex = Assert.Throws<DuisException>(() => DuisRequest.Parse(Envelope(swapped, "<sr:ReadInventory><sr:UPRN>1</sr:UPRN></sr:ReadInventory>")));
        Assert.That(ex!.Message, Does.Contain("expected element CommandVariant but found ServiceReference"));
    }

    [Test]
    public void A_body_outside_the_typed_set_is_kept_raw()
    {
        var header = Header82.Replace(">8.2<", ">11.1<", StringComparison.Ordinal).Replace(">8.2<", ">11.1<", StringComparison.Ordinal);
        var parsed = DuisRequest.Parse(Envelope(header, "<sr:UpdateFirmware><sr:Anything/></sr:UpdateFirmware>"));
        Assert.That(parsed.Body, Is.TypeOf<RawRequestBody>());
        Assert.That(parsed.Body.ServiceReferenceVariant, Is.EqualTo("11.1"));
        Assert.That(parsed.Body.ToXml().Name.LocalName, Is.EqualTo("UpdateFirmware"));
    }

    [Test]
    public void A_response_with_inventory_and_diagnostic_round_trips()
    {
        var header = new RequestHeader(new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, 5), 8, "8.2", "8.2");
        var device = new InventoryDevice(SampleRequests.Esme, DeviceType.Esme, "AB01", "010A030B", DeviceStatus.Pending,
            "SMETS V1.58", "0002012F", CplStatus: CplStatus.Active, DateCommissioned: new DateOnly(2026, 2, 1), ImportMpxn: "1312345678111", EsmeVariant: "AD");
        var response = DuisResponses.Success(header, new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero),
            new DspInventory([device]), diagnostic: "AC 8.2: device is Pending since 2026-01-30 ?> <b>");

        var parsed = DuisResponse.Parse(response.ToXml());

        Assert.That(parsed.ResponseCode.IsSuccess, Is.True);
        Assert.That(parsed.RequestId, Is.EqualTo(header.RequestId));
        Assert.That(parsed.ResponseId, Is.EqualTo(header.RequestId));
        Assert.That(parsed.Message!.ServiceReferenceVariant, Is.EqualTo("8.2"));
        Assert.That(((DspInventory)parsed.Message.Payload!).Devices.Single(), Is.EqualTo(device));
        Assert.That(parsed.Diagnostic, Is.EqualTo("AC 8.2: device is Pending since 2026-01-30 ? > <b>"));
        Assert.That(parsed.ToXml(), Is.EqualTo(response.ToXml().Replace("?> <b>", "? > <b>", StringComparison.Ordinal)));
    }

    [Test]
    public void Refusals_carry_an_error_code_and_the_refusing_clause()
    {
        var header = new RequestHeader(new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, 5), 8, "8.3", "8.3");
        var refusal = DuisResponses.Refusal(header, new ResponseCode("E5"), DateTimeOffset.UnixEpoch, "AC 6.x: only the Lead Supplier may decommission a SMETS1 CHF");

        var parsed = DuisResponse.Parse(refusal.ToXml());

        Assert.That(parsed.ResponseCode.IsError, Is.True);
        Assert.That(parsed.ResponseCode.Description, Does.Contain("SMI status"));
        Assert.That(parsed.Diagnostic, Does.StartWith("AC 6.x"));
        Assert.That(parsed.Message!.Payload, Is.Null);
        Assert.That(() => DuisResponses.Refusal(header, ResponseCode.Success, DateTimeOffset.UnixEpoch, "x"), Throws.ArgumentException);
    }

    [Test]
    public void Acknowledgements_use_I99_with_no_payload()
    {
        var header = new RequestHeader(new RequestId(Zaz1Parties.Supplier, SampleRequests.Esme, 5), 1, "8.7", "8.7.2");
        var ack = DuisResponse.Parse(DuisResponses.Acknowledgement(header, DateTimeOffset.UnixEpoch).ToXml());
        Assert.That(ack.ResponseCode, Is.EqualTo(ResponseCode.Acknowledgement));
        Assert.That(ack.Message!.Payload, Is.Null);
        Assert.That(ack.Diagnostic, Is.Null);
    }

    [Test]
    public void A_response_code_outside_the_schema_is_refused()
    {
        Assert.That(() => new ResponseCode("E9999"), Throws.ArgumentException.With.Message.Contains("E9999"));
        var xml = DuisResponses.Acknowledgement(new RequestHeader(new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, 1), 8, "8.4", "8.4"), DateTimeOffset.UnixEpoch)
            .ToXml().Replace(">I99<", ">X1<", StringComparison.Ordinal);
        Assert.That(() => DuisResponse.Parse(xml), Throws.TypeOf<DuisException>().With.Message.Contains("X1"));
    }

    [Test]
    public void Parsed_bodies_are_typed()
    {
        var parsed = DuisRequest.Parse(SampleRequests.All(Zaz1Parties.Supplier).Single(c => c.Name == "8.11 UpdateHANDeviceLog add").Request.ToXml());
        var body = (UpdateHanDeviceLog)parsed.Body;
        Assert.That(body.RequestType, Is.EqualTo(HanDeviceLogRequestType.Add));
        Assert.That(Convert.ToHexString(body.AddToWhitelist!.InstallCode), Is.EqualTo("30313233343536373839414243444546"));
        Assert.That(body.AddToWhitelist.JoinTimePeriodSeconds, Is.EqualTo(90));
        Assert.That(XElement.Parse(body.ToXml().ToString()).Name.LocalName, Is.EqualTo("UpdateHANDeviceLog"));
    }
}
