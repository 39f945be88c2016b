using System.Net;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Dcc;
using SecDcc.Steps.Support;

namespace SecDcc.Cli;

/// <summary>The reference DCC in a container, as the DCC under test of a run (secdcc run --dcc docker).</summary>
public sealed class DockerDccTarget(DockerDcc dcc) : IDccTarget
{
    public const string PanelKeyVariable = "SECDCC_PANEL_KEYS_PEM";

    public Uri BaseUrl => dcc.BaseUrl;
    public IPEndPoint? WanEndpoint => dcc.WanEndpoint;
    public string ImageDigest => dcc.ImageDigest;
    public TimeSpan StartupTime => dcc.StartupTime;
    public string Description => $"reference DCC container {dcc.ContainerName} (image {dcc.ImageDigest}) at {dcc.BaseUrl}";

    /// <summary>
    /// Asked only after a call failed: the watcher follows the engine's events and may learn of the stop a moment after
    /// the connection broke, so give it a few seconds before answering "unknown".
    /// </summary>
    public string? ExplainUnavailable() =>
        dcc.Watcher.HasStopped || dcc.Watcher.Stopped.Wait(TimeSpan.FromSeconds(3))
            ? dcc.Watcher.Stopped.Result.Message
            : null;

    public async Task<string?> RecentLogAsync(CancellationToken cancellationToken) =>
        string.Join(Environment.NewLine, await dcc.GetLastLogLinesAsync(60, cancellationToken));

    /// <summary>Publishes the service (cached by the image's content hash), builds the image and starts it in test mode.</summary>
    public static async Task<IDccTarget> StartAsync(string repositoryRoot, string panelPublicKeyPem, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return await StartContainerAsync(repositoryRoot, panelPublicKeyPem, readyTimeout, cancellationToken);
        }
        catch (DockerException e)
        {
            // No engine, a broken image or a container that never got ready: the bench is at fault, not the product.
            throw new DccUnavailableException($"Could not start the reference DCC in Docker: {e.Message}", e);
        }
    }

    private static async Task<IDccTarget> StartContainerAsync(string repositoryRoot, string panelPublicKeyPem, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        var publish = Path.Combine(repositoryRoot, "out", "dcc-publish");
        await ReferenceDccPublisher.PublishAsync(
            Path.Combine(repositoryRoot, "reference-dcc", "SecDcc.Dcc.Service", "SecDcc.Dcc.Service.csproj"), publish, cancellationToken);
        var dcc = await DockerDcc.StartAsync(new DockerDccOptions
        {
            PublishedServiceDirectory = publish,
            ReferenceDccDirectory = Path.Combine(repositoryRoot, "reference-dcc"),
            Arguments = ["--test-mode", "--wan-port", ReferenceDccImage.DefaultWanPort.ToString(), "--wan-address", "0.0.0.0"],
            // The Panel key travels as an environment variable: the engine mounts only named volumes here.
            Environment = new Dictionary<string, string> { [PanelKeyVariable] = panelPublicKeyPem },
            Readiness = new() { Timeout = readyTimeout, Interval = TimeSpan.FromMilliseconds(100) },
            Log = line => Console.WriteLine("  docker: " + line),
        }, cancellationToken);
        return new DockerDccTarget(dcc);
    }

    public ValueTask DisposeAsync() => dcc.DisposeAsync();
}
