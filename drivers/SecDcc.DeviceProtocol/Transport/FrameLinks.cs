using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Transport;

/// <summary>Where encoded frames go: a byte stream (serial line, TCP) or a bus that routes by target (the emulated HAN).</summary>
public interface IFrameSink
{
    /// <summary>What the sink is, for messages.</summary>
    string Name { get; }

    /// <summary>Writes one whole frame as it goes on the wire; frames from concurrent callers never interleave.</summary>
    ValueTask WriteAsync(Eui64 target, ReadOnlyMemory<byte> wire, CancellationToken cancellationToken);
}

/// <summary>Where accepted frames come from. Bad frames are dropped and counted by the source, never returned.</summary>
public interface IFrameSource
{
    LinkStatistics Statistics { get; }

    /// <summary>The next accepted frame, or null once the link has ended.</summary>
    ValueTask<LinkFrame?> ReadFrameAsync(CancellationToken cancellationToken);
}

/// <summary>Writes frames to a stream, one at a time.</summary>
public sealed class StreamFrameSink(Stream stream, string name) : IFrameSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Name { get; } = name;

    public async ValueTask WriteAsync(Eui64 target, ReadOnlyMemory<byte> wire, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(wire, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>Reads frames from a stream through the link's <see cref="FrameReader"/>.</summary>
public sealed class StreamFrameSource(FrameReader reader) : IFrameSource
{
    public LinkStatistics Statistics => reader.Statistics;

    public ValueTask<LinkFrame?> ReadFrameAsync(CancellationToken cancellationToken) => reader.ReadFrameAsync(cancellationToken);
}
