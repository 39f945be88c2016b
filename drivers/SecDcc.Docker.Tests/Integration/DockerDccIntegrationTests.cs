using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using SecDcc.Docker.Dcc;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Readiness;
using SecDcc.Docker.Sessions;
using SecDcc.Docker.Tests.Support;
using SecDcc.Docker.Watching;

namespace SecDcc.Docker.Tests.Integration;

/// <summary>
/// <see cref="DockerDcc"/> with the real reference-dcc Dockerfile, entrypoint and health check, around the
/// stand-in service (same container contract as the reference DCC).
/// </summary>
[Category("Docker")]
public sealed class DockerDccIntegrationTests
{
    private const string Owner = "secdcc-test";
    private IDockerEngine _engine = null!;
    private CancellationTokenSource _timeout = null!;
    private DockerSession _session = null!;

    [SetUp]
    public async Task ConnectAsync()
    {
        _engine = await DockerTestEngine.RequireWithLocalBaseAsync();
        _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _session = new DockerSession(Owner, DockerSession.NewId(), ProcessIdentity.Current);
    }

    [TearDown]
    public async Task RemoveLeftoversAsync()
    {
        if (_engine is not null && _session is not null)
        {
            foreach (var c in await _engine.ListContainersAsync(new Dictionary<string, string?> { [DockerSession.SessionLabel] = _session.Id }, CancellationToken.None))
            {
                await _engine.RemoveContainerAsync(c.Id, force: true, removeVolumes: true, CancellationToken.None);
            }
        }

        _timeout?.Dispose();
    }

    private DockerDccOptions Options(params string[] arguments) => new()
    {
        PublishedServiceDirectory = DockerTestEngine.StandInPublishDirectory,
        ReferenceDccDirectory = DockerTestEngine.ReferenceDccDirectory,
        AppAssembly = "StandInDcc.dll",
        BaseImage = ReferenceDccImage.LocalBaseImage,
        ImageRepository = "secdcc/reference-dcc-stand-in",
        Arguments = arguments,
        Session = _session,
        Log = line => TestContext.Progress.WriteLine(line),
    };

    [Test]
    public async Task The_DCC_starts_ready_healthy_as_a_non_root_user_with_its_ports_on_loopback_and_is_removed_on_dispose()
    {
        string containerId;
        await using (var dcc = await DockerDcc.StartAsync(_engine, Options() with { WaitForDockerHealth = true }, _timeout.Token))
        {
            containerId = dcc.ContainerId;
            using var http = new HttpClient { BaseAddress = dcc.BaseUrl };
            var whoami = await dcc.GuardAsync(ct => http.GetFromJsonAsync<JsonElement>("whoami", ct), _timeout.Token);
            var banner = await ReadWanBannerAsync(dcc);
            var info = await _engine.InspectContainerAsync(dcc.ContainerId, _timeout.Token);
            var logs = await dcc.GetLastLogLinesAsync(10, _timeout.Token);

            Assert.That(dcc.BaseUrl.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(dcc.WanEndpoint.Address.ToString(), Is.EqualTo("127.0.0.1"));
            Assert.That(whoami.GetProperty("uid").GetString(), Is.EqualTo("1654"), "the image runs as the non-root app user");
            Assert.That(whoami.GetProperty("dataFileExists").GetBoolean(), Is.True, "the non-root user can create /data/smi.db");
            Assert.That(whoami.GetProperty("args").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "--urls", "http://0.0.0.0:8080", "--data", "/data/smi.db" }));
            Assert.That(banner, Is.EqualTo("SECDCC-WAN stand-in"));
            Assert.That(dcc.ImageDigest, Does.StartWith("sha256:"));
            Assert.That(info!.State.Health!.Status, Is.EqualTo("healthy"));
            Assert.That(info.Labels[DockerSession.SessionLabel], Is.EqualTo(_session.Id));
            Assert.That(info.Labels[DockerSession.OwnerLabel], Is.EqualTo(Owner));
            Assert.That(info.Labels[DockerDcc.RoleLabel], Is.EqualTo(DockerDcc.Role));
            Assert.That(logs, Has.Some.StartsWith("stand-in DCC listening on http://0.0.0.0:8080"));
            TestContext.Out.WriteLine($"image {dcc.Image.Tag} {dcc.ImageDigest}, {dcc.Image.Image.Size} bytes, built now: {dcc.Image.Built}");
            TestContext.Out.WriteLine($"container start to ready (HTTP and Docker health): {dcc.StartupTime.TotalMilliseconds:0} ms");
        }

        Assert.That(await _engine.InspectContainerAsync(containerId, _timeout.Token), Is.Null, "dispose removes the container");
    }

    [Test]
    public async Task A_second_start_reuses_the_cached_image()
    {
        string firstDigest;
        await using (var first = await DockerDcc.StartAsync(_engine, Options(), _timeout.Token))
        {
            firstDigest = first.ImageDigest;
        }

        await using var second = await DockerDcc.StartAsync(_engine, Options(), _timeout.Token);

        Assert.That(second.Image.Built, Is.False);
        Assert.That(second.ImageDigest, Is.EqualTo(firstDigest));
        TestContext.Out.WriteLine($"container start to ready (HTTP): {second.StartupTime.TotalMilliseconds:0} ms");
    }

    [Test]
    public async Task Killing_the_container_mid_call_fails_the_call_with_the_exit_code_and_last_log_lines()
    {
        await using var dcc = await DockerDcc.StartAsync(_engine, Options(), _timeout.Token);
        using var http = new HttpClient { BaseAddress = dcc.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        var slowCall = dcc.GuardAsync(ct => http.GetStringAsync("slow", ct), _timeout.Token);

        await _engine.KillContainerAsync(dcc.ContainerId, "SIGKILL", _timeout.Token);

        var e = Assert.ThrowsAsync<ContainerStoppedException>(async () => await slowCall.WaitAsync(TimeSpan.FromSeconds(30)));
        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e!.ExitCode, Is.EqualTo(137));
        Assert.That(e.Message, Does.StartWith($"the reference DCC container {dcc.ContainerName} stopped (exit code 137, signal 9) — last log lines:"));
        Assert.That(e.LastLogLines, Has.Some.StartsWith("stand-in DCC listening"));
        Assert.That(dcc.Watcher.StoppedToken.IsCancellationRequested, Is.True);
        Assert.That(() => dcc.ThrowIfStopped(), Throws.TypeOf<ContainerStoppedException>());
    }

    [Test]
    public async Task A_service_that_exits_during_start_up_fails_at_once_with_its_exit_code_and_leaves_nothing_behind()
    {
        var e = Assert.ThrowsAsync<ContainerNotReadyException>(() => DockerDcc.StartAsync(_engine, Options("--exit-at-start", "3"), _timeout.Token));
        TestContext.Out.WriteLine(e!.Message);

        Assert.That(e!.ContainerExited, Is.True);
        Assert.That(e.Message, Does.Contain("exited before it was ready (exit code 3)")
            .And.Contain("stderr: stand-in DCC: refusing to start with exit code 3, as asked"));
        var left = await _engine.ListContainersAsync(new Dictionary<string, string?> { [DockerSession.SessionLabel] = _session.Id }, _timeout.Token);
        Assert.That(left, Is.Empty);
    }

    [Test]
    public async Task A_readiness_timeout_names_the_path_the_last_answer_and_the_log()
    {
        // Started on liveness: this stand-in will not be ready for ten minutes.
        await using var dcc = await DockerDcc.StartAsync(_engine, Options("--ready-after-ms", "600000") with { ReadinessPath = "/health/live" }, _timeout.Token);
        using var ready = new HttpReadiness(ReferenceDccImage.DefaultHttpPort, "/health/ready");
        var waiter = new ReadinessWaiter(new EngineContainerDiagnostics(_engine, dcc.ContainerId, dcc.ContainerName));

        var e = Assert.ThrowsAsync<ContainerNotReadyException>(() =>
            waiter.WaitAsync(ready, new WaitStrategy { Timeout = TimeSpan.FromSeconds(1.5), Interval = TimeSpan.FromMilliseconds(100) }, _timeout.Token));
        TestContext.Out.WriteLine(e!.Message);

        Assert.That(e!.Message, Does.StartWith("timed out after 1.5s")
            .And.Contain("HTTP GET /health/ready on container port 8080/tcp to answer 2xx")
            .And.Contain("answered 503 Service Unavailable")
            .And.Contain("Container state: running")
            .And.Contain("stand-in DCC listening"));
        Assert.That(e.ContainerExited, Is.False);
    }

    private static async Task<string> ReadWanBannerAsync(DockerDcc dcc)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(dcc.WanEndpoint);
        using var reader = new StreamReader(client.GetStream());
        return await reader.ReadLineAsync() ?? string.Empty;
    }
}
