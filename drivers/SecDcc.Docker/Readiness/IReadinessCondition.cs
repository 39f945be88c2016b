using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Readiness;

/// <summary>The outcome of one readiness check, with what it saw, so a timeout can say what was last observed.</summary>
public readonly record struct ReadinessCheck(bool IsReady, string Observation)
{
    public static ReadinessCheck Ready(string observation) => new(true, observation);
    public static ReadinessCheck NotYet(string observation) => new(false, observation);
}

/// <summary>
/// One question asked of a running container: is it ready yet? The waiter supplies the container as just
/// inspected, so a condition can find its mapped ports and health without another call. A condition answers
/// NotYet for the expected transient states (connection refused, 503, health "starting") and lets anything
/// unexpected throw: a probe that swallows every error hides a broken probe until the timeout.
/// </summary>
public interface IReadinessCondition
{
    /// <summary>What is being waited for, in words that complete "waiting for …".</summary>
    string Description { get; }

    Task<ReadinessCheck> CheckAsync(ContainerInfo container, CancellationToken cancellationToken);
}

/// <summary>How long and how often to ask. Retries (failed checks allowed) is optional; the timeout always applies.</summary>
public sealed record WaitStrategy
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);
    public int? Retries { get; init; }

    /// <summary>One check may take at most this long, so a hung probe cannot eat the whole timeout silently.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many of the container's last log lines a failure message carries.</summary>
    public int LogLinesOnFailure { get; init; } = 20;

    public static WaitStrategy Default { get; } = new();

    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "a readiness timeout must be positive, e.g. 60 seconds");
        }

        if (Interval < TimeSpan.Zero || CheckTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "the interval must not be negative and the check timeout must be positive");
        }

        if (Retries is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "retries must be zero or more, or null for no limit");
        }
    }
}
