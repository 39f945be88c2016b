namespace SecDcc.Drivers.Gpio;

/// <summary>
/// A loop on the thread pool that runs until stopped: the body of an emulator or an edge callback. Disposing
/// stops it and waits for it; a fault of the body shows in <see cref="Completion"/> and is rethrown by the dispose.
/// </summary>
internal sealed class BackgroundLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;

    private BackgroundLoop(CancellationTokenSource stop, Func<CancellationToken, Task> body)
    {
        _stop = stop;
        var token = stop.Token;
        Completion = Task.Run(() => body(token), CancellationToken.None);
    }

    /// <summary>Ends when the body returns; faults when it throws anything but the cancellation asked for.</summary>
    public Task Completion { get; }

    /// <param name="cancellationToken">Also stops the loop when cancelled.</param>
    public static BackgroundLoop Start(Func<CancellationToken, Task> body, CancellationToken cancellationToken = default) =>
        new(CancellationTokenSource.CreateLinkedTokenSource(cancellationToken), body);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The stop asked for here, or by the caller's token.
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
