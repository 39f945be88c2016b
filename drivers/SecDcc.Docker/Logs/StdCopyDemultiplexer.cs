using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Logs;

public enum LogStreamKind
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
}

/// <summary>One piece of container output: the bytes one write of the container produced on one stream.</summary>
public readonly record struct LogFrame(LogStreamKind Stream, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Splits the engine's multiplexed log/attach stream (containers without a TTY) back into stdout and stderr.
/// Each frame is an 8-byte header — stream type (0 stdin, 1 stdout, 2 stderr), three zero bytes, payload length
/// as a big-endian uint32 — followed by the payload. Frames may arrive cut at any byte.
/// </summary>
public static class StdCopyDemultiplexer
{
    public const int HeaderSize = 8;

    /// <summary>Frames longer than this are taken as a sign the stream is not multiplexed at all (e.g. a TTY).</summary>
    public const int MaxFrameSize = 16 * 1024 * 1024;

    public static async IAsyncEnumerable<LogFrame> ReadFramesAsync(Stream source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        long offset = 0;
        while (true)
        {
            var got = await FillAsync(source, header, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                yield break;
            }

            if (got < HeaderSize)
            {
                throw new DockerProtocolException(
                    $"the container log stream ended inside a frame header at byte {offset}: {got} of {HeaderSize} header bytes arrived");
            }

            var kind = header[0];
            if (kind > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
            {
                throw new DockerProtocolException(
                    $"byte {offset} of the container log stream is not a frame header ({Convert.ToHexString(header)}); " +
                    "was the container created with a TTY? Its output is then not multiplexed");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            if (length > MaxFrameSize)
            {
                throw new DockerProtocolException(
                    $"frame at byte {offset} of the container log stream claims {length} bytes, more than the {MaxFrameSize} this reader accepts");
            }

            var payload = new byte[length];
            var read = await FillAsync(source, payload, cancellationToken).ConfigureAwait(false);
            if (read < length)
            {
                throw new DockerProtocolException(
                    $"the container log stream ended inside a frame at byte {offset}: the header announced {length} bytes, {read} arrived");
            }

            offset += HeaderSize + length;
            yield return new LogFrame((LogStreamKind)kind, payload);
        }
    }

    /// <summary>Reads until the buffer is full or the stream ends; returns how many bytes arrived.</summary>
    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await source.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
