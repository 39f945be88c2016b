using System.Net.Sockets;
using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Readiness;

/// <summary>Ready when an HTTP GET to a published container port answers 2xx.</summary>
public sealed class HttpReadiness : IReadinessCondition, IDisposable
{
    private readonly ContainerPort _port;
    private readonly string _path;
    private readonly HttpClient _http;

    public HttpReadiness(int containerPort, string path)
    {
        _port = new ContainerPort(containerPort);
        _path = path.StartsWith('/') ? path : "/" + path;
        // No pooling: after the engine's port proxy accepts before the app listens, a pooled dead connection would be reused.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    public string Description => $"HTTP GET {_path} on container port {_port} to answer 2xx";

    public async Task<ReadinessCheck> CheckAsync(ContainerInfo container, CancellationToken cancellationToken)
    {
        var endpoint = container.HostEndpoint(_port);
        if (endpoint is null)
        {
            return ReadinessCheck.NotYet($"container port {_port} is not published on the host (yet)");
        }

        var url = $"http://{endpoint}{_path}";
        try
        {
            using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            var status = $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            return response.IsSuccessStatusCode ? ReadinessCheck.Ready(status) : ReadinessCheck.NotYet(status);
        }
        catch (HttpRequestException e)
        {
            // Refused, reset (the engine's port proxy accepts before the app listens), cut short or garbled: all
            // "not yet", and what was seen goes into the timeout message.
            return ReadinessCheck.NotYet($"{url}: no HTTP answer ({Innermost(e)})");
        }
        catch (IOException e)
        {
            return ReadinessCheck.NotYet($"{url}: connection dropped ({Innermost(e)})");
        }
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e is SocketException s ? $"{s.SocketErrorCode}: {s.Message}" : e.Message;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Ready when Docker's own HEALTHCHECK reports healthy. Fails at once if the image has no HEALTHCHECK.</summary>
public sealed class HealthCheckReadiness : IReadinessCondition
{
    public string Description => "Docker's HEALTHCHECK to report healthy";

    public Task<ReadinessCheck> CheckAsync(ContainerInfo container, CancellationToken cancellationToken)
    {
        var health = container.State.Health ?? throw new DockerException(
            $"container {container.Name} has no HEALTHCHECK, so it can never report healthy — add one to its image or wait on another condition");
        var last = health.Log.Count > 0 ? $"; last probe exit {health.Log[^1].ExitCode}: {health.Log[^1].Output.Trim()}" : "";
        var observation = $"health {health.Status}{last}";
        return Task.FromResult(health.Status == "healthy" ? ReadinessCheck.Ready(observation) : ReadinessCheck.NotYet(observation));
    }
}

/// <summary>Ready when every inner condition is ready, checked in order; the first that is not decides the observation.</summary>
public sealed class AllOf(params IReadinessCondition[] conditions) : IReadinessCondition
{
    public string Description => string.Join(" and ", conditions.Select(c => c.Description));

    public async Task<ReadinessCheck> CheckAsync(ContainerInfo container, CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        foreach (var condition in conditions)
        {
            var check = await condition.CheckAsync(container, cancellationToken).ConfigureAwait(false);
            if (!check.IsReady)
            {
                return check;
            }

            seen.Add(check.Observation);
        }

        return ReadinessCheck.Ready(string.Join("; ", seen));
    }
}
