using System.Runtime.CompilerServices;
using SecDcc.Docker.Build;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Logs;

namespace SecDcc.Docker.Tests.Support;

/// <summary>An in-memory engine for the pieces that only list, inspect, wait, read logs and remove.</summary>
internal sealed class FakeDockerEngine : IDockerEngine
{
    public List<ContainerSummary> Containers { get; } = [];
    public Dictionary<string, ContainerInfo> Inspections { get; } = [];
    public List<string> LogText { get; } = [];
    public List<string> Removed { get; } = [];
    public TaskCompletionSource<long> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Exception? WaitFailure { get; set; }

    public DockerEndpoint Endpoint { get; } = new("/fake/docker.sock");
    public string ApiVersion => "1.41";

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContainerSummary>>(Containers
            .Where(c => labels.All(l => c.Labels.TryGetValue(l.Key, out var v) && (l.Value is null || v == l.Value)))
            .ToList());

    public Task<bool> RemoveContainerAsync(string id, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        Removed.Add(id);
        return Task.FromResult(Containers.RemoveAll(c => c.Id == id) > 0);
    }

    public Task<ContainerInfo?> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Inspections.GetValueOrDefault(id));

    public async Task<long> WaitForExitAsync(string id, CancellationToken cancellationToken)
    {
        if (WaitFailure is not null)
        {
            throw WaitFailure;
        }

        return await Exit.Task.WaitAsync(cancellationToken);
    }

    public async IAsyncEnumerable<LogFrame> ReadLogsAsync(string id, LogsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var line in request.Tail is { } t ? LogText.TakeLast(t) : LogText)
        {
            yield return new LogFrame(LogStreamKind.Stdout, System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }
    }

    public static ContainerInfo Container(string id, string status, long exitCode = 0, HealthState? health = null) => new(
        id, "fake-" + id, "fake-image", new Dictionary<string, string>(),
        new ContainerState(status, status == "running", exitCode, false, "", null, null, health),
        new Dictionary<ContainerPort, IReadOnlyList<System.Net.IPEndPoint>>(), false);

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<BuildResult> BuildImageAsync(BuildContext context, ImageBuildParameters parameters, Action<string>? output, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<ImageInfo?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public List<ImageSummary> Images { get; } = [];
    public HashSet<string> ImagesInUse { get; } = [];
    public List<string> RemovedImages { get; } = [];

    public Task<IReadOnlyList<ImageSummary>> ListImagesAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ImageSummary>>(Images
            .Where(i => labels.All(l => i.Labels.TryGetValue(l.Key, out var v) && (l.Value is null || v == l.Value)))
            .ToList());

    public Task<bool> RemoveImageAsync(string nameOrId, bool force, CancellationToken cancellationToken)
    {
        if (ImagesInUse.Contains(nameOrId))
        {
            throw new DockerApiException($"DELETE /images/{nameOrId}", System.Net.HttpStatusCode.Conflict, $"conflict: unable to delete {nameOrId} (cannot be forced) - image is being used by running container");
        }

        RemovedImages.Add(nameOrId);
        return Task.FromResult(Images.RemoveAll(i => i.Id == nameOrId) > 0);
    }
    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task StartContainerAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken) => throw new NotSupportedException();
    public void Dispose() { }
}
