using System.IO.Pipes;
using System.Security.Cryptography;
using SecDcc.DeviceProtocol.Encoding;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.Drivers.Link;

namespace SecDcc.Rigs.Tests.Protocol;

public sealed class EndpointTests
{
    private static readonly Eui64 Dcc = Eui64.Parse("90-B3-D5-1F-30-00-00-02");
    private static readonly Eui64 Chf = Eui64.Parse("00-DB-12-34-56-78-00-01");
    private static readonly Eui64 Esme = Eui64.Parse("00-DB-12-34-56-78-00-03");

    [Test]
    [CancelAfter(10_000)]
    public async Task A_relayed_frame_keeps_its_originators_signature_and_verifies_at_the_far_end(CancellationToken ct)
    {
        using var dccKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keys = new VerifierKeyStore().Add(Dcc, dccKey);

        // DCC → (pipe) → CHF: the CHF decodes the frame, then relays it unchanged → (pipe) → meter.
        var (dccOut, chfIn) = Pipe();
        var (chfOut, meterIn) = Pipe();
        var dcc = new MessageEndpoint(Dcc, new StreamFrameSink(dccOut, "dcc"), new StreamFrameSource(new FrameReader(Stream.Null, new LinkDecoder(MessageTypes.LinkOptions, keys))), new ClockCounter(), dccKey);
        using var chfReader = new FrameReader(chfIn, new LinkDecoder(MessageTypes.LinkOptions, keys));
        var chf = new MessageEndpoint(Chf, new StreamFrameSink(chfOut, "chf→han"), new StreamFrameSource(chfReader), new ClockCounter(), null);
        using var meterReader = new FrameReader(meterIn, new LinkDecoder(MessageTypes.LinkOptions, keys));
        var meter = new MessageEndpoint(Esme, new StreamFrameSink(Stream.Null, "meter"), new StreamFrameSource(meterReader), new ClockCounter(), null);

        var command = new CommissionDevice(new RequestId(Dcc, Esme, 42));
        var sent = await dcc.SendAsync(Esme, command, ct);
        var atChf = await chf.ReceiveAsync(ct);
        await chf.RelayAsync(atChf!.Frame, ct);
        var atMeter = await meter.ReceiveAsync(ct);

        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSigned, Is.True, "a command carries authority and is signed");
            Assert.That(atMeter!.Message, Is.EqualTo(command));
            Assert.That(atMeter.Sender, Is.EqualTo(Dcc), "the relay does not become the sender");
            Assert.That(atMeter.Frame.Counter, Is.EqualTo(sent.Counter));
            Assert.That(atMeter.Frame.Signature.ToArray(), Is.EqualTo(sent.Signature.ToArray()));
            Assert.That(FrameRelay.VerifySignature(atMeter.Frame, dccKey), Is.True);
            Assert.That(meterReader.Statistics.DroppedTotal, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_frame_whose_payload_does_not_decode_is_skipped_and_counted_and_the_link_goes_on(CancellationToken ct)
    {
        var (writeEnd, readEnd) = Pipe();
        using var reader = new FrameReader(readEnd, new LinkDecoder(MessageTypes.LinkOptions, new VerifierKeyStore()));
        var receiver = new MessageEndpoint(Esme, new StreamFrameSink(Stream.Null, "x"), new StreamFrameSource(reader), new ClockCounter(), null);
        var reported = new List<string>();
        receiver.Undecodable = (_, e) => reported.Add(e.Message);

        // A HanDiscover frame whose payload claims version 9, then a good one.
        var counter = new ClockCounter();
        var bad = FrameCodec.Encode(new FrameHeader(MessageTypes.HanDiscover, counter.Next(), Chf, Esme), [9, 1, 8, 0, 0, 0, 0, 0, 0, 0, 1], null, MessageTypes.LinkOptions);
        var good = FrameCodec.Encode(new FrameHeader(MessageTypes.HanDiscover, counter.Next(), Chf, Esme), DeviceMessageCodec.Encode(new HanDiscover(Chf)), null, MessageTypes.LinkOptions);
        await writeEnd.WriteAsync(bad.Concat(good).ToArray(), ct);

        var received = await receiver.ReceiveAsync(ct);
        Assert.Multiple(() =>
        {
            Assert.That(received!.Message, Is.EqualTo(new HanDiscover(Chf)));
            Assert.That(receiver.UndecodableCount, Is.EqualTo(1));
            Assert.That(reported.Single(), Does.Contain("payload version 9"));
        });
    }

    [Test]
    public void A_message_too_big_for_the_link_is_refused_before_it_is_sent()
    {
        var endpoint = new MessageEndpoint(Chf, new StreamFrameSink(Stream.Null, "null"), new StreamFrameSource(new FrameReader(Stream.Null, new LinkDecoder(MessageTypes.LinkOptions, new VerifierKeyStore()))), new ClockCounter(), null);
        var huge = new DeviceCertificatesMessage(ValueList.Of(new Octets(new byte[MessageTypes.LinkOptions.MaxPayloadLength + 1])));
        Assert.That(
            async () => await endpoint.SendAsync(Dcc, huge, CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("over the link's limit"));
    }

    [Test]
    public void A_message_that_carries_authority_cannot_be_sent_unsigned()
    {
        var endpoint = new MessageEndpoint(Chf, new StreamFrameSink(Stream.Null, "null"), new StreamFrameSource(new FrameReader(Stream.Null, new LinkDecoder(MessageTypes.LinkOptions, new VerifierKeyStore()))), new ClockCounter(), null);
        Assert.That(
            async () => await endpoint.SendAsync(Dcc, new CommissionDevice(new RequestId(Dcc, Esme, 1)), CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("must be signed"));
    }

    [Test]
    public async Task The_frame_boundary_stream_hands_out_one_frame_per_read()
    {
        byte[] wire = [0x7E, 1, 2, 0x7E, 0x7E, 3, 0x7E, 4];
        var stream = new FrameBoundaryStream(new MemoryStream(wire));
        var buffer = new byte[16];
        var reads = new List<byte[]>();
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            reads.Add(buffer[..n]);
        }

        Assert.That(reads, Is.EqualTo(new[] { new byte[] { 0x7E }, [1, 2, 0x7E], [0x7E], [3, 0x7E], [4] }));
    }

    private static (Stream Write, Stream Read) Pipe()
    {
        var server = new AnonymousPipeServerStream(PipeDirection.Out);
        var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        return (server, client);
    }
}
