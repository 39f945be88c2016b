using System.Formats.Tar;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecDcc.Docker.Build;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Logs;
using SecDcc.Docker.Tests.Support;

namespace SecDcc.Docker.Tests.Unit;

/// <summary>The client against a fake engine on a unix socket: no Docker needed.</summary>
public sealed class EngineClientTests
{
    [TestCase("1.43", "1.43")]
    [TestCase("1.41", "1.41")]
    [TestCase("1.52", DockerEngineClient.MaximumApiVersion)]
    public async Task The_api_version_is_the_lower_of_the_engines_and_ours(string engineVersion, string expected)
    {
        await using var server = await FakeEngineServer.StartAsync(_ => { }, apiVersion: engineVersion);
        using var client = await DockerEngineClient.ConnectAsync(server.Options(), CancellationToken.None);
        Assert.That(client.ApiVersion, Is.EqualTo(expected));
    }

    [Test]
    public async Task An_engine_too_old_is_refused_with_the_versions()
    {
        await using var server = await FakeEngineServer.StartAsync(_ => { }, apiVersion: "1.30");
        var e = Assert.ThrowsAsync<DockerUnavailableException>(() => DockerEngineClient.ConnectAsync(server.Options(), CancellationToken.None));
        Assert.That(e!.Reason, Is.EqualTo(DockerUnavailableReason.UnsupportedApiVersion));
        Assert.That(e.Message, Does.Contain("1.30").And.Contain(DockerEngineClient.MinimumApiVersion).And.Contain("upgrade Docker"));
    }

    [Test]
    public async Task A_pinned_version_outside_the_engines_range_is_refused()
    {
        await using var server = await FakeEngineServer.StartAsync(_ => { }, apiVersion: "1.52", minApiVersion: "1.44");
        var options = server.Options() with { ApiVersion = "1.41" };
        var e = Assert.ThrowsAsync<DockerUnavailableException>(() => DockerEngineClient.ConnectAsync(options, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("1.41 is outside the range 1.44–1.52"));
    }

    [Test]
    public async Task Calls_use_the_agreed_version_and_404_inspections_are_null()
    {
        var paths = new List<string>();
        await using var server = await FakeEngineServer.StartAsync(app => app.MapGet("/v1.43/containers/{id}/json", (HttpContext ctx, string id) =>
        {
            paths.Add(ctx.Request.Path);
            return Results.Json(new { message = $"No such container: {id}" }, statusCode: 404);
        }));
        using var client = await DockerEngineClient.ConnectAsync(server.Options(), CancellationToken.None);

        var info = await client.InspectContainerAsync("abc", CancellationToken.None);

        Assert.That(info, Is.Null);
        Assert.That(paths, Is.EqualTo(new[] { "/v1.43/containers/abc/json" }));
    }

    [Test]
    public async Task An_error_answer_carries_the_engines_message_and_status()
    {
        await using var server = await FakeEngineServer.StartAsync(app => app.MapPost("/v1.43/containers/{id}/start", () =>
            Results.Json(new { message = "driver failed programming external connectivity: port is already allocated" }, statusCode: 500)));
        using var client = await DockerEngineClient.ConnectAsync(server.Options(), CancellationToken.None);

        var e = Assert.ThrowsAsync<DockerApiException>(() => client.StartContainerAsync("abc", CancellationToken.None));

        Assert.That(e!.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(e.EngineMessage, Is.EqualTo("driver failed programming external connectivity: port is already allocated"));
        Assert.That(e.Message, Does.StartWith("POST /containers/abc/start failed: the Docker engine answered 500"));
    }

    [Test]
    public async Task Creating_from_a_missing_image_says_to_build_it()
    {
        await using var server = await FakeEngineServer.StartAsync(app => app.MapPost("/v1.43/containers/create", () =>
            Results.Json(new { message = "No such image: secdcc/reference-dcc:nope" }, statusCode: 404)));
        using var client = await DockerEngineClient.ConnectAsync(server.Options(), CancellationToken.None);

        var e = Assert.ThrowsAsync<DockerApiException>(() => client.CreateContainerAsync(new ContainerSpec { Image = "secdcc/reference-dcc:nope" }, CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("No such image").And.Contain("build it"));
    }

    [Test]
    public async Task A_build_uploads_the_context_as_tar_and_a_build_error_surfaces_with_its_text()
    {
        var received = new List<string>();
        string? buildArgs = null;
        await using var server = await FakeEngineServer.StartAsync(app => app.MapPost("/v1.43/build", async (HttpContext ctx) =>
        {
            buildArgs = ctx.Request.Query["buildargs"];
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            body.Position = 0;
            await using (var tar = new TarReader(body))
            {
                while (await tar.GetNextEntryAsync() is { } entry)
                {
                    received.Add(entry.Name);
                }
            }

            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"stream\":\"Step 1/2 : FROM base\\n\"}\r\n{\"stream\":\"boom-marker\\n\"}\r\n");
            await ctx.Response.WriteAsync("{\"errorDetail\":{\"code\":7,\"message\":\"The command '/bin/sh -c exit 7' returned a non-zero code: 7\"},\"error\":\"The command '/bin/sh -c exit 7' returned a non-zero code: 7\"}\r\n");
        }));
        using var client = await DockerEngineClient.ConnectAsync(server.Options(), CancellationToken.None);
        using var dir = new TempDirectory();
        dir.Write("Dockerfile", "FROM base\nRUN exit 7\n");
        var output = new List<string>();

        var e = Assert.ThrowsAsync<DockerBuildException>(() => client.BuildImageAsync(BuildContext.FromDirectory(dir.Path),
            new ImageBuildParameters { Tags = ["test:tag"], BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = "base" } },
            output.Add, CancellationToken.None));

        Assert.That(received, Is.EqualTo(new[] { "Dockerfile" }));
        Assert.That(buildArgs, Is.EqualTo("{\"BASE_IMAGE\":\"base\"}"));
        Assert.That(output, Does.Contain("boom-marker"));
        Assert.That(e!.EngineError, Is.EqualTo("The command '/bin/sh -c exit 7' returned a non-zero code: 7"));
        Assert.That(e.Message, Does.StartWith("building test:tag failed: The command").And.Contain("boom-marker"));
    }

    [Test]
    public async Task Logs_are_demultiplexed_over_http()
    {
        await using var server = await FakeEngineServer.StartAsync(app =>
        {
            app.MapGet("/v1.43/containers/{id}/json", (string id) => Results.Json(new { Id = id, Name = "/x", Config = new { Tty = false }, State = new { Status = "running", Running = true } }));
            app.MapGet("/v1.43/containers/{id}/logs", async (HttpContext ctx) =>
            {
                Assert.That(ctx.Request.Query["tail"].ToString(), Is.EqualTo("5"));
                ctx.Response.ContentType = "application/vnd.docker.raw-stream";
                await ctx.Response.Body.WriteAsync(StdCopyDemultiplexerTests.Frame(LogStreamKind.Stdout, "started\n"));
                await ctx.Response.Body.FlushAsync();
                await ctx.Response.Body.WriteAsync(StdCopyDemultiplexerTests.Frame(LogStreamKind.Stderr, "warned\n"));
            });
        });
        using var client = await DockerEngineClient.ConnectAsync(server.Options(), CancellationToken.None);

        var frames = new List<(LogStreamKind, string)>();
        await foreach (var f in client.ReadLogsAsync("abc", new LogsRequest { Tail = 5 }, CancellationToken.None))
        {
            frames.Add((f.Stream, Encoding.UTF8.GetString(f.Payload.Span)));
        }

        Assert.That(frames, Is.EqualTo(new[] { (LogStreamKind.Stdout, "started\n"), (LogStreamKind.Stderr, "warned\n") }));
    }

    [Test]
    public async Task An_engine_that_does_not_answer_in_time_is_named_with_the_call()
    {
        await using var server = await FakeEngineServer.StartAsync(app => app.MapGet("/v1.43/containers/json", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return Results.Json(Array.Empty<object>());
        }));
        using var client = await DockerEngineClient.ConnectAsync(server.Options(TimeSpan.FromMilliseconds(300)), CancellationToken.None);

        var e = Assert.ThrowsAsync<DockerUnavailableException>(() => client.ListContainersAsync(new Dictionary<string, string?>(), CancellationToken.None));

        Assert.That(e!.Reason, Is.EqualTo(DockerUnavailableReason.NotResponding));
        Assert.That(e.Message, Does.Contain("did not answer GET /containers/json within 0.3s"));
    }

    [Test]
    public async Task The_callers_cancellation_is_passed_on_not_turned_into_a_timeout()
    {
        await using var server = await FakeEngineServer.StartAsync(app => app.MapGet("/v1.43/containers/json", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return Results.Json(Array.Empty<object>());
        }));
        using var client = await DockerEngineClient.ConnectAsync(server.Options(), CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(() => client.ListContainersAsync(new Dictionary<string, string?>(), cancel.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void The_create_body_publishes_ports_on_loopback_with_ephemeral_host_ports()
    {
        var body = DockerEngineClient.CreateBody(new ContainerSpec
        {
            Image = "img",
            Command = ["--test-mode"],
            Environment = new Dictionary<string, string> { ["A"] = "1" },
            Labels = new Dictionary<string, string> { ["secdcc.owner"] = "secdcc" },
            Ports = [new PortPublication(new ContainerPort(8080)), new PortPublication(new ContainerPort(7070), HostPort: 17070)],
            Mounts = [new VolumeMount(MountKind.Volume, "dcc-data", "/data")],
        }).ToJsonString();

        Assert.That(body, Does.Contain("\"PortBindings\":{\"8080/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}],\"7070/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"17070\"}]}"));
        Assert.That(body, Does.Contain("\"ExposedPorts\":{\"8080/tcp\":{},\"7070/tcp\":{}}"));
        Assert.That(body, Does.Contain("\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"dcc-data\",\"Target\":\"/data\",\"ReadOnly\":false}]"));
        Assert.That(body, Does.Contain("\"Cmd\":[\"--test-mode\"]").And.Contain("\"Env\":[\"A=1\"]").And.Contain("\"secdcc.owner\":\"secdcc\""));
    }
}
