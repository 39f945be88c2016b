using SecDcc.Docker.Engine;
using SecDcc.Docker.Readiness;

namespace SecDcc.Docker.Watching;

/// <summary>The watched container stopped (or could no longer be watched) while it was in use.</summary>
public sealed class ContainerStoppedException : DockerException
{
    public ContainerStoppedException(string message, long? exitCode, IReadOnlyList<string> lastLogLines, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        LastLogLines = lastLogLines;
    }

    /// <summary>Null when the engine itself went away and the exit code is unknown.</summary>
    public long? ExitCode { get; }
    public IReadOnlyList<string> LastLogLines { get; }

    internal ContainerStoppedException WithCause(Exception cause) => new(Message + $"\n(the call that failed: {cause.Message})", ExitCode, LastLogLines, cause);
}

/// <summary>
/// Notices when a container stops while the harness uses it, so callers fail with "the container stopped
/// (exit code X) — last log lines: …" instead of a connection error or a timeout. It holds one long
/// POST /containers/{id}/wait?condition=not-running, which the engine answers the moment the process ends.
/// Start it after the container has started; dispose it before stopping the container on purpose.
/// </summary>
public sealed class ContainerWatcher : IAsyncDisposable
{
    private readonly IDockerEngine _engine;
    private readonly string _containerId;
    private readonly IContainerDiagnostics _diagnostics;
    private readonly CancellationTokenSource _disposed = new();
    private readonly CancellationTokenSource _stopped = new();
    private readonly TaskCompletionSource<ContainerStoppedException> _stoppedTask = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    private ContainerWatcher(IDockerEngine engine, string containerId, string description, int logLines)
    {
        _engine = engine;
        _containerId = containerId;
        Description = description;
        _diagnostics = new EngineContainerDiagnostics(engine, containerId);
        _loop = WatchAsync(logLines);
    }

    /// <param name="description">How messages name the container, e.g. "the reference DCC container secdcc-dcc-…".</param>
    public static ContainerWatcher Start(IDockerEngine engine, string containerId, string description, int logLinesOnStop = 20) =>
        new(engine, containerId, description, logLinesOnStop);

    public string Description { get; }

    /// <summary>Cancelled the moment the container is seen to stop: link it into calls to the container.</summary>
    public CancellationToken StoppedToken => _stopped.Token;

    /// <summary>Completes with the failure once the container has stopped; never completes while it runs.</summary>
    public Task<ContainerStoppedException> Stopped => _stoppedTask.Task;

    public bool HasStopped => _stoppedTask.Task.IsCompletedSuccessfully;

    public void ThrowIfStopped()
    {
        if (_stoppedTask.Task.IsCompletedSuccessfully)
        {
            throw _stoppedTask.Task.Result;
        }
    }

    /// <summary>
    /// Runs a call against the container. If the container stops before or during it, the call is cancelled
    /// and fails with <see cref="ContainerStoppedException"/>. A call that fails on its own is given
    /// <paramref name="settle"/> (default 2 s) for the watcher to see whether the container stopped, which
    /// is usually why a connection was refused or reset.
    /// </summary>
    public async Task<T> GuardAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan? settle = null)
    {
        ThrowIfStopped();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopped.Token);
        try
        {
            return await call(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ContainerStoppedException && !cancellationToken.IsCancellationRequested)
        {
            var settled = await Task.WhenAny(_stoppedTask.Task, Task.Delay(settle ?? TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
            if (settled == _stoppedTask.Task)
            {
                throw _stoppedTask.Task.Result.WithCause(e);
            }

            throw;
        }
    }

    private async Task WatchAsync(int logLines)
    {
        // Let the constructor return before the first await touches the engine.
        await Task.Yield();
        ContainerStoppedException failure;
        try
        {
            var exitCode = await _engine.WaitForExitAsync(_containerId, _disposed.Token).ConfigureAwait(false);
            failure = await DescribeStopAsync(exitCode, logLines).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        catch (DockerException e)
        {
            failure = new ContainerStoppedException(
                $"lost track of {Description}: {e.Message}", null, [], e);
        }

        _stoppedTask.TrySetResult(failure);
        await _stopped.CancelAsync().ConfigureAwait(false);
    }

    private async Task<ContainerStoppedException> DescribeStopAsync(long exitCode, int logLines)
    {
        using var allowance = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string state;
        IReadOnlyList<string> logs;
        try
        {
            var info = await _diagnostics.InspectAsync(allowance.Token).ConfigureAwait(false);
            state = info.State.OomKilled ? ", killed for running out of memory" : string.Empty;
            logs = await _diagnostics.GetLastLogLinesAsync(logLines, allowance.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerException or OperationCanceledException)
        {
            state = string.Empty;
            logs = [$"(its logs could not be read: {e.Message})"];
        }

        var signal = exitCode > 128 && exitCode < 160 ? $", signal {exitCode - 128}" : string.Empty;
        var message = $"{Description} stopped (exit code {exitCode}{signal}{state})" +
                      (logs.Count == 0 ? " — it wrote no log lines" : " — last log lines:\n  " + string.Join("\n  ", logs));
        return new ContainerStoppedException(message, exitCode, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        finally
        {
            // _stopped stays undisposed: callers may still hold StoppedToken, and it owns no timer.
            _disposed.Dispose();
        }
    }
}
