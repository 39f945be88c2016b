using SecDcc.DeviceProtocol.Encoding;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;

namespace SecDcc.Rigs.Tests.Protocol;

public sealed class CodecTests
{
    private static readonly Eui64 Dcc = Eui64.Parse("90-B3-D5-1F-30-00-00-02");
    private static readonly Eui64 Chf = Eui64.Parse("00-DB-12-34-56-78-00-01");
    private static readonly Eui64 Esme = Eui64.Parse("00-DB-12-34-56-78-00-03");
    private static readonly RequestId Request = new(Dcc, Esme, 1_795_000_000_000_123);
    private static readonly DeviceModelInfo Model = new("SecDcc Emulation", "EMU-ESME1", "2.1", "4.0.3", Octets.FromHex(new string('A', 64)), "SMETS1");
    private static readonly ValueList<DeviceLogEntry> Entries = ValueList.Of(new DeviceLogEntry(Esme, DeviceType.ESME), new DeviceLogEntry(Chf, DeviceType.IHD));
    private static readonly ValueList<CredentialCell> Cells = ValueList.Of(new CredentialCell("accessControlBroker", new Octets([1, 2, 3])), new CredentialCell("root", Octets.Empty));

    /// <summary>One of every message, with every optional part filled in and, where it matters, left out.</summary>
    public static IEnumerable<TestCaseData> EveryMessage()
    {
        DeviceMessage[] messages =
        [
            new DeviceCertificatesMessage(ValueList.Of(new Octets([0x30, 0x82]), new Octets([0x7E, 0x7D, 0x11, 0x13]))),
            new DeviceCertificatesMessage(ValueList<Octets>.Empty),
            new HubConnectedAlert(Chf, Eui64.Parse("00-DB-12-34-56-78-00-02"), Model, 7),
            new HubConnectedAlert(Chf, null, Model, 0),
            new HanDeviceAlert(Chf, Esme, DeviceType.ESME),
            new UpdateHanDeviceLog(Request, HanLogAction.Add, Esme, DeviceType.ESME, new Octets([9, 9, 9])),
            new UpdateHanDeviceLog(Request, HanLogAction.Remove, Esme, null, Octets.Empty),
            new JoinDevice(Request, Chf, DeviceType.IHD),
            new UnjoinDevice(Request, Chf),
            new CommissionDevice(Request),
            new ReadDeviceLog(Request),
            new RestoreDeviceLog(Request, Entries),
            new ReadSecurityCredentials(Request, "6.24.1", ValueList.Of("root", "recovery")),
            new ReadSecurityCredentials(Request, "6.24.2", ValueList<string>.Empty),
            new UpdateSecurityCredentials(Request, "6.15.1", Cells),
            new IssueSecurityCredentials(Request, "6.17"),
            CommandResponse.Success(Request, Entries, Cells),
            CommandResponse.Failure(Request, ResponseReason.Refused, "does not join Type 2 devices — ünïcode too"),
            new HanDiscover(Chf),
            new HanAnnounce(Esme, DeviceType.ESME, new Octets([1, 2])),
            new LocalQuery(uint.MaxValue, LocalQueryKind.State),
            new IdentityReport(1, new DeviceIdentity(Esme, DeviceType.ESME, Model, new Octets([0x30]))),
            new DeviceLogReport(2, Entries),
            new CredentialsReport(3, Cells),
            new StateReport(4, new DeviceStateInfo(true, ulong.MaxValue, Entries, ValueList.Of(Esme, Chf), "connected: tcp 127.0.0.1:7070", "accepted 3")),
            new StateReport(5, new DeviceStateInfo(false, 0, ValueList<DeviceLogEntry>.Empty, ValueList<Eui64>.Empty, string.Empty, string.Empty)),
            new LocalError(6, "query 9 is not one this device answers"),
        ];
        return messages.Select(m => new TestCaseData(m).SetArgDisplayNames($"{m.GetType().Name} {Array.IndexOf(messages, m)}"));
    }

    [TestCaseSource(nameof(EveryMessage))]
    public void Every_message_survives_an_encode_decode_round_trip(DeviceMessage message)
    {
        var payload = DeviceMessageCodec.Encode(message);
        var decoded = DeviceMessageCodec.Decode(message.MessageType, payload);
        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.EqualTo(message));
            Assert.That(payload[0], Is.EqualTo(DeviceMessageCodec.CurrentVersion));
            Assert.That(DeviceMessageCodec.Encode(decoded), Is.EqualTo(payload), "encoding is canonical");
        });
    }

    [Test]
    public void Every_message_type_the_codec_knows_is_covered_by_the_round_trips()
    {
        var covered = EveryMessage().Select(c => ((DeviceMessage)c.Arguments[0]!).MessageType).ToHashSet();
        Assert.That(covered, Is.EquivalentTo(DeviceMessageCodec.KnownTypes));
    }

    [Test]
    public void Only_wan_messages_other_than_certificates_carry_authority()
    {
        var signed = DeviceMessageCodec.KnownTypes.Where(MessageTypes.SignaturePolicy.Requires).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(signed, Has.All.Matches<ushort>(t => t >> 8 == 0x01));
            Assert.That(signed, Does.Not.Contain(MessageTypes.DeviceCertificates));
            Assert.That(signed, Does.Contain(MessageTypes.HubConnected).And.Contain(MessageTypes.CommandResponse).And.Contain(MessageTypes.JoinDevice));
            Assert.That(signed, Has.None.Matches<ushort>(t => t == MessageTypes.LocalQuery || t == MessageTypes.HanAnnounce));
        });
    }

    [Test]
    public void An_empty_payload_is_truncated()
    {
        var e = DecodeFails(MessageTypes.CommissionDevice, []);
        Assert.That(e.Error, Is.EqualTo(DecodeError.Truncated));
        Assert.That(e.Message, Does.Contain("CommissionDevice (0x0113)").And.Contain("empty"));
    }

    [Test]
    public void A_newer_payload_version_is_refused_with_the_versions_named()
    {
        var payload = DeviceMessageCodec.Encode(new CommissionDevice(Request));
        payload[0] = 2;
        var e = DecodeFails(MessageTypes.CommissionDevice, payload);
        Assert.That(e.Error, Is.EqualTo(DecodeError.UnsupportedVersion));
        Assert.That(e.Message, Does.Contain("version 2").And.Contain("speaks version 1"));
    }

    [Test]
    public void An_unknown_message_type_is_refused()
    {
        var e = DecodeFails(0x0199, [1]);
        Assert.That(e.Error, Is.EqualTo(DecodeError.UnknownMessageType));
        Assert.That(e.Message, Does.Contain("0x0199"));
    }

    [Test]
    public void A_field_running_past_the_end_is_truncated_at_its_offset()
    {
        var payload = DeviceMessageCodec.Encode(new HanDiscover(Chf));
        var cut = payload[..^3];
        var e = DecodeFails(MessageTypes.HanDiscover, cut);
        Assert.Multiple(() =>
        {
            Assert.That(e.Error, Is.EqualTo(DecodeError.Truncated));
            Assert.That(e.Offset, Is.EqualTo(1));
            Assert.That(e.Message, Does.Contain("field 1").And.Contain("runs past the end"));
        });
    }

    [Test]
    public void A_missing_required_field_is_named()
    {
        // A HanDeviceAlert with only the CHF's ID: deviceId and deviceType are missing.
        var writer = new TlvWriter();
        writer.WriteRawByte(1);
        writer.WriteEui(1, Chf);
        var e = DecodeFails(MessageTypes.HanDeviceAlert, writer.ToArray());
        Assert.That(e.Error, Is.EqualTo(DecodeError.MissingField));
        Assert.That(e.Message, Does.Contain("field 2 (deviceId) is missing"));
    }

    [Test]
    public void A_repeated_single_field_is_a_duplicate()
    {
        var writer = new TlvWriter();
        writer.WriteRawByte(1);
        writer.WriteEui(1, Chf);
        writer.WriteEui(1, Esme);
        var e = DecodeFails(MessageTypes.HanDiscover, writer.ToArray());
        Assert.That(e.Error, Is.EqualTo(DecodeError.DuplicateField));
    }

    [Test]
    public void An_eui_of_the_wrong_size_is_a_bad_value()
    {
        var writer = new TlvWriter();
        writer.WriteRawByte(1);
        writer.WriteBytes(1, [1, 2, 3]);
        var e = DecodeFails(MessageTypes.HanDiscover, writer.ToArray());
        Assert.That(e.Error, Is.EqualTo(DecodeError.BadValue));
        Assert.That(e.Message, Does.Contain("3 bytes; an EUI-64 is 8"));
    }

    [Test]
    public void An_enum_value_outside_the_enum_is_a_bad_value()
    {
        var writer = new TlvWriter();
        writer.WriteRawByte(1);
        writer.WriteEui(1, Chf);
        writer.WriteEui(2, Esme);
        writer.WriteUInt(3, 99);
        var e = DecodeFails(MessageTypes.HanDeviceAlert, writer.ToArray());
        Assert.That(e.Error, Is.EqualTo(DecodeError.BadValue));
        Assert.That(e.Message, Does.Contain("99 is not a DeviceType"));
    }

    [Test]
    public void A_number_written_with_a_redundant_byte_is_refused()
    {
        // 0x81 0x00 is 1 written in two bytes; one value must have one spelling under a signature.
        var e = DecodeFails(MessageTypes.LocalQuery, [1, 1, 2, 0x81, 0x00, 2, 1, 1]);
        Assert.That(e.Error, Is.EqualTo(DecodeError.BadValue));
        Assert.That(e.Message, Does.Contain("requestNumber"));
    }

    [Test]
    public void Text_that_is_not_utf8_is_refused()
    {
        var writer = new TlvWriter();
        writer.WriteRawByte(1);
        writer.WriteUInt(1, 1);
        writer.WriteBytes(2, [0xC3, 0x28]);
        var e = DecodeFails(MessageTypes.LocalError, writer.ToArray());
        Assert.That(e.Error, Is.EqualTo(DecodeError.BadValue));
        Assert.That(e.Message, Does.Contain("not valid UTF-8"));
    }

    [Test]
    public void An_unknown_must_understand_field_is_refused_and_an_unknown_optional_one_is_skipped()
    {
        var payload = DeviceMessageCodec.Encode(new HanDiscover(Chf));
        var withCritical = payload.Concat(new byte[] { 0x40, 1, 0xFF }).ToArray();
        var withOptional = payload.Concat(new byte[] { 0x90, 2, 0xAB, 0xCD }).ToArray();
        var e = DecodeFails(MessageTypes.HanDiscover, withCritical);
        Assert.Multiple(() =>
        {
            Assert.That(e.Error, Is.EqualTo(DecodeError.UnknownField));
            Assert.That(e.Message, Does.Contain("field 64").And.Contain("newer protocol"));
            Assert.That(DeviceMessageCodec.Decode(MessageTypes.HanDiscover, withOptional), Is.EqualTo(new HanDiscover(Chf)));
        });
    }

    [Test]
    public void Unknown_fields_inside_nested_records_are_refused_too()
    {
        var writer = new TlvWriter();
        writer.WriteRawByte(1);
        writer.WriteNested(1, n =>
        {
            n.WriteEui(1, Dcc);
            n.WriteEui(2, Esme);
            n.WriteUInt(3, 5);
            n.WriteUInt(9, 1);
        });
        var e = DecodeFails(MessageTypes.CommissionDevice, writer.ToArray());
        Assert.That(e.Error, Is.EqualTo(DecodeError.UnknownField));
        Assert.That(e.Message, Does.Contain("CommissionDevice (0x0113).requestId"));
    }

    [Test]
    public void Decoding_as_the_wrong_kind_says_what_the_frame_carries()
    {
        var payload = DeviceMessageCodec.Encode(new HanDiscover(Chf));
        var e = Assert.Throws<DeviceMessageFormatException>(() => DeviceMessageCodec.Decode<CommandResponse>(MessageTypes.HanDiscover, payload))!;
        Assert.That(e.Message, Does.Contain("expected a CommandResponse").And.Contain("HanDiscover (0x0201)"));
    }

    [Test]
    public void A_request_id_reads_and_writes_the_duis_way()
    {
        var text = Request.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("90-B3-D5-1F-30-00-00-02:00-DB-12-34-56-78-00-03:1795000000000123"));
            Assert.That(RequestId.Parse(text), Is.EqualTo(Request));
            Assert.That(() => RequestId.Parse("90-B3:1"), Throws.TypeOf<FormatException>().With.Message.Contains("originator:target:counter"));
        });
    }

    private static DeviceMessageFormatException DecodeFails(ushort type, byte[] payload) =>
        Assert.Throws<DeviceMessageFormatException>(() => DeviceMessageCodec.Decode(type, payload))!;
}
