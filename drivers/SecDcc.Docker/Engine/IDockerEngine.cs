using SecDcc.Docker.Build;
using SecDcc.Docker.Logs;

namespace SecDcc.Docker.Engine;

/// <summary>
/// The Docker Engine operations the harness uses. Every call can block on the engine, so each takes a
/// CancellationToken; failures are <see cref="DockerUnavailableException"/> (no engine),
/// <see cref="DockerApiException"/> (the engine said no) or <see cref="DockerBuildException"/>.
/// </summary>
public interface IDockerEngine : IDisposable
{
    DockerEndpoint Endpoint { get; }

    /// <summary>The API version every versioned call uses, agreed with the engine when connecting.</summary>
    string ApiVersion { get; }

    Task PingAsync(CancellationToken cancellationToken);

    Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="context"/> as a tar and builds it; each line of build output goes to <paramref name="output"/> as it arrives.</summary>
    Task<BuildResult> BuildImageAsync(BuildContext context, ImageBuildParameters parameters, Action<string>? output, CancellationToken cancellationToken);

    /// <summary>Null when no image has that name or ID.</summary>
    Task<ImageInfo?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>Images that carry every given label (a null value matches any value).</summary>
    Task<IReadOnlyList<ImageSummary>> ListImagesAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken);

    /// <summary>Removes an image; false when it did not exist.</summary>
    Task<bool> RemoveImageAsync(string nameOrId, bool force, CancellationToken cancellationToken);

    /// <summary>Creates a container and returns its ID.</summary>
    Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken);

    Task StartContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Null when no container has that name or ID.</summary>
    Task<ContainerInfo?> InspectContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Demultiplexed output of the container, as frames as the engine sends them.</summary>
    IAsyncEnumerable<LogFrame> ReadLogsAsync(string id, LogsRequest request, CancellationToken cancellationToken);

    /// <summary>Blocks until the container is not running and returns its exit code.</summary>
    Task<long> WaitForExitAsync(string id, CancellationToken cancellationToken);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>. Stopping a stopped container is not an error.</summary>
    Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken);

    Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken);

    /// <summary>Removes a container (and, with <paramref name="removeVolumes"/>, its anonymous volumes); false when it did not exist.</summary>
    Task<bool> RemoveContainerAsync(string id, bool force, bool removeVolumes, CancellationToken cancellationToken);

    /// <summary>Containers, running or not, that carry every given label (a null value matches any value).</summary>
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken);
}
