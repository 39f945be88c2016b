using SecDcc.Docker.Engine;
using SecDcc.Docker.Tests.Support;
using SecDcc.Docker.Watching;

namespace SecDcc.Docker.Tests.Unit;

public sealed class ContainerWatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_stop_is_reported_with_the_exit_code_and_the_last_log_lines()
    {
        var engine = new FakeDockerEngine { LogText = { "listening on :8080", "fatal: store corrupt" } };
        engine.Inspections["c1"] = FakeDockerEngine.Container("c1", "exited", 137);
        await using var watcher = ContainerWatcher.Start(engine, "c1", "the reference DCC container dcc-1");
        Assert.That(watcher.HasStopped, Is.False);

        engine.Exit.SetResult(137);
        var stopped = await watcher.Stopped.WaitAsync(Deadline);

        Assert.That(stopped.ExitCode, Is.EqualTo(137));
        Assert.That(stopped.Message, Is.EqualTo(
            "the reference DCC container dcc-1 stopped (exit code 137, signal 9) — last log lines:\n  listening on :8080\n  fatal: store corrupt"));
        Assert.That(watcher.StoppedToken.IsCancellationRequested, Is.True);
        Assert.That(() => watcher.ThrowIfStopped(), Throws.TypeOf<ContainerStoppedException>());
    }

    [Test]
    public async Task A_call_in_flight_fails_with_the_stop_not_a_timeout()
    {
        var engine = new FakeDockerEngine { LogText = { "bye" } };
        engine.Inspections["c1"] = FakeDockerEngine.Container("c1", "exited", 1);
        await using var watcher = ContainerWatcher.Start(engine, "c1", "the DCC");

        var call = watcher.GuardAsync(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return 0;
        }, CancellationToken.None);
        engine.Exit.SetResult(1);

        var e = Assert.ThrowsAsync<ContainerStoppedException>(async () => await call.WaitAsync(Deadline));
        Assert.That(e!.Message, Does.StartWith("the DCC stopped (exit code 1) — last log lines:\n  bye"));
    }

    [Test]
    public async Task A_call_that_fails_because_the_container_died_is_attributed_to_the_stop()
    {
        var engine = new FakeDockerEngine();
        engine.Inspections["c1"] = FakeDockerEngine.Container("c1", "exited", 139);
        await using var watcher = ContainerWatcher.Start(engine, "c1", "the DCC");

        var call = watcher.GuardAsync<int>(ct =>
        {
            // The connection is refused a moment before the engine reports the exit.
            _ = Task.Delay(50).ContinueWith(_ => engine.Exit.SetResult(139), TaskScheduler.Default);
            throw new HttpRequestException("Connection refused (127.0.0.1:32768)");
        }, CancellationToken.None);

        var e = Assert.ThrowsAsync<ContainerStoppedException>(async () => await call.WaitAsync(Deadline));
        Assert.That(e!.Message, Does.Contain("stopped (exit code 139, signal 11)").And.Contain("Connection refused"));
        Assert.That(e.InnerException, Is.TypeOf<HttpRequestException>());
    }

    [Test]
    public async Task A_call_that_fails_on_its_own_keeps_its_own_error()
    {
        var engine = new FakeDockerEngine();
        await using var watcher = ContainerWatcher.Start(engine, "c1", "the DCC");

        Assert.That(() => watcher.GuardAsync<int>(_ => throw new InvalidOperationException("HTTP 400 from the DCC"), CancellationToken.None, TimeSpan.FromMilliseconds(50)),
            Throws.InvalidOperationException.With.Message.EqualTo("HTTP 400 from the DCC"));
        Assert.That(watcher.HasStopped, Is.False);
    }

    [Test]
    public async Task Losing_the_engine_counts_as_a_stop_with_the_reason()
    {
        var engine = new FakeDockerEngine
        {
            WaitFailure = new DockerUnavailableException(DockerUnavailableReason.NotResponding, "/var/run/docker.sock", "the connection to the Docker engine broke"),
        };
        await using var watcher = ContainerWatcher.Start(engine, "c1", "the DCC");

        var stopped = await watcher.Stopped.WaitAsync(Deadline);

        Assert.That(stopped.ExitCode, Is.Null);
        Assert.That(stopped.Message, Is.EqualTo("lost track of the DCC: the connection to the Docker engine broke"));
    }

    [Test]
    public async Task Disposing_ends_the_watch_without_reporting_a_stop()
    {
        var engine = new FakeDockerEngine();
        var watcher = ContainerWatcher.Start(engine, "c1", "the DCC");

        await watcher.DisposeAsync().AsTask().WaitAsync(Deadline);

        Assert.That(watcher.HasStopped, Is.False);
        Assert.That(watcher.StoppedToken.IsCancellationRequested, Is.False);
    }
}
