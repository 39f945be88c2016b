using System.Diagnostics;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Readiness;
using SecDcc.Docker.Tests.Support;

namespace SecDcc.Docker.Tests.Unit;

public sealed class ReadinessWaiterTests
{
    private static readonly WaitStrategy Quick = new() { Timeout = TimeSpan.FromMilliseconds(400), Interval = TimeSpan.FromMilliseconds(20) };

    [Test]
    public async Task Waits_until_the_condition_holds()
    {
        var container = new FakeDiagnostics("running");
        var condition = new ScriptedCondition(check => check >= 3);

        var result = await new ReadinessWaiter(container).WaitAsync(condition, Quick with { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None);

        Assert.That(result.Checks, Is.EqualTo(3));
        Assert.That(result.Observation, Is.EqualTo("HTTP 200 (check 3)"));
    }

    [Test]
    public void A_timeout_says_what_it_waited_for_what_it_last_saw_and_the_last_log_lines()
    {
        var container = new FakeDiagnostics("running") { Logs = ["booting", "opening store /data/smi.db"] };

        var e = Assert.ThrowsAsync<ContainerNotReadyException>(() =>
            new ReadinessWaiter(container).WaitAsync(new ScriptedCondition(_ => false), Quick, CancellationToken.None));

        Assert.That(e!.Message, Does.StartWith("timed out after 0.4s (")
            .And.Contain("waiting for /health/ready to answer 2xx from container dcc-test (0123456789ab)")
            .And.Contain("Last saw: HTTP 503 (check ")
            .And.Contain("Container state: running")
            .And.Contain("Last 2 log lines:\n  booting\n  opening store /data/smi.db"));
        Assert.That(e.ContainerExited, Is.False);
    }

    [Test]
    public void An_exited_container_fails_at_once_with_its_exit_code()
    {
        var container = new FakeDiagnostics("exited", exitCode: 3) { Logs = ["Unhandled exception: store locked"] };
        var clock = Stopwatch.StartNew();

        var e = Assert.ThrowsAsync<ContainerNotReadyException>(() =>
            new ReadinessWaiter(container).WaitAsync(new ScriptedCondition(_ => false), Quick with { Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None));

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(e!.ContainerExited, Is.True);
        Assert.That(e.Message, Does.Contain("exited before it was ready (exit code 3)").And.Contain("Unhandled exception: store locked"));
    }

    [Test]
    public void Retries_bound_the_number_of_failed_checks()
    {
        var condition = new ScriptedCondition(_ => false);
        var e = Assert.ThrowsAsync<ContainerNotReadyException>(() =>
            new ReadinessWaiter(new FakeDiagnostics("running")).WaitAsync(condition, Quick with { Timeout = TimeSpan.FromSeconds(30), Retries = 2 }, CancellationToken.None));

        Assert.That(condition.Checks, Is.EqualTo(3));
        Assert.That(e!.Message, Does.StartWith("gave up after 3 checks (2 retries)"));
    }

    [Test]
    public void A_hung_check_is_cut_off_and_reported_as_such()
    {
        var e = Assert.ThrowsAsync<ContainerNotReadyException>(() =>
            new ReadinessWaiter(new FakeDiagnostics("running")).WaitAsync(new HangingCondition(),
                Quick with { CheckTimeout = TimeSpan.FromMilliseconds(50), Retries = 1 }, CancellationToken.None));

        Assert.That(e!.LastObservation, Is.EqualTo("the check did not finish within 0.1s").Or.EqualTo("the check did not finish within 0.05s"));
    }

    [Test]
    public void A_broken_probe_is_not_swallowed()
    {
        Assert.That(() => new ReadinessWaiter(new FakeDiagnostics("running")).WaitAsync(new ThrowingCondition(), Quick, CancellationToken.None),
            Throws.InvalidOperationException.With.Message.EqualTo("probe bug"));
    }

    [Test]
    public void The_callers_cancellation_is_a_cancellation_not_a_readiness_failure()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.That(() => new ReadinessWaiter(new FakeDiagnostics("running")).WaitAsync(new ScriptedCondition(_ => false),
                Quick with { Timeout = TimeSpan.FromSeconds(30) }, cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Docker_health_is_read_from_the_inspection()
    {
        var starting = FakeDockerEngine.Container("a", "running", health: new HealthState("starting", 0, [new HealthProbe(default, default, 1, "nothing accepts connections on 127.0.0.1:8080\n")]));
        var healthy = FakeDockerEngine.Container("a", "running", health: new HealthState("healthy", 0, []));

        var notYet = await new HealthCheckReadiness().CheckAsync(starting, CancellationToken.None);
        var ready = await new HealthCheckReadiness().CheckAsync(healthy, CancellationToken.None);

        Assert.That(notYet, Is.EqualTo(ReadinessCheck.NotYet("health starting; last probe exit 1: nothing accepts connections on 127.0.0.1:8080")));
        Assert.That(ready.IsReady, Is.True);
        Assert.That(() => new HealthCheckReadiness().CheckAsync(FakeDockerEngine.Container("a", "running"), CancellationToken.None),
            Throws.InstanceOf<DockerException>().With.Message.Contains("has no HEALTHCHECK"));
    }

    [Test]
    public void A_nonsensical_strategy_is_refused_with_an_example() =>
        Assert.That(() => new WaitStrategy { Timeout = TimeSpan.Zero }.Validate(),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("e.g. 60 seconds"));

    private sealed class FakeDiagnostics(string status, long exitCode = 0) : IContainerDiagnostics
    {
        public IReadOnlyList<string> Logs { get; init; } = [];
        public string DisplayName => "dcc-test (0123456789ab)";

        public Task<ContainerInfo> InspectAsync(CancellationToken cancellationToken) =>
            Task.FromResult(FakeDockerEngine.Container("0123456789abcdef", status, exitCode));

        public Task<IReadOnlyList<string>> GetLastLogLinesAsync(int count, CancellationToken cancellationToken) => Task.FromResult(Logs);
    }

    private sealed class ScriptedCondition(Func<int, bool> readyAt) : IReadinessCondition
    {
        public int Checks { get; private set; }
        public string Description => "/health/ready to answer 2xx";

        public Task<ReadinessCheck> CheckAsync(ContainerInfo container, CancellationToken cancellationToken)
        {
            Checks++;
            return Task.FromResult(readyAt(Checks) ? ReadinessCheck.Ready($"HTTP 200 (check {Checks})") : ReadinessCheck.NotYet($"HTTP 503 (check {Checks})"));
        }
    }

    private sealed class HangingCondition : IReadinessCondition
    {
        public string Description => "a probe that hangs";

        public async Task<ReadinessCheck> CheckAsync(ContainerInfo container, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return ReadinessCheck.Ready("unreachable");
        }
    }

    private sealed class ThrowingCondition : IReadinessCondition
    {
        public string Description => "a broken probe";
        public Task<ReadinessCheck> CheckAsync(ContainerInfo container, CancellationToken cancellationToken) => throw new InvalidOperationException("probe bug");
    }
}
