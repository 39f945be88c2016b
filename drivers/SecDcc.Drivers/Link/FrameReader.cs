using System.Runtime.CompilerServices;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Link;

/// <summary>Reads device link frames from a stream or a serial port: the thin I/O half over a <see cref="LinkDecoder"/>.</summary>
/// <remarks>
/// Bad input is dropped and counted in <see cref="Statistics"/>, never thrown; the reader goes on to the next
/// flag. What the stream itself throws (a timeout, a cancellation, an I/O error) is passed on.
/// </remarks>
public sealed class FrameReader : IDisposable
{
    private readonly Stream _source;
    private readonly bool _ownsSource;
    private readonly LinkDecoder _decoder;
    private readonly Queue<LinkFrame> _ready = new();
    private readonly List<LinkFrame> _batch = [];
    private readonly byte[] _buffer;
    private bool _ended;

    /// <param name="ownsSource">Dispose the stream with the reader.</param>
    public FrameReader(Stream source, LinkDecoder decoder, bool ownsSource = false, int readBufferSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(readBufferSize, 1);
        if (!source.CanRead)
        {
            throw new ArgumentException("a frame reader needs a readable stream", nameof(source));
        }

        _source = source;
        _decoder = decoder;
        _ownsSource = ownsSource;
        _buffer = new byte[readBufferSize];
    }

    /// <summary>Reads from a serial port (which stays the caller's); a hang-up ends the frames.</summary>
    public FrameReader(ISerialPort port, LinkDecoder decoder, int readBufferSize = 4096)
        : this(port.AsStream(ownsPort: false), decoder, ownsSource: true, readBufferSize)
    {
    }

    public LinkStatistics Statistics => _decoder.Statistics;

    public LinkDecoder Decoder => _decoder;

    /// <summary>The next accepted frame, or null once the stream has ended.</summary>
    public async ValueTask<LinkFrame?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        while (_ready.Count == 0)
        {
            if (_ended)
            {
                return null;
            }

            var n = await _source.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            _batch.Clear();
            if (n == 0)
            {
                _ended = true;
                _decoder.Complete();
                continue;
            }

            _decoder.Decode(_buffer.AsSpan(0, n), _batch);
            foreach (var frame in _batch)
            {
                _ready.Enqueue(frame);
            }
        }

        return _ready.Dequeue();
    }

    /// <summary>Every accepted frame until the stream ends.</summary>
    public async IAsyncEnumerable<LinkFrame> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            yield return frame;
        }
    }

    public void Dispose()
    {
        if (_ownsSource)
        {
            _source.Dispose();
        }
    }
}
