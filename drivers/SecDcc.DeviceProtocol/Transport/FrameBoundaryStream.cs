using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Transport;

/// <summary>
/// A read-only view of a stream whose reads stop after each 0x7E flag, so a <see cref="FrameReader"/> decodes one
/// frame per read and hands it over before it looks at the next.
/// </summary>
/// <remarks>
/// A receiver whose keys change with what it reads needs this: the Device Certificates a hub offers must be
/// checked and added before its next, signed, frame is verified. Read in bulk, both frames would be validated
/// in one batch and the second dropped for want of the key the first one carried.
/// </remarks>
public sealed class FrameBoundaryStream(Stream inner, int bufferSize = 4096) : Stream
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("a frame boundary stream has no length");

    public override long Position
    {
        get => throw new NotSupportedException("a frame boundary stream has no position");
        set => throw new NotSupportedException("a frame boundary stream cannot seek");
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_start == _end)
        {
            _start = 0;
            _end = await inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (_end == 0)
            {
                return 0;
            }
        }

        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_start == _end)
        {
            _start = 0;
            _end = inner.Read(_buffer, 0, _buffer.Length);
            if (_end == 0)
            {
                return 0;
            }
        }

        return Take(buffer.AsSpan(offset, count));
    }

    public override void Flush()
    {
        // Nothing is written through this view.
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a frame boundary stream cannot seek");

    public override void SetLength(long value) => throw new NotSupportedException("a frame boundary stream has no length");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("a frame boundary stream is read-only; write to the underlying stream");

    private int Take(Span<byte> destination)
    {
        var available = _buffer.AsSpan(_start, _end - _start);
        var flag = available.IndexOf(FrameFormat.Flag);
        var take = Math.Min(flag >= 0 ? flag + 1 : available.Length, destination.Length);
        available[..take].CopyTo(destination);
        _start += take;
        return take;
    }
}
