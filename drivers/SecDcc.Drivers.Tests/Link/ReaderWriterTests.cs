using System.IO.Pipes;
using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;
using SecDcc.Drivers.Tests.Serial;
using static SecDcc.Drivers.Tests.Link.LinkKit;

namespace SecDcc.Drivers.Tests.Link;

[TestFixture]
[CancelAfter(20_000)]
public sealed class ReaderWriterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_device_on_a_pty_sends_frames_the_harness_reads_through_the_serial_driver()
    {
        using var pty = TermiosLayoutTests.PtyOrIgnore();
        using var port = SerialPort.Open(pty.SlavePath, new SerialSettings());
        using var device = new FrameWriter(pty.Master, Hub, new MonotonicCounter(), HubKey, Options());
        using var harness = new FrameReader(port, Decoder());

        var sent = new List<LinkFrame>
        {
            await device.SendAsync(Telemetry, Meter, "reading 1"u8.ToArray()),
            await device.SendAsync(Authority, Meter, "open valve"u8.ToArray()),
            await device.SendAsync(Telemetry, Meter, new byte[4096]),
        };

        var got = new List<LinkFrame>();
        for (var i = 0; i < sent.Count; i++)
        {
            got.Add((await harness.ReadFrameAsync().AsTask().WaitAsync(Deadline))!);
        }

        Assert.Multiple(() =>
        {
            Assert.That(got.Select(f => f.Header), Is.EqualTo(sent.Select(f => f.Header)));
            Assert.That(got.Select(f => f.IsSigned), Is.EqualTo(new[] { false, true, false }), "signed exactly where the policy requires");
            Assert.That(got[1].Signature.ToArray(), Is.EqualTo(sent[1].Signature.ToArray()));
            Assert.That(got[2].Payload.Length, Is.EqualTo(4096));
            Assert.That(got.Select(f => f.Counter), Is.EqualTo(new ulong[] { 1, 2, 3 }));
            Assert.That(harness.Statistics.DroppedTotal, Is.Zero);
        });
    }

    [Test]
    public async Task The_harness_writes_through_the_serial_driver_and_the_device_reads_the_master()
    {
        using var pty = TermiosLayoutTests.PtyOrIgnore();
        using var port = SerialPort.Open(pty.SlavePath, new SerialSettings());
        using var harness = new FrameWriter(port, Meter, new MonotonicCounter(first: 500), MeterKey, Options());
        using var device = new FrameReader(pty.Master, Decoder());

        await harness.SendAsync(Authority, Hub, "join"u8.ToArray());
        var frame = await device.ReadFrameAsync().AsTask().WaitAsync(Deadline);

        Assert.That(frame!.Sender, Is.EqualTo(Meter));
        Assert.That(frame.Counter, Is.EqualTo(500UL));
        Assert.That(frame.Payload.ToArray(), Is.EqualTo("join"u8.ToArray()));
    }

    [Test]
    public async Task Concurrent_senders_share_one_writer_without_tearing_or_reordering_frames()
    {
        var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        using var writer = new FrameWriter(pipe, Hub, new MonotonicCounter(), HubKey, Options(), ownsSink: true);
        using var reader = new FrameReader(client, Decoder());

        var reading = Task.Run(async () =>
        {
            var frames = new List<LinkFrame>();
            await foreach (var f in reader.ReadAllAsync())
            {
                frames.Add(f);
            }

            return frames;
        });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await writer.SendAsync(t % 2 == 0 ? Telemetry : Authority, Meter, new byte[t * 100]);
            }
        }))).WaitAsync(Deadline);
        writer.Dispose();
        var got = await reading.WaitAsync(Deadline);

        Assert.That(got, Has.Count.EqualTo(400), reader.Statistics.ToString());
        Assert.That(got.Select(f => f.Counter), Is.Ordered.Ascending.And.Unique);
    }

    [Test]
    public void A_writer_without_a_key_refuses_a_message_that_must_be_signed()
    {
        using var writer = new FrameWriter(new MemoryStream(), Hub, new MonotonicCounter(), signingKey: null, Options());

        Assert.That(
            async () => await writer.SendAsync(Authority, Meter, "open valve"u8.ToArray()),
            Throws.InvalidOperationException.With.Message.Contains("0x0100").And.Message.Contains("no signing key"));
    }

    [Test]
    public void A_writer_refuses_a_payload_over_the_limit()
    {
        using var writer = new FrameWriter(new MemoryStream(), Hub, new MonotonicCounter(), HubKey, Options(maxPayload: 100));

        Assert.That(
            async () => await writer.SendAsync(Telemetry, Meter, new byte[101]),
            Throws.ArgumentException.With.Message.Contains("101 bytes"));
    }

    [Test]
    public async Task Reader_ends_with_null_when_the_pty_hangs_up_instead_of_looping()
    {
        using var pty = TermiosLayoutTests.PtyOrIgnore();
        using var port = SerialPort.Open(pty.SlavePath, new SerialSettings());
        using var reader = new FrameReader(port, Decoder());
        await pty.Master.WriteAsync(new byte[] { 0x7E, 1, 2, 3 });
        var reading = reader.ReadFrameAsync().AsTask();

        pty.Dispose();

        Assert.That(await reading.WaitAsync(Deadline), Is.Null);
        Assert.That(port.IsHungUp, Is.True);
        Assert.That(await reader.ReadFrameAsync().AsTask().WaitAsync(Deadline), Is.Null, "and stays ended");
    }

    [Test]
    public async Task Reader_passes_on_cancellation()
    {
        using var pty = TermiosLayoutTests.PtyOrIgnore();
        using var port = SerialPort.Open(pty.SlavePath, new SerialSettings());
        using var reader = new FrameReader(port, Decoder());
        using var cts = new CancellationTokenSource();
        var reading = reader.ReadFrameAsync(cts.Token).AsTask();

        await cts.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await reading.WaitAsync(Deadline));
    }

    [Test]
    public async Task Reader_at_the_end_of_a_stream_counts_a_cut_frame_as_truncated()
    {
        var wire = Frame(Telemetry, 1, "whole"u8).Concat(Frame(Telemetry, 2, "cut"u8)[..^4]).ToArray();
        using var reader = new FrameReader(new MemoryStream(wire), Decoder());

        Assert.That((await reader.ReadFrameAsync())!.Counter, Is.EqualTo(1UL));
        Assert.That(await reader.ReadFrameAsync(), Is.Null);
        Assert.That(reader.Statistics.Dropped(DropReason.Truncated), Is.EqualTo(1));
    }
}
