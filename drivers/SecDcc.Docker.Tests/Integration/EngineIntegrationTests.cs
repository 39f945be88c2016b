using System.Text;
using SecDcc.Docker.Build;
using SecDcc.Docker.Dcc;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Logs;
using SecDcc.Docker.Sessions;
using SecDcc.Docker.Tests.Support;

namespace SecDcc.Docker.Tests.Integration;

/// <summary>The engine operations against the real Docker engine; skipped with the reason when there is none.</summary>
[Category("Docker")]
public sealed class EngineIntegrationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _owner = $"secdcc-test-{Guid.NewGuid():N}";
    private IDockerEngine _engine = null!;
    private CancellationTokenSource _timeout = null!;

    [SetUp]
    public async Task ConnectAsync()
    {
        _engine = await DockerTestEngine.RequireWithLocalBaseAsync();
        _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    }

    [TearDown]
    public async Task RemoveWhatThisTestMadeAsync()
    {
        if (_engine is not null)
        {
            foreach (var c in await _engine.ListContainersAsync(new Dictionary<string, string?> { [DockerSession.OwnerLabel] = _owner }, CancellationToken.None))
            {
                await _engine.RemoveContainerAsync(c.Id, force: true, removeVolumes: true, CancellationToken.None);
            }
        }

        _timeout?.Dispose();
    }

    [Test]
    public async Task The_api_version_is_agreed_with_the_engine()
    {
        var version = await _engine.GetVersionAsync(_timeout.Token);

        var expected = Version.Parse(version.ApiVersion) < Version.Parse(DockerEngineClient.MaximumApiVersion) ? version.ApiVersion : DockerEngineClient.MaximumApiVersion;
        Assert.That(_engine.ApiVersion, Is.EqualTo(expected));
        Assert.That(version.Os, Is.EqualTo("linux"));
        TestContext.Out.WriteLine($"Docker {version.Version}, API {version.ApiVersion} (min {version.MinApiVersion}); speaking {_engine.ApiVersion}");
    }

    [Test]
    public async Task A_small_image_builds_from_the_local_base_and_dockerignore_keeps_files_out()
    {
        using var dir = new TempDirectory();
        dir.Write("Dockerfile", """
            ARG BASE_IMAGE
            FROM ${BASE_IMAGE}
            COPY . /ctx/
            RUN test -f /ctx/keep.txt && test ! -e /ctx/secret.txt && test ! -e /ctx/bin && echo context-checked
            """);
        dir.Write(".dockerignore", "secret.txt\nbin/\n");
        dir.Write("keep.txt", "kept");
        dir.Write("secret.txt", "must not reach the engine");
        dir.Write("bin/Debug/big.dll", "build output");
        var tag = $"secdcc/docker-test:{Guid.NewGuid():N}";
        var output = new List<string>();

        try
        {
            var result = await _engine.BuildImageAsync(BuildContext.FromDirectory(dir.Path), new ImageBuildParameters
            {
                Tags = [tag],
                BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = ReferenceDccImage.LocalBaseImage },
                Labels = new Dictionary<string, string> { ["org.secdcc.test"] = "small-image" },
            }, output.Add, _timeout.Token);
            var image = await _engine.InspectImageAsync(tag, _timeout.Token);
            var listed = await _engine.ListImagesAsync(new Dictionary<string, string?> { ["org.secdcc.test"] = "small-image" }, _timeout.Token);

            Assert.That(output, Has.Some.StartsWith("Step 1/"));
            Assert.That(output, Does.Contain("context-checked"), "the RUN step saw keep.txt and neither excluded path");
            Assert.That(image, Is.Not.Null);
            Assert.That(image!.Id, Is.EqualTo(result.ImageId).And.StartsWith("sha256:"));
            Assert.That(image.Size, Is.GreaterThan(0));
            Assert.That(image.Labels["org.secdcc.test"], Is.EqualTo("small-image"));
            Assert.That(image.RepoTags, Does.Contain(tag));
            Assert.That(listed.Select(i => i.Id), Is.EqualTo(new[] { result.ImageId }));
        }
        finally
        {
            await _engine.RemoveImageAsync(tag, force: true, CancellationToken.None);
        }
    }

    [Test]
    public async Task A_failing_build_step_surfaces_with_its_exit_code_and_output()
    {
        using var dir = new TempDirectory();
        dir.Write("Dockerfile", $"FROM {ReferenceDccImage.LocalBaseImage}\nRUN echo boom-marker && exit 7\n");

        var e = Assert.ThrowsAsync<DockerBuildException>(() => _engine.BuildImageAsync(BuildContext.FromDirectory(dir.Path),
            new ImageBuildParameters { Tags = [$"secdcc/docker-test:{Guid.NewGuid():N}"] }, null, _timeout.Token));

        Assert.That(e!.EngineError, Does.Contain("returned a non-zero code: 7"));
        Assert.That(e.Output, Does.Contain("boom-marker"));
        Assert.That(e.Message, Does.Contain("boom-marker"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task A_container_is_created_started_inspected_logged_stopped_and_removed()
    {
        var session = new DockerSession(_owner, "run-lifecycle", ProcessIdentity.Current);
        var id = await _engine.CreateContainerAsync(new ContainerSpec
        {
            Image = ReferenceDccImage.LocalBaseImage,
            Command = ["bash", "-c", "echo out-line; echo err-line >&2; echo \"greeting=$GREETING\"; exec sleep 300"],
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
            Labels = session.Labels,
            Ports = [new PortPublication(new ContainerPort(8080))],
        }, _timeout.Token);

        await _engine.StartContainerAsync(id, _timeout.Token);
        var running = await _engine.InspectContainerAsync(id, _timeout.Token);
        var lines = await WaitForLogLinesAsync(id, 3);
        var listed = await _engine.ListContainersAsync(new Dictionary<string, string?> { [DockerSession.SessionLabel] = "run-lifecycle", [DockerSession.OwnerLabel] = _owner }, _timeout.Token);
        await _engine.StopContainerAsync(id, TimeSpan.FromSeconds(1), _timeout.Token);
        var stopped = await _engine.InspectContainerAsync(id, _timeout.Token);
        var removed = await _engine.RemoveContainerAsync(id, force: false, removeVolumes: true, _timeout.Token);
        var removedAgain = await _engine.RemoveContainerAsync(id, force: false, removeVolumes: true, _timeout.Token);

        Assert.That(running!.State.Running, Is.True);
        Assert.That(running.Labels[DockerSession.SessionLabel], Is.EqualTo("run-lifecycle"));
        var published = running.HostEndpoint(8080);
        Assert.That(published, Is.Not.Null);
        Assert.That(published!.Address.ToString(), Is.EqualTo("127.0.0.1"));
        Assert.That(published.Port, Is.GreaterThan(1024));
        Assert.That(lines, Is.EquivalentTo(new[] { new LogLine(LogStreamKind.Stdout, "out-line"), new LogLine(LogStreamKind.Stderr, "err-line"), new LogLine(LogStreamKind.Stdout, "greeting=hello") }));
        Assert.That(listed.Select(c => c.Id), Is.EqualTo(new[] { id }));
        // sleep as PID 1 ignores SIGTERM, so the engine kills it after the grace.
        Assert.That(stopped!.State.HasExited, Is.True);
        Assert.That(stopped.State.ExitCode, Is.EqualTo(137));
        Assert.That(removed, Is.True);
        Assert.That(removedAgain, Is.False);
        Assert.That(await _engine.InspectContainerAsync(id, _timeout.Token), Is.Null);
    }

    [Test]
    public async Task Leftovers_of_ended_runs_are_reaped_and_live_runs_are_left_alone()
    {
        var me = ProcessIdentity.Current;
        var crashed = await CreateLabelledAsync(new DockerSession(_owner, "run-crashed", me with { StartTicks = me.StartTicks + 1 }), start: true);
        var live = await CreateLabelledAsync(new DockerSession(_owner, "run-live", me), start: false);
        var elsewhere = await CreateLabelledAsync(new DockerSession(_owner, "run-elsewhere", me with { Host = "another-bench" }), start: false);
        var current = new DockerSession(_owner, "run-now", me);

        var report = await current.ReapLeftoversAsync(_engine, _timeout.Token);

        Assert.That(report.Reaped.Select(r => r.Id), Is.EqualTo(new[] { crashed }));
        Assert.That(report.Kept.Select(r => r.Id), Is.EquivalentTo(new[] { live, elsewhere }));
        Assert.That(await _engine.InspectContainerAsync(crashed, _timeout.Token), Is.Null, "the running leftover was force-removed");
        Assert.That(await _engine.InspectContainerAsync(live, _timeout.Token), Is.Not.Null);
    }

    private async Task<string> CreateLabelledAsync(DockerSession session, bool start)
    {
        var id = await _engine.CreateContainerAsync(new ContainerSpec
        {
            Image = ReferenceDccImage.LocalBaseImage,
            Command = ["sleep", "300"],
            Labels = session.Labels,
        }, _timeout.Token);
        if (start)
        {
            await _engine.StartContainerAsync(id, _timeout.Token);
        }

        return id;
    }

    private async Task<List<LogLine>> WaitForLogLinesAsync(string id, int count)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token);
        deadline.CancelAfter(Deadline);
        while (true)
        {
            var assembler = new LogLineAssembler();
            var lines = new List<LogLine>();
            await foreach (var frame in _engine.ReadLogsAsync(id, new LogsRequest(), deadline.Token))
            {
                lines.AddRange(assembler.Add(frame));
            }

            if (lines.Count >= count)
            {
                return lines;
            }

            // Polling for the state itself: the container may not have written yet.
            await Task.Delay(50, deadline.Token);
        }
    }
}
