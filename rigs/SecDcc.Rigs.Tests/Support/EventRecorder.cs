using SecDcc.DeviceProtocol.Wan;

namespace SecDcc.Rigs.Tests.Support;

/// <summary>Reads a session's events as they come and keeps them, so a test can wait for one or look back at all.</summary>
public sealed class EventRecorder
{
    private readonly List<WanEvent> _events = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public EventRecorder(IWanSession session)
    {
        Completion = Task.Run(async () =>
        {
            await foreach (var e in session.Events.ReadAllAsync())
            {
                lock (_gate)
                {
                    _events.Add(e);
                }

                _arrived.Release();
            }
        });
    }

    public Task Completion { get; }

    public IReadOnlyList<WanEvent> All
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    public IReadOnlyList<T> Of<T>()
        where T : WanEvent => All.OfType<T>().ToArray();

    /// <summary>The first matching event at or after position <paramref name="from"/>, or null if the token is cancelled first.</summary>
    public async Task<T?> FirstAsync<T>(Func<T, bool> matches, int from, CancellationToken cancellationToken)
        where T : WanEvent
    {
        while (true)
        {
            if (All.Skip(from).OfType<T>().FirstOrDefault(matches) is { } found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>The first event (already seen or yet to come) of type <typeparamref name="T"/> that matches.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? matches, TimeSpan within, string what)
        where T : WanEvent
    {
        using var deadline = new CancellationTokenSource(within);
        while (true)
        {
            if (All.OfType<T>().FirstOrDefault(e => matches?.Invoke(e) ?? true) is { } found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{what} did not arrive within {within.TotalSeconds:0.#} s; the session saw:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", All)}");
            }
        }
    }
}
