using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SecDcc.Drivers.Gpio;

/// <summary>
/// Edges of one input, from the moment <see cref="GpioController.Watch"/> returned until disposal or until the
/// line is closed. Registered eagerly, so no edge between the call and the first read is lost.
/// </summary>
public sealed class GpioEdgeWatcher : IDisposable
{
    private readonly Channel<GpioEdgeEvent> _events = Channel.CreateUnbounded<GpioEdgeEvent>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private readonly Action<GpioEdgeWatcher> _unregister;
    private int _disposed;

    internal GpioEdgeWatcher(int line, string description, GpioEdges edges, Action<GpioEdgeWatcher> unregister)
    {
        Line = line;
        Description = description;
        Edges = edges;
        _unregister = unregister;
    }

    public int Line { get; }

    /// <summary>"line 5 (pulse input 'esme')".</summary>
    public string Description { get; }

    public GpioEdges Edges { get; }

    /// <summary>The next edge, waiting for it.</summary>
    /// <exception cref="GpioException">The backend stopped watching the line (the module went away).</exception>
    /// <exception cref="InvalidOperationException">The line was closed or the watcher disposed.</exception>
    public async ValueTask<GpioEdgeEvent> NextAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _events.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e) when (e.InnerException is null)
        {
            throw new InvalidOperationException($"no more edges will come on {Description}: the line was closed or the watcher disposed", e);
        }
        catch (ChannelClosedException e) when (e.InnerException is GpioException fault)
        {
            throw new GpioException(fault.Error, fault.Message, fault.Errno, fault);
        }
    }

    /// <summary>An edge already seen and not yet read, without waiting.</summary>
    public bool TryRead(out GpioEdgeEvent edge) => _events.Reader.TryRead(out edge);

    /// <summary>Every edge until the line is closed, the watcher disposed, or the token cancelled.</summary>
    public async IAsyncEnumerable<GpioEdgeEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_events.Reader.TryRead(out var edge))
            {
                yield return edge;
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unregister(this);
            _events.Writer.TryComplete();
        }
    }

    internal void Post(GpioEdgeEvent edge)
    {
        if ((edge.Edge & Edges) != 0)
        {
            _events.Writer.TryWrite(edge);
        }
    }

    internal void Complete(GpioException? fault) => _events.Writer.TryComplete(fault);
}

/// <summary>A callback registered with <see cref="GpioController.OnEdge"/>; dispose to stop it.</summary>
public sealed class GpioEdgeSubscription : IAsyncDisposable
{
    private readonly BackgroundLoop _loop;

    internal GpioEdgeSubscription(BackgroundLoop loop) => _loop = loop;

    /// <summary>Ends when the line is closed or the subscription disposed; faults when the callback threw or the backend failed.</summary>
    public Task Completion => _loop.Completion;

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
