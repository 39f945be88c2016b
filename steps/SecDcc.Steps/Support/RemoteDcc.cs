using System.Net;

namespace SecDcc.Steps.Support;

/// <summary>
/// A DCC that is already running (SECDCC_DCC_URL): in Docker, on another port, or a candidate implementation.
/// The run does not own it, so disposing does nothing; the run only checks that it is ready.
/// </summary>
public sealed class RemoteDcc : IDccTarget
{
    private RemoteDcc(Uri baseUrl) => BaseUrl = baseUrl;

    public Uri BaseUrl { get; }
    public IPEndPoint? WanEndpoint => null;
    public string Description => $"DCC at {BaseUrl} (SECDCC_DCC_URL)";

    public static async Task<RemoteDcc> ConnectAsync(string url, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            throw new DccUnavailableException($"SECDCC_DCC_URL '{url}' is not an http(s) URL; give the DCC's base address, e.g. http://127.0.0.1:5080.");
        var lastSeen = await DccReadiness.WaitAsync(baseUrl, readyTimeout, TimeSpan.FromMilliseconds(200), () => null, cancellationToken);
        if (lastSeen is null) return new RemoteDcc(baseUrl);
        throw new DccUnavailableException(
            $"The DCC at {baseUrl} (SECDCC_DCC_URL) was not ready within {readyTimeout.TotalSeconds:0} s; last: {lastSeen}. Start it (in test mode) or unset SECDCC_DCC_URL to let the run start the reference DCC.");
    }

    public string? ExplainUnavailable() => null;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
