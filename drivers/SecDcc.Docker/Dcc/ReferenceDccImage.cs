using System.Security.Cryptography;
using System.Text;
using SecDcc.Docker.Build;
using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Dcc;

/// <summary>What goes into one reference DCC image; two equal requests with equal files give the same image tag.</summary>
public sealed record ReferenceDccImageRequest
{
    /// <summary>The repository's reference-dcc folder (Dockerfile, docker/rootfs/).</summary>
    public required string ReferenceDccDirectory { get; init; }

    /// <summary>`dotnet publish` output of the service (or of a stand-in with the same contract).</summary>
    public required string PublishedServiceDirectory { get; init; }

    /// <summary>The service's entry assembly in <see cref="PublishedServiceDirectory"/>.</summary>
    public string AppAssembly { get; init; } = "SecDcc.Dcc.Service.dll";

    /// <summary>Null: the local base if the engine has it, else the Microsoft aspnet image.</summary>
    public string? BaseImage { get; init; }

    public string Repository { get; init; } = "secdcc/reference-dcc";
    public int HttpPort { get; init; } = ReferenceDccImage.DefaultHttpPort;
    public int WanPort { get; init; } = ReferenceDccImage.DefaultWanPort;
    public string HealthPath { get; init; } = ReferenceDccImage.DefaultHealthPath;
}

public sealed record ReferenceDccImageResult(ImageInfo Image, string Tag, string BaseImage, bool Built);

/// <summary>
/// Builds the reference DCC image from an assembled context — Dockerfile, rootfs/ from docker/rootfs,
/// app/ from the publish output — and caches it under a tag made from the context's hash, the build
/// arguments and the base image's ID, so an unchanged service is never built twice.
/// </summary>
public static class ReferenceDccImage
{
    public const string RegistryBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0";
    public const string LocalBaseImage = "secdcc/aspnet-local:10.0";
    public const int DefaultHttpPort = 8080;
    public const int DefaultWanPort = 7070;

    /// <summary>The readiness path (the service answers it once its SMI store answers); also the image's HEALTHCHECK path.</summary>
    public const string DefaultHealthPath = "/health/ready";

    public const string ContextHashLabel = "org.secdcc.context-hash";
    public const string RepositoryLabel = "org.secdcc.image-repository";

    /// <summary>How many cached images of one repository stay after a build: enough to switch between branches.</summary>
    public const int CachedImagesKept = 3;

    public static BuildContext CreateContext(ReferenceDccImageRequest request)
    {
        var dockerfile = Path.Combine(request.ReferenceDccDirectory, "Dockerfile");
        var rootfs = Path.Combine(request.ReferenceDccDirectory, "docker", "rootfs");
        if (!File.Exists(Path.Combine(request.PublishedServiceDirectory, request.AppAssembly)))
        {
            throw new DockerContextException(
                $"{request.PublishedServiceDirectory} has no {request.AppAssembly} — pass the output folder of " +
                "`dotnet publish reference-dcc/SecDcc.Dcc.Service -o DIR` (ReferenceDccPublisher.PublishAsync does that)");
        }

        var context = new BuildContext()
            .AddFile(dockerfile, "Dockerfile")
            .AddDirectory(rootfs, "rootfs")
            .AddDirectory(request.PublishedServiceDirectory, "app");

        // The same rules build-image.sh puts at its context root, so both ways give the same image content.
        var ignoreFile = Path.Combine(request.ReferenceDccDirectory, "docker", ContextIgnoreFile);
        if (File.Exists(ignoreFile))
        {
            context.AddFile(ignoreFile, DockerIgnore.FileName)
                .Exclude(DockerIgnore.Parse(File.ReadAllText(ignoreFile), ignoreFile), "Dockerfile", DockerIgnore.FileName);
        }

        return context;
    }

    /// <summary>The .dockerignore of the assembled context, kept in reference-dcc/docker/.</summary>
    public const string ContextIgnoreFile = "context.dockerignore";

    /// <summary>Returns the cached image for this request, building it first if the engine does not have it.</summary>
    public static async Task<ReferenceDccImageResult> EnsureAsync(
        IDockerEngine engine, ReferenceDccImageRequest request, Action<string>? log, CancellationToken cancellationToken)
    {
        var baseImage = request.BaseImage ?? await ChooseBaseImageAsync(engine, cancellationToken).ConfigureAwait(false);
        var baseInfo = await engine.InspectImageAsync(baseImage, cancellationToken).ConfigureAwait(false);
        var buildArgs = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["BASE_IMAGE"] = baseImage,
            ["APP_DLL"] = request.AppAssembly,
            ["HTTP_PORT"] = request.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WAN_PORT"] = request.WanPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HEALTH_PATH"] = request.HealthPath,
        };

        var context = CreateContext(request);
        var contextHash = await context.ComputeHashAsync(cancellationToken).ConfigureAwait(false);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { [RepositoryLabel] = request.Repository };
        // Everything that shapes the image is in the key: files, arguments, labels and the exact base.
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{contextHash}\n{string.Join("\n", buildArgs.Concat(labels).Select(a => $"{a.Key}={a.Value}"))}\n{baseInfo?.Id ?? baseImage}")));
        labels[ContextHashLabel] = key;
        var tag = $"{request.Repository}:ctx-{key[..16]}";

        var cached = await engine.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
        if (cached is not null)
        {
            log?.Invoke($"reference DCC image {tag} is cached ({cached.Id})");
            return new ReferenceDccImageResult(cached, tag, baseImage, Built: false);
        }

        log?.Invoke($"building reference DCC image {tag} on {baseImage}");
        try
        {
            await engine.BuildImageAsync(context, new ImageBuildParameters
            {
                Tags = [tag],
                BuildArgs = buildArgs,
                Labels = labels,
            }, log, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerBuildException e) when (baseInfo is null)
        {
            throw new DockerBuildException(
                $"{e.Message}\nThe base image {baseImage} is not on this engine, and the engine could not fetch it — on a machine " +
                "without a registry run reference-dcc/docker/build-local-base.sh and build on " + LocalBaseImage,
                e.EngineError, e.Output);
        }

        var built = await engine.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false)
            ?? throw new DockerProtocolException($"the engine reported building {tag} but has no image by that tag");
        await PruneAsync(engine, request.Repository, built.Id, log, cancellationToken).ConfigureAwait(false);
        return new ReferenceDccImageResult(built, tag, baseImage, Built: true);
    }

    /// <summary>
    /// Each change of the service makes a new cached image; all but the newest <see cref="CachedImagesKept"/> of
    /// the repository are removed. An image a container still uses is left for a later build to remove.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PruneAsync(
        IDockerEngine engine, string repository, string keepImageId, Action<string>? log, CancellationToken cancellationToken)
    {
        var images = await engine.ListImagesAsync(
            new Dictionary<string, string?> { [RepositoryLabel] = repository, [ContextHashLabel] = null }, cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        foreach (var image in images.Where(i => i.Id != keepImageId).OrderByDescending(i => i.Created).Skip(CachedImagesKept - 1))
        {
            try
            {
                if (await engine.RemoveImageAsync(image.Id, force: false, cancellationToken).ConfigureAwait(false))
                {
                    removed.Add(image.Id);
                    log?.Invoke($"removed the old cached image {string.Join(", ", image.RepoTags)} ({image.Id})");
                }
            }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                log?.Invoke($"kept the old cached image {image.Id}: {e.EngineMessage}");
            }
        }

        return removed;
    }

    public static async Task<string> ChooseBaseImageAsync(IDockerEngine engine, CancellationToken cancellationToken) =>
        await engine.InspectImageAsync(LocalBaseImage, cancellationToken).ConfigureAwait(false) is not null
            ? LocalBaseImage
            : RegistryBaseImage;

    /// <summary>Walks up from <paramref name="start"/> (default: this assembly's folder) to the repository's reference-dcc folder.</summary>
    public static string FindReferenceDccDirectory(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "reference-dcc");
            if (File.Exists(Path.Combine(candidate, "Dockerfile")))
            {
                return candidate;
            }
        }

        throw new DockerContextException(
            $"no reference-dcc/Dockerfile above {start ?? AppContext.BaseDirectory} — set DockerDccOptions.ReferenceDccDirectory to the repository's reference-dcc folder");
    }
}
