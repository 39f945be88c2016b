using SecDcc.Drivers.Link;
using static SecDcc.Drivers.Tests.Link.LinkKit;

namespace SecDcc.Drivers.Tests.Link;

/// <summary>Every reason a frame can be dropped, each counted once, and the link carrying on after it.</summary>
[TestFixture]
public sealed class DecoderTests
{
    private LinkDecoder _decoder = null!;
    private List<FrameDrop> _drops = null!;

    [SetUp]
    public void NewDecoder()
    {
        _decoder = Decoder();
        _drops = [];
        _decoder.Dropped = _drops.Add;
    }

    [Test]
    public void A_good_signed_authority_frame_is_accepted()
    {
        var frames = _decoder.Decode(Frame(Authority, 5, "open valve"u8, HubKey));

        Assert.That(frames, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(frames[0].IsSigned, Is.True);
            Assert.That(frames[0].Signature.Length, Is.EqualTo(64));
            Assert.That(frames[0].Sender, Is.EqualTo(Hub));
            Assert.That(frames[0].Target, Is.EqualTo(Meter));
            Assert.That(frames[0].Counter, Is.EqualTo(5UL));
            Assert.That(_decoder.Statistics.FramesAccepted, Is.EqualTo(1));
        });
    }

    [Test]
    public void Bad_crc() => AssertDropped(Corrupt(Body(Telemetry, 1), at: 33), DropReason.BadCrc);

    [Test]
    public void Oversize_frame_is_dropped_and_skipped_to_the_next_flag()
    {
        var big = FrameCodec.Encode(new FrameHeader(Telemetry, 1, Hub, Meter), new byte[5000], null, Options(maxPayload: 8000));

        AssertDropped(big, DropReason.Oversize);
    }

    [Test]
    public void Oversize_payload_length_inside_a_short_enough_body_is_dropped()
    {
        // 4096 + 40 bytes unsigned still fits the room a signed 4096-byte frame would take, so only the
        // length field shows it is over the limit.
        var body = FrameCodec.BuildBody(new FrameHeader(Telemetry, 1, Hub, Meter), new byte[4136], null);

        AssertDropped(FrameCodec.Stuff(body), DropReason.Oversize);
    }

    [Test]
    public void Frame_shorter_than_a_header_is_truncated() => AssertDropped([0x7E, 1, 2, 3, 0x7E], DropReason.Truncated);

    [Test]
    public void Frame_shorter_than_its_length_field_is_truncated()
    {
        var body = Body(Telemetry, 1, payloadLength: 20);
        var cut = Refcs(body[..^12].Concat(new byte[2]).ToArray());

        AssertDropped(FrameCodec.Stuff(cut), DropReason.Truncated);
    }

    [Test]
    public void Frame_cut_off_by_the_end_of_the_stream_is_truncated()
    {
        var wire = Frame(Telemetry, 1, new byte[20]);
        _decoder.Decode(wire[..^5]);
        _decoder.Complete();

        Assert.That(_decoder.Statistics.Dropped(DropReason.Truncated), Is.EqualTo(1));
        Assert.That(_decoder.Statistics.FramesAccepted, Is.Zero);
    }

    [Test]
    public void Escape_then_flag_aborts_the_frame()
    {
        var wire = Frame(Telemetry, 1, new byte[20]);
        byte[] aborted = [.. wire[..^1], 0x7D, 0x7E];

        AssertDropped(aborted, DropReason.BadEscape);
    }

    [Test]
    public void Escape_of_a_byte_that_is_never_escaped_is_a_bad_escape()
    {
        var wire = Frame(Telemetry, 1, new byte[20]);
        var bad = wire[..15].Concat(new byte[] { 0x7D, 0x41 }).Concat(wire[15..]).ToArray();

        AssertDropped(bad, DropReason.BadEscape);
    }

    [Test]
    public void Unknown_version()
    {
        var body = Body(Telemetry, 1);
        body[0] = 2;

        AssertDropped(FrameCodec.Stuff(Refcs(body)), DropReason.UnknownVersion);
    }

    [Test]
    public void Reserved_flag_bits_are_malformed()
    {
        var body = Body(Telemetry, 1);
        body[1] = 0x80;

        AssertDropped(FrameCodec.Stuff(Refcs(body)), DropReason.Malformed);
    }

    [Test]
    public void Replayed_counter_is_dropped_and_a_later_one_still_accepted()
    {
        var first = Frame(Telemetry, 10, "a"u8);

        Assert.That(_decoder.Decode(first), Has.Count.EqualTo(1));
        AssertDropped(first, DropReason.Replayed);
        AssertDropped(Frame(Telemetry, 9, "b"u8), DropReason.Replayed);
        Assert.That(_decoder.Decode(Frame(Telemetry, 11, "c"u8)), Has.Count.EqualTo(1));
    }

    [Test]
    public void Counters_are_kept_per_sender()
    {
        Assert.That(_decoder.Decode(Frame(Telemetry, 10, "a"u8, sender: Hub)), Has.Count.EqualTo(1));

        Assert.That(_decoder.Decode(Frame(Telemetry, 3, "b"u8, sender: Meter)), Has.Count.EqualTo(1));
    }

    [Test]
    public void Unsigned_authority_frame_is_missing_its_signature() =>
        AssertDropped(Frame(Authority, 1, "open valve"u8), DropReason.MissingSignature);

    [Test]
    public void Authority_frame_signed_with_another_key_has_a_bad_signature() =>
        AssertDropped(Frame(Authority, 1, "open valve"u8, MeterKey, sender: Hub), DropReason.BadSignature);

    [Test]
    public void Tampered_payload_under_a_fresh_crc_has_a_bad_signature()
    {
        var body = FrameCodec.BuildBody(new FrameHeader(Authority, 1, Hub, Meter), "open valve"u8, HubKey);
        body[FrameFormat.HeaderLength] ^= 0x01;

        AssertDropped(FrameCodec.Stuff(Refcs(body)), DropReason.BadSignature);
    }

    [Test]
    public void A_signature_is_verified_even_where_none_is_required() =>
        AssertDropped(Frame(Telemetry, 1, "reading"u8, MeterKey, sender: Hub), DropReason.BadSignature);

    [Test]
    public void Signed_by_a_sender_whose_key_is_unknown() =>
        AssertDropped(Frame(Authority, 1, "open valve"u8, StrangerKey, sender: Stranger), DropReason.UnknownSenderKey);

    [Test]
    public void A_dropped_frame_does_not_move_the_senders_counter()
    {
        AssertDropped(Frame(Authority, 100, "forged"u8, StrangerKey, sender: Hub), DropReason.BadSignature);

        Assert.That(_decoder.Decode(Frame(Authority, 2, "genuine"u8, HubKey)), Has.Count.EqualTo(1));
    }

    [Test]
    public void Noise_before_the_first_flag_is_skipped_not_counted_as_a_frame()
    {
        var frames = _decoder.Decode("boot banner v1.2\r\n"u8.ToArray().Concat(Frame(Telemetry, 1, "x"u8)).ToArray());

        Assert.Multiple(() =>
        {
            Assert.That(frames, Has.Count.EqualTo(1));
            Assert.That(_decoder.Statistics.BytesSkipped, Is.EqualTo(18));
            Assert.That(_decoder.Statistics.DroppedTotal, Is.Zero);
        });
    }

    [Test]
    public void Frames_may_share_a_flag_and_idle_flags_are_ignored()
    {
        var a = Frame(Telemetry, 1, "a"u8);
        var b = Frame(Telemetry, 2, "b"u8);
        var wire = new byte[] { 0x7E, 0x7E, 0x7E }.Concat(a).Concat(b[1..]).Concat(new byte[] { 0x7E, 0x7E }).ToArray();

        Assert.That(_decoder.Decode(wire).Select(f => f.Counter), Is.EqualTo(new ulong[] { 1, 2 }));
        Assert.That(_decoder.Statistics.DroppedTotal, Is.Zero);
    }

    [Test]
    public void A_megabyte_without_a_flag_costs_one_drop_and_the_next_frame_still_arrives()
    {
        var noise = new byte[1 << 20];
        new Random(7).NextBytes(noise);
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = noise[i] is 0x7E or 0x7D ? (byte)0 : noise[i];
        }

        var frames = _decoder.Decode([0x7E, .. noise, .. Frame(Telemetry, 1, "after"u8)]);

        Assert.That(frames.Single().Payload.ToArray(), Is.EqualTo("after"u8.ToArray()));
        Assert.That(_decoder.Statistics.Dropped(DropReason.Oversize), Is.EqualTo(1));
    }

    [Test]
    public void Statistics_describe_themselves()
    {
        _decoder.Decode(Frame(Telemetry, 1, "a"u8));
        _decoder.Decode(Frame(Authority, 2, "a"u8));

        Assert.That(_decoder.Statistics.ToString(), Does.StartWith("accepted 1, dropped 1 (MissingSignature 1), "));
    }

    private void AssertDropped(byte[] wire, DropReason reason)
    {
        var before = _decoder.Statistics.Dropped(reason);
        var total = _decoder.Statistics.DroppedTotal;
        var accepted = _decoder.Statistics.FramesAccepted;
        // From another sender, so it never moves the counters the test is looking at.
        var follower = FrameCodec.Encode(new FrameHeader(Telemetry, 1_000_000 + (ulong)_drops.Count, Meter, Hub), "follower"u8, null);

        var frames = _decoder.Decode([.. wire, .. follower]);

        Assert.Multiple(() =>
        {
            Assert.That(_decoder.Statistics.Dropped(reason), Is.EqualTo(before + 1), $"one {reason} drop; {_decoder.Statistics}");
            Assert.That(_decoder.Statistics.DroppedTotal, Is.EqualTo(total + 1), "and no other drop");
            Assert.That(_drops[^1].Reason, Is.EqualTo(reason), "the observer was told");
            Assert.That(frames.Select(f => f.Payload.ToArray()), Has.All.EqualTo("follower"u8.ToArray()), "nothing bad accepted");
            Assert.That(_decoder.Statistics.FramesAccepted, Is.EqualTo(accepted + 1), "the link carried on");
        });
    }

    private static byte[] Body(ushort type, ulong counter, int payloadLength = 8) =>
        FrameCodec.BuildBody(new FrameHeader(type, counter, Hub, Meter), new byte[payloadLength], null);

    private static byte[] Corrupt(byte[] body, int at)
    {
        body[at] ^= 0x5A;
        return FrameCodec.Stuff(body);
    }
}
