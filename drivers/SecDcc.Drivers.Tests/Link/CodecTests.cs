using SecDcc.Drivers.Link;
using static SecDcc.Drivers.Tests.Link.LinkKit;

namespace SecDcc.Drivers.Tests.Link;

[TestFixture]
public sealed class CodecTests
{
    [Test]
    public void Crc16_x25_check_value_is_0x906E() =>
        Assert.That(Crc16X25.Compute("123456789"u8), Is.EqualTo(0x906E));

    [Test]
    public void Crc16_x25_of_nothing_is_zero() => Assert.That(Crc16X25.Compute([]), Is.Zero);

    [Test]
    public void Fcs_goes_on_the_wire_low_byte_first()
    {
        var body = FrameCodec.BuildBody(new FrameHeader(Telemetry, 1, Hub, Meter), "x"u8, signer: null);
        var crc = Crc16X25.Compute(body.AsSpan(0, body.Length - 2));

        Assert.That(body[^2..], Is.EqualTo(new[] { (byte)crc, (byte)(crc >> 8) }));
    }

    [TestCase("00-DB-12-34-56-78-90-A0")]
    [TestCase("00:db:12:34:56:78:90:a0")]
    [TestCase("00DB1234567890A0")]
    public void Eui64_parses_the_usual_spellings_and_prints_the_duis_one(string text)
    {
        var eui = Eui64.Parse(text);

        Assert.Multiple(() =>
        {
            Assert.That(eui.Value, Is.EqualTo(0x00DB1234567890A0UL));
            Assert.That(eui.ToString(), Is.EqualTo("00-DB-12-34-56-78-90-A0"));
        });
    }

    [TestCase("00-DB-12")]
    [TestCase("not an eui")]
    [TestCase("00-DB-12-34-56-78-90-A0-11")]
    public void Eui64_refuses_what_is_not_one(string text) =>
        Assert.That(() => Eui64.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(text));

    [Test]
    public void Header_fields_sit_where_the_format_says()
    {
        var body = FrameCodec.BuildBody(new FrameHeader(0xABCD, 0x0102030405060708, Hub, Meter), [9, 9, 9], signer: null);

        Assert.Multiple(() =>
        {
            Assert.That(body[0], Is.EqualTo(FrameFormat.CurrentVersion));
            Assert.That(body[1], Is.Zero, "unsigned");
            Assert.That(body[2..4], Is.EqualTo(new byte[] { 0xAB, 0xCD }));
            Assert.That(body[4..12], Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
            Assert.That(body[12..20], Is.EqualTo(new byte[] { 0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0xA0 }));
            Assert.That(body[20..28], Is.EqualTo(new byte[] { 0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0xA1 }));
            Assert.That(body[28..30], Is.EqualTo(new byte[] { 0, 3 }));
            Assert.That(body.Length, Is.EqualTo(FrameFormat.HeaderLength + 3 + FrameFormat.FcsLength));
        });
    }

    [TestCase((byte)0x7E)]
    [TestCase((byte)0x7D)]
    [TestCase((byte)0x11)]
    [TestCase((byte)0x13)]
    public void Every_special_byte_is_escaped_and_comes_back(byte special)
    {
        var payload = Enumerable.Repeat(special, 5).ToArray();
        var wire = Frame(Telemetry, 1, payload);

        var inner = wire[1..^1];
        Assert.Multiple(() =>
        {
            Assert.That(wire[0], Is.EqualTo(FrameFormat.Flag));
            Assert.That(wire[^1], Is.EqualTo(FrameFormat.Flag));
            Assert.That(BareSpecials(inner), Is.Empty, "no special byte appears bare between the flags");
            Assert.That(CountPairs(inner, FrameFormat.Escape, (byte)(special ^ 0x20)), Is.GreaterThanOrEqualTo(5));
        });

        var frames = Decoder().Decode(wire);
        Assert.That(frames.Single().Payload.ToArray(), Is.EqualTo(payload));
    }

    [Test]
    public void Xon_and_xoff_go_bare_when_the_link_has_no_software_flow_control()
    {
        var options = Options() with { EscapeFlowControlBytes = false };
        var wire = FrameCodec.Encode(new FrameHeader(Telemetry, 1, Hub, Meter), [0x11, 0x13], null, options);

        Assert.That(wire, Has.Member((byte)0x11).And.Member((byte)0x13));
        Assert.That(new LinkDecoder(options, Keys()).Decode(wire).Single().Payload.ToArray(), Is.EqualTo(new byte[] { 0x11, 0x13 }));
    }

    [Test]
    public void Random_frames_round_trip_whatever_their_content_and_however_the_bytes_are_split()
    {
        var random = new Random(20240601);
        var decoder = Decoder();
        var splitDecoder = Decoder();
        var sent = new List<(FrameHeader Header, byte[] Payload, bool Signed)>();
        var stream = new MemoryStream();
        for (var i = 0; i < 1_000; i++)
        {
            var length = random.Next(4) == 0 ? random.Next(4097) : random.Next(64);
            var payload = new byte[length];
            random.NextBytes(payload);
            if (random.Next(5) == 0)
            {
                // Payloads made only of special bytes are the worst case for stuffing.
                for (var j = 0; j < payload.Length; j++)
                {
                    payload[j] = new byte[] { 0x7E, 0x7D, 0x11, 0x13, 0x20, 0x5E, 0x5D }[random.Next(7)];
                }
            }

            var signed = random.Next(8) == 0;
            var header = new FrameHeader(
                signed ? Authority : (ushort)random.Next(1, 0xFF),
                (ulong)i + 1,
                Hub,
                new Eui64((ulong)random.NextInt64()));
            sent.Add((header, payload, signed));
            stream.Write(FrameCodec.Encode(header, payload, signed ? HubKey : null));
        }

        var wire = stream.ToArray();
        var whole = decoder.Decode(wire);
        var pieces = new List<LinkFrame>();
        for (var at = 0; at < wire.Length;)
        {
            var n = Math.Min(random.Next(1, 300), wire.Length - at);
            splitDecoder.Decode(wire.AsSpan(at, n), pieces);
            at += n;
        }

        Assert.That(whole, Has.Count.EqualTo(sent.Count), decoder.Statistics.ToString());
        Assert.That(pieces, Has.Count.EqualTo(sent.Count), splitDecoder.Statistics.ToString());
        for (var i = 0; i < sent.Count; i++)
        {
            foreach (var got in new[] { whole[i], pieces[i] })
            {
                Assert.That(got.Header, Is.EqualTo(sent[i].Header));
                Assert.That(got.Payload.ToArray(), Is.EqualTo(sent[i].Payload));
                Assert.That(got.IsSigned, Is.EqualTo(sent[i].Signed));
                Assert.That(got.Version, Is.EqualTo(FrameFormat.CurrentVersion));
            }
        }

        Assert.That(decoder.Statistics.DroppedTotal + splitDecoder.Statistics.DroppedTotal, Is.Zero);
    }

    [Test]
    public void An_oversize_payload_is_refused_when_encoding()
    {
        Assert.That(
            () => FrameCodec.Encode(new FrameHeader(Telemetry, 1, Hub, Meter), new byte[4097], null, Options()),
            Throws.ArgumentException.With.Message.Contains("4097 bytes").And.Message.Contains("4096"));
    }

    [Test]
    public void A_payload_limit_beyond_the_length_field_is_refused() =>
        Assert.That(() => new LinkOptions { MaxPayloadLength = 70_000 }.Validate(), Throws.ArgumentException.With.Message.Contains("65535"));

    /// <summary>Special bytes that are not part of an escape pair.</summary>
    private static List<byte> BareSpecials(byte[] inner)
    {
        var bare = new List<byte>();
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == FrameFormat.Escape && i + 1 < inner.Length && (inner[i + 1] ^ 0x20) is 0x7E or 0x7D or 0x11 or 0x13)
            {
                i++;
            }
            else if (inner[i] is 0x7E or 0x7D or 0x11 or 0x13)
            {
                bare.Add(inner[i]);
            }
        }

        return bare;
    }

    private static int CountPairs(byte[] data, byte first, byte second)
    {
        var n = 0;
        for (var i = 0; i + 1 < data.Length; i++)
        {
            if (data[i] == first && data[i + 1] == second)
            {
                n++;
            }
        }

        return n;
    }
}
