using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Readiness;
using SecDcc.Docker.Sessions;
using SecDcc.Docker.Watching;

namespace SecDcc.Docker.Dcc;

public sealed record DockerDccOptions
{
    /// <summary>`dotnet publish` output of the service (see <see cref="ReferenceDccPublisher"/>).</summary>
    public required string PublishedServiceDirectory { get; init; }

    /// <summary>The repository's reference-dcc folder; null finds it above this assembly.</summary>
    public string? ReferenceDccDirectory { get; init; }

    public string AppAssembly { get; init; } = "SecDcc.Dcc.Service.dll";

    /// <summary>Null: secdcc/aspnet-local:10.0 when the engine has it, else mcr.microsoft.com/dotnet/aspnet:10.0.</summary>
    public string? BaseImage { get; init; }

    public string ImageRepository { get; init; } = "secdcc/reference-dcc";
    public int HttpPort { get; init; } = ReferenceDccImage.DefaultHttpPort;
    public int WanPort { get; init; } = ReferenceDccImage.DefaultWanPort;

    /// <summary>The HTTP path that must answer 2xx before the DCC counts as ready (also the image's HEALTHCHECK path).</summary>
    public string ReadinessPath { get; init; } = ReferenceDccImage.DefaultHealthPath;

    /// <summary>Also wait for Docker's HEALTHCHECK to say healthy (slower: it probes every 2 s).</summary>
    public bool WaitForDockerHealth { get; init; }

    /// <summary>Extra service arguments after the entrypoint's --urls and --data, e.g. ["--test-mode"].</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>A named volume for /data that outlives the container; null gives an anonymous one, removed with it.</summary>
    public string? DataVolume { get; init; }

    public WaitStrategy Readiness { get; init; } = new() { Timeout = TimeSpan.FromSeconds(60), Interval = TimeSpan.FromMilliseconds(100) };
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);
    public DockerSession Session { get; init; } = DockerSession.Current;

    /// <summary>Remove containers of ended runs before starting (see <see cref="DockerSession.ReapLeftoversAsync"/>).</summary>
    public bool ReapLeftovers { get; init; } = true;

    /// <summary>Progress: reaping, cache hits, build output.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// The reference DCC running in a container: built (or found cached), started with its ports published on
/// 127.0.0.1, waited on until ready, watched while in use, and stopped and removed on dispose.
/// </summary>
public sealed class DockerDcc : IAsyncDisposable
{
    public const string RoleLabel = "secdcc.role";
    public const string Role = "reference-dcc";

    private readonly IDockerEngine _engine;
    private readonly bool _ownsEngine;
    private readonly DockerDccOptions _options;
    private int _disposed;

    private DockerDcc(IDockerEngine engine, bool ownsEngine, DockerDccOptions options, ReferenceDccImageResult image,
        ContainerInfo container, ContainerWatcher watcher, ReadinessResult readiness, TimeSpan startupTime)
    {
        _engine = engine;
        _ownsEngine = ownsEngine;
        _options = options;
        Image = image;
        ContainerId = container.Id;
        ContainerName = container.Name;
        Watcher = watcher;
        Readiness = readiness;
        StartupTime = startupTime;
        var http = container.HostEndpoint(options.HttpPort)
            ?? throw new DockerException($"container {container.Name} is ready but port {options.HttpPort}/tcp is not published — the engine dropped the port binding");
        BaseUrl = new Uri($"http://{http}/");
        WanEndpoint = container.HostEndpoint(options.WanPort)
            ?? throw new DockerException($"container {container.Name} has no host port for the WAN gateway port {options.WanPort}/tcp");
    }

    /// <summary>The DUIS/JSON API, e.g. http://127.0.0.1:32768/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Where hubs (or a rig's WAN bridge) connect to the DCC's SM WAN gateway.</summary>
    public IPEndPoint WanEndpoint { get; }

    public ReferenceDccImageResult Image { get; }

    /// <summary>The image's content digest (sha256:…), for the evidence pack.</summary>
    public string ImageDigest => Image.Image.Id;

    public string ContainerId { get; }
    public string ContainerName { get; }
    public ContainerWatcher Watcher { get; }
    public ReadinessResult Readiness { get; }

    /// <summary>From the container start request to the first successful readiness check.</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>Connects to the engine (DOCKER_HOST or /var/run/docker.sock) and starts the DCC; the engine is disposed with it.</summary>
    public static async Task<DockerDcc> StartAsync(DockerDccOptions options, CancellationToken cancellationToken)
    {
        var engine = await DockerEngineClient.ConnectAsync(null, cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartAsync(engine, ownsEngine: true, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>Starts the DCC on an engine the caller keeps owning.</summary>
    public static Task<DockerDcc> StartAsync(IDockerEngine engine, DockerDccOptions options, CancellationToken cancellationToken) =>
        StartAsync(engine, ownsEngine: false, options, cancellationToken);

    private static async Task<DockerDcc> StartAsync(IDockerEngine engine, bool ownsEngine, DockerDccOptions options, CancellationToken cancellationToken)
    {
        var log = options.Log;
        if (options.ReapLeftovers)
        {
            var report = await options.Session.ReapLeftoversAsync(engine, cancellationToken).ConfigureAwait(false);
            if (report.Reaped.Count > 0)
            {
                log?.Invoke(report.ToString());
            }
        }

        var image = await ReferenceDccImage.EnsureAsync(engine, new ReferenceDccImageRequest
        {
            ReferenceDccDirectory = options.ReferenceDccDirectory ?? ReferenceDccImage.FindReferenceDccDirectory(),
            PublishedServiceDirectory = options.PublishedServiceDirectory,
            AppAssembly = options.AppAssembly,
            BaseImage = options.BaseImage,
            Repository = options.ImageRepository,
            HttpPort = options.HttpPort,
            WanPort = options.WanPort,
            HealthPath = options.ReadinessPath,
        }, log, cancellationToken).ConfigureAwait(false);

        var name = $"secdcc-dcc-{options.Session.Id}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        var labels = new Dictionary<string, string>(options.Session.Labels) { [RoleLabel] = Role };
        var id = await engine.CreateContainerAsync(new ContainerSpec
        {
            Image = image.Image.Id,
            Name = name,
            Command = options.Arguments,
            Environment = options.Environment,
            Labels = labels,
            Ports = [new PortPublication(new ContainerPort(options.HttpPort)), new PortPublication(new ContainerPort(options.WanPort))],
            Mounts = options.DataVolume is null ? [] : [new VolumeMount(MountKind.Volume, options.DataVolume, "/data")],
        }, cancellationToken).ConfigureAwait(false);

        ContainerWatcher? watcher = null;
        try
        {
            var clock = Stopwatch.StartNew();
            await engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            watcher = ContainerWatcher.Start(engine, id, $"the reference DCC container {name}");

            using var http = new HttpReadiness(options.HttpPort, options.ReadinessPath);
            IReadinessCondition condition = options.WaitForDockerHealth ? new AllOf(http, new HealthCheckReadiness()) : http;
            var readiness = await new ReadinessWaiter(new EngineContainerDiagnostics(engine, id, name))
                .WaitAsync(condition, options.Readiness, cancellationToken).ConfigureAwait(false);
            var startupTime = clock.Elapsed;
            log?.Invoke($"reference DCC {name} ready after {startupTime.TotalMilliseconds:0} ms: {readiness.Observation}");
            return new DockerDcc(engine, ownsEngine, options, image, readiness.Container, watcher, readiness, startupTime);
        }
        catch (Exception)
        {
            if (watcher is not null)
            {
                await watcher.DisposeAsync().ConfigureAwait(false);
            }

            // The start-up failure is what the caller needs to see; the container would only be a leftover.
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await engine.RemoveContainerAsync(id, force: true, removeVolumes: true, cleanup.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DockerException or OperationCanceledException)
            {
                log?.Invoke($"could not remove the failed container {name}: {e.Message} — the next run will reap it");
            }

            throw;
        }
    }

    /// <summary>Throws <see cref="ContainerStoppedException"/> if the container has stopped.</summary>
    public void ThrowIfStopped() => Watcher.ThrowIfStopped();

    /// <summary>Runs a call against the DCC, failing with <see cref="ContainerStoppedException"/> if the container stops.</summary>
    public Task<T> GuardAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        Watcher.GuardAsync(call, cancellationToken);

    public Task<IReadOnlyList<string>> GetLastLogLinesAsync(int count, CancellationToken cancellationToken) =>
        new EngineContainerDiagnostics(_engine, ContainerId, ContainerName).GetLastLogLinesAsync(count, cancellationToken);

    /// <summary>Stops (SIGTERM, then SIGKILL after the grace) and removes the container with its anonymous volumes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Watcher.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _engine.StopContainerAsync(ContainerId, _options.StopGrace, cancellationToken).ConfigureAwait(false);
            await _engine.RemoveContainerAsync(ContainerId, force: true, removeVolumes: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_ownsEngine)
            {
                _engine.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(_options.StopGrace + TimeSpan.FromSeconds(30));
        try
        {
            await StopAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (DockerException e)
        {
            // Dispose must not hide the test's own outcome; the labels let the next run's reaper remove it.
            _options.Log?.Invoke($"could not remove the reference DCC container {ContainerName}: {e.Message} — the next run will reap it");
        }
    }
}
