using SecDcc.Docker.Engine;
using SecDcc.Docker.Logs;

namespace SecDcc.Docker.Readiness;

/// <summary>What the waiter needs to know about one container: its state now, and its last words.</summary>
public interface IContainerDiagnostics
{
    /// <summary>A short name for messages, e.g. "secdcc-dcc-1a2b (4f5e6d7c8b9a)".</summary>
    string DisplayName { get; }

    Task<ContainerInfo> InspectAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> GetLastLogLinesAsync(int count, CancellationToken cancellationToken);
}

/// <summary><see cref="IContainerDiagnostics"/> through the engine.</summary>
public sealed class EngineContainerDiagnostics(IDockerEngine engine, string containerId, string? name = null) : IContainerDiagnostics
{
    public string DisplayName => name is null ? ShortId : $"{name} ({ShortId})";

    private string ShortId => containerId.Length > 12 ? containerId[..12] : containerId;

    public async Task<ContainerInfo> InspectAsync(CancellationToken cancellationToken) =>
        await engine.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false)
        ?? throw new DockerException($"container {DisplayName} no longer exists — something removed it (docker rm, or a reaper of another run)");

    public async Task<IReadOnlyList<string>> GetLastLogLinesAsync(int count, CancellationToken cancellationToken)
    {
        var assembler = new LogLineAssembler();
        var lines = new List<string>();
        await foreach (var frame in engine.ReadLogsAsync(containerId, new LogsRequest { Tail = count }, cancellationToken).ConfigureAwait(false))
        {
            lines.AddRange(assembler.Add(frame).Select(l => l.ToString()));
        }

        lines.AddRange(assembler.Flush().Select(l => l.ToString()));
        return lines.Count > count ? lines[^count..] : lines;
    }
}

/// <summary>The container did not become ready: it timed out, ran out of retries, or exited first.</summary>
public sealed class ContainerNotReadyException : DockerException
{
    public ContainerNotReadyException(string message, string? lastObservation, ContainerState? lastState, IReadOnlyList<string> lastLogLines)
        : base(message)
    {
        LastObservation = lastObservation;
        LastState = lastState;
        LastLogLines = lastLogLines;
    }

    public string? LastObservation { get; }
    public ContainerState? LastState { get; }
    public IReadOnlyList<string> LastLogLines { get; }

    /// <summary>True when the container's process had ended, which no amount of waiting would have fixed.</summary>
    public bool ContainerExited => LastState?.HasExited == true;
}

public sealed record ReadinessResult(TimeSpan Elapsed, int Checks, string Observation, ContainerInfo Container);

/// <summary>
/// Polls a condition until it holds. Each round inspects the container first: a container that has exited
/// fails at once with its exit code and last log lines, rather than after the whole timeout.
/// </summary>
public sealed class ReadinessWaiter(IContainerDiagnostics container, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<ReadinessResult> WaitAsync(IReadinessCondition condition, WaitStrategy strategy, CancellationToken cancellationToken)
    {
        strategy.Validate();
        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(strategy.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        string? lastObservation = null;
        ContainerState? lastState = null;
        var checks = 0;
        var failures = 0;

        while (true)
        {
            try
            {
                var info = await container.InspectAsync(linked.Token).ConfigureAwait(false);
                lastState = info.State;
                if (info.State.HasExited)
                {
                    throw await FailAsync(
                        $"container {container.DisplayName} exited before it was ready (exit code {info.State.ExitCode}" +
                        $"{(info.State.OomKilled ? ", out of memory" : "")}) while waiting for {condition.Description}",
                        lastObservation, lastState, strategy, cancellationToken).ConfigureAwait(false);
                }

                using var checkDeadline = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
                checkDeadline.CancelAfter(strategy.CheckTimeout);
                ReadinessCheck check;
                try
                {
                    check = await condition.CheckAsync(info, checkDeadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (checkDeadline.IsCancellationRequested && !linked.IsCancellationRequested)
                {
                    check = ReadinessCheck.NotYet($"the check did not finish within {strategy.CheckTimeout.TotalSeconds:0.#}s");
                }

                checks++;
                lastObservation = check.Observation;
                if (check.IsReady)
                {
                    return new ReadinessResult(_time.GetElapsedTime(started), checks, check.Observation, info);
                }

                failures++;
                if (strategy.Retries is { } retries && failures > retries)
                {
                    throw await FailAsync(
                        $"gave up after {checks} checks ({retries} retries) waiting for {condition.Description} from container {container.DisplayName}",
                        lastObservation, lastState, strategy, cancellationToken).ConfigureAwait(false);
                }

                await Task.Delay(strategy.Interval, _time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw await FailAsync(
                    $"timed out after {strategy.Timeout.TotalSeconds:0.#}s ({checks} checks) waiting for {condition.Description} from container {container.DisplayName}",
                    lastObservation, lastState, strategy, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<ContainerNotReadyException> FailAsync(
        string headline, string? lastObservation, ContainerState? lastState, WaitStrategy strategy, CancellationToken cancellationToken)
    {
        // The deadline has passed, so the diagnostics get a short allowance of their own.
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromSeconds(5));
        IReadOnlyList<string> logs;
        try
        {
            lastState = (await container.InspectAsync(grace.Token).ConfigureAwait(false)).State;
            logs = await container.GetLastLogLinesAsync(strategy.LogLinesOnFailure, grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerException or OperationCanceledException)
        {
            logs = [$"(could not read the container's logs: {e.Message})"];
        }

        var message = $"{headline}.\n" +
                      $"Last saw: {lastObservation ?? "nothing — no check completed"}.\n" +
                      $"Container state: {lastState?.Describe() ?? "unknown"}.\n" +
                      (logs.Count == 0
                          ? "The container wrote no log lines."
                          : $"Last {logs.Count} log lines:\n  " + string.Join("\n  ", logs));
        return new ContainerNotReadyException(message, lastObservation, lastState, logs);
    }
}
