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
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + readyTimeout;
        var last = "no answer yet";
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync("health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return new RemoteDcc(baseUrl);
                last = $"/health/ready answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "/health/ready did not answer within 5 s";
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new DccUnavailableException(
            $"The DCC at {baseUrl} (SECDCC_DCC_URL) was not ready within {readyTimeout.TotalSeconds:0} s; last: {last}. Start it (in test mode) or unset SECDCC_DCC_URL to let the run start the reference DCC.");
    }

    public string? ExplainUnavailable() => null;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
