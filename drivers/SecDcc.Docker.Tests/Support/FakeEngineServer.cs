using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Tests.Support;

/// <summary>Kestrel on a temporary unix socket, answering whatever routes a test maps: a Docker engine stand-in.</summary>
internal sealed class FakeEngineServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _dir;

    private FakeEngineServer(WebApplication app, TempDirectory dir, string socketPath)
    {
        _app = app;
        _dir = dir;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public DockerEngineOptions Options(TimeSpan? requestTimeout = null) => new()
    {
        Endpoint = new DockerEndpoint(SocketPath),
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
    };

    /// <summary>Starts a server that answers /_ping and /version (as an engine with the given API version) plus the test's routes.</summary>
    public static async Task<FakeEngineServer> StartAsync(Action<WebApplication> map, string apiVersion = "1.43", string minApiVersion = "1.12")
    {
        var dir = new TempDirectory();
        var socketPath = Path.Combine(dir.Path, "docker.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        var app = builder.Build();
        app.MapGet("/_ping", () => "OK");
        app.MapGet("/version", () => Microsoft.AspNetCore.Http.Results.Json(new Dictionary<string, string>
        {
            ["Version"] = "99.0.0-fake",
            ["ApiVersion"] = apiVersion,
            ["MinAPIVersion"] = minApiVersion,
            ["Os"] = "linux",
            ["Arch"] = "amd64",
            ["KernelVersion"] = "6.0",
        }));
        map(app);
        await app.StartAsync();
        return new FakeEngineServer(app, dir, socketPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
