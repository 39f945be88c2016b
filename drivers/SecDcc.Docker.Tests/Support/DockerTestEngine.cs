using System.Diagnostics;
using SecDcc.Docker.Dcc;
using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Tests.Support;

/// <summary>
/// The real engine for the integration tests, connected once. Without one, each test is skipped with the
/// reason (Assert.Ignore), never passed. The local base image is built on first use if the engine lacks it.
/// </summary>
internal static class DockerTestEngine
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static DockerEngineClient? _engine;
    private static string? _unavailable;
    private static bool _baseChecked;
    private static string? _baseUnavailable;

    public static string ReferenceDccDirectory => ReferenceDccImage.FindReferenceDccDirectory(TestContext.CurrentContext.TestDirectory);

    public static string StandInPublishDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "stand-in-dcc");

    public static async Task<IDockerEngine> RequireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_engine is null && _unavailable is null)
            {
                try
                {
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    _engine = await DockerEngineClient.ConnectAsync(null, deadline.Token);
                }
                catch (DockerUnavailableException e)
                {
                    _unavailable = $"no Docker engine at {e.SocketPath}: {e.Message}";
                }
            }
        }
        finally
        {
            Gate.Release();
        }

        if (_unavailable is not null)
        {
            Assert.Ignore(_unavailable);
        }

        return _engine!;
    }

    /// <summary>The engine, with the local base image present (built by reference-dcc/docker/build-local-base.sh if missing).</summary>
    public static async Task<IDockerEngine> RequireWithLocalBaseAsync()
    {
        var engine = await RequireAsync();
        await Gate.WaitAsync();
        try
        {
            if (!_baseChecked)
            {
                _baseChecked = true;
                if (await engine.InspectImageAsync(ReferenceDccImage.LocalBaseImage, CancellationToken.None) is null)
                {
                    _baseUnavailable = await BuildLocalBaseAsync();
                }
            }
        }
        finally
        {
            Gate.Release();
        }

        if (_baseUnavailable is not null)
        {
            Assert.Ignore(_baseUnavailable);
        }

        return engine;
    }

    private static async Task<string?> BuildLocalBaseAsync()
    {
        var script = Path.Combine(ReferenceDccDirectory, "docker", "build-local-base.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return $"the local base image {ReferenceDccImage.LocalBaseImage} is missing and {script} did not finish within 5 minutes";
        }

        return process.ExitCode == 0
            ? null
            : $"the local base image {ReferenceDccImage.LocalBaseImage} is missing and {script} failed (exit {process.ExitCode}): {await stderr}{await stdout}";
    }

    public static void DisposeEngine()
    {
        _engine?.Dispose();
        _engine = null;
    }
}
