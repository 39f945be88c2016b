using System.Net;

namespace SecDcc.Docker.Engine;

public sealed record EngineVersion(string Version, string ApiVersion, string MinApiVersion, string Os, string Arch, string KernelVersion);

/// <summary>An image as the engine describes it. <see cref="Id"/> is the content digest of its configuration (sha256:…).</summary>
public sealed record ImageInfo(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    long Size,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Labels);

public sealed record ImageSummary(string Id, IReadOnlyList<string> RepoTags, long Size, DateTimeOffset Created, IReadOnlyDictionary<string, string> Labels);

public sealed record ImageBuildParameters
{
    public required IReadOnlyList<string> Tags { get; init; }
    public string Dockerfile { get; init; } = "Dockerfile";
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public bool NoCache { get; init; }

    /// <summary>Off by default: no registry is reachable from CI, and a local base must not be looked up remotely.</summary>
    public bool Pull { get; init; }
}

public sealed record BuildResult(string ImageId, IReadOnlyList<string> Output);

/// <summary>A container port such as 8080/tcp.</summary>
public sealed record ContainerPort(int Port, string Protocol = "tcp")
{
    public override string ToString() => $"{Port}/{Protocol}";

    public static ContainerPort Parse(string text)
    {
        var slash = text.IndexOf('/');
        var port = int.Parse(slash < 0 ? text : text[..slash], System.Globalization.CultureInfo.InvariantCulture);
        return new ContainerPort(port, slash < 0 ? "tcp" : text[(slash + 1)..]);
    }
}

/// <summary>Publishes a container port on the host. HostPort 0 lets the engine choose a free one.</summary>
public sealed record PortPublication(ContainerPort Container, string HostIp = "127.0.0.1", int HostPort = 0);

public enum MountKind
{
    /// <summary>A named volume, created by the engine on first use.</summary>
    Volume,
    /// <summary>A host directory.</summary>
    Bind,
}

public sealed record VolumeMount(MountKind Kind, string Source, string Target, bool ReadOnly = false);

public sealed record ContainerSpec
{
    public required string Image { get; init; }
    public string? Name { get; init; }

    /// <summary>Arguments after the image's ENTRYPOINT; empty keeps the image's CMD.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<PortPublication> Ports { get; init; } = [];
    public IReadOnlyList<VolumeMount> Mounts { get; init; } = [];
    public string? User { get; init; }
}

public sealed record HealthProbe(DateTimeOffset Start, DateTimeOffset End, int ExitCode, string Output);

/// <summary>Docker's health state: starting, healthy or unhealthy; absent when the image has no HEALTHCHECK.</summary>
public sealed record HealthState(string Status, int FailingStreak, IReadOnlyList<HealthProbe> Log);

public sealed record ContainerState(
    string Status,
    bool Running,
    long ExitCode,
    bool OomKilled,
    string Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    HealthState? Health)
{
    /// <summary>True once the process has ended (exited or dead); a created-but-never-started container is not.</summary>
    public bool HasExited => Status is "exited" or "dead";

    public string Describe()
    {
        var text = HasExited
            ? $"{Status} (exit code {ExitCode}{(OomKilled ? ", killed for running out of memory" : "")})"
            : Status;
        if (Health is not null)
        {
            text += $", health {Health.Status}";
        }

        return Error.Length > 0 ? $"{text}, engine error: {Error}" : text;
    }
}

public sealed record ContainerInfo(
    string Id,
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    ContainerState State,
    IReadOnlyDictionary<ContainerPort, IReadOnlyList<IPEndPoint>> Ports,
    bool Tty)
{
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;

    /// <summary>The host address a published container port is reachable on, or null if it is not published (yet).</summary>
    public IPEndPoint? HostEndpoint(ContainerPort port) =>
        Ports.TryGetValue(port, out var bindings) && bindings.Count > 0 ? bindings[0] : null;

    public IPEndPoint? HostEndpoint(int port, string protocol = "tcp") => HostEndpoint(new ContainerPort(port, protocol));
}

public sealed record ContainerSummary(
    string Id,
    IReadOnlyList<string> Names,
    string Image,
    string State,
    string Status,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Labels)
{
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
}

public sealed record LogsRequest
{
    /// <summary>How many lines from the end; null for all.</summary>
    public int? Tail { get; init; }
    public bool Follow { get; init; }
    public bool Stdout { get; init; } = true;
    public bool Stderr { get; init; } = true;
}
