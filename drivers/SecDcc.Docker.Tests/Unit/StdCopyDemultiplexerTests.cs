using System.Text;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Logs;

namespace SecDcc.Docker.Tests.Unit;

public sealed class StdCopyDemultiplexerTests
{
    internal static byte[] Frame(LogStreamKind kind, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = (byte)kind;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static async Task<List<(LogStreamKind Kind, string Text)>> ReadAllAsync(Stream stream)
    {
        var frames = new List<(LogStreamKind, string)>();
        await foreach (var f in StdCopyDemultiplexer.ReadFramesAsync(stream, CancellationToken.None))
        {
            frames.Add((f.Stream, Encoding.UTF8.GetString(f.Payload.Span)));
        }

        return frames;
    }

    [Test]
    public async Task Frames_are_split_by_stream()
    {
        var bytes = Frame(LogStreamKind.Stdout, "out 1\n").Concat(Frame(LogStreamKind.Stderr, "err 1\n")).Concat(Frame(LogStreamKind.Stdout, "")).ToArray();

        var frames = await ReadAllAsync(new MemoryStream(bytes));

        Assert.That(frames, Is.EqualTo(new[] { (LogStreamKind.Stdout, "out 1\n"), (LogStreamKind.Stderr, "err 1\n"), (LogStreamKind.Stdout, "") }));
    }

    [Test]
    public async Task Frames_cut_at_every_byte_are_put_back_together()
    {
        var bytes = Frame(LogStreamKind.Stdout, "hello\n").Concat(Frame(LogStreamKind.Stderr, "world\n")).ToArray();

        var frames = await ReadAllAsync(new OneByteStream(bytes));

        Assert.That(frames, Is.EqualTo(new[] { (LogStreamKind.Stdout, "hello\n"), (LogStreamKind.Stderr, "world\n") }));
    }

    [Test]
    public async Task An_empty_stream_has_no_frames() =>
        Assert.That(await ReadAllAsync(new MemoryStream()), Is.Empty);

    [Test]
    public void A_stream_that_ends_inside_a_header_is_reported()
    {
        var bytes = Frame(LogStreamKind.Stdout, "ok\n").Concat(new byte[] { 1, 0, 0 }).ToArray();
        var e = Assert.ThrowsAsync<DockerProtocolException>(() => ReadAllAsync(new MemoryStream(bytes)));
        Assert.That(e!.Message, Does.Contain("inside a frame header at byte 11").And.Contain("3 of 8"));
    }

    [Test]
    public void A_stream_that_ends_inside_a_payload_is_reported()
    {
        var bytes = Frame(LogStreamKind.Stderr, "twelve bytes")[..12];
        var e = Assert.ThrowsAsync<DockerProtocolException>(() => ReadAllAsync(new MemoryStream(bytes)));
        Assert.That(e!.Message, Does.Contain("announced 12 bytes, 4 arrived"));
    }

    [Test]
    public void Unframed_text_is_recognised_as_not_multiplexed()
    {
        var e = Assert.ThrowsAsync<DockerProtocolException>(() => ReadAllAsync(new MemoryStream(Encoding.ASCII.GetBytes("plain tty output\n"))));
        Assert.That(e!.Message, Does.Contain("TTY"));
    }

    [Test]
    public void Lines_are_assembled_per_stream_across_frames()
    {
        var assembler = new LogLineAssembler();
        var lines = new List<LogLine>();
        lines.AddRange(assembler.Add(new LogFrame(LogStreamKind.Stdout, Encoding.UTF8.GetBytes("first half "))));
        lines.AddRange(assembler.Add(new LogFrame(LogStreamKind.Stderr, Encoding.UTF8.GetBytes("error line\r\n"))));
        lines.AddRange(assembler.Add(new LogFrame(LogStreamKind.Stdout, Encoding.UTF8.GetBytes("second half\nno newline"))));
        lines.AddRange(assembler.Flush());

        Assert.That(lines.Select(l => l.ToString()), Is.EqualTo(new[] { "stderr: error line", "first half second half", "no newline" }));
    }

    [Test]
    public void A_character_split_across_frames_is_decoded_whole()
    {
        var bytes = Encoding.UTF8.GetBytes("£5\n");
        var assembler = new LogLineAssembler();
        var lines = assembler.Add(new LogFrame(LogStreamKind.Stdout, bytes[..1])).Concat(assembler.Add(new LogFrame(LogStreamKind.Stdout, bytes[1..]))).ToList();
        Assert.That(lines.Single().Text, Is.EqualTo("£5"));
    }

    private sealed class OneByteStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
