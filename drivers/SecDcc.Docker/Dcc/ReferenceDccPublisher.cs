using System.Diagnostics;
using SecDcc.Docker.Build;

namespace SecDcc.Docker.Dcc;

/// <summary>Publishes the reference DCC service (framework-dependent) so its output can go into the image.</summary>
public static class ReferenceDccPublisher
{
    public static async Task<string> PublishAsync(string projectFile, string outputDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(projectFile))
        {
            throw new DockerContextException($"{projectFile} does not exist — pass the path of SecDcc.Dcc.Service.csproj");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "publish", projectFile, "-c", "Release", "-o", outputDirectory, "--nologo" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)
            ?? throw new DockerContextException("could not start `dotnet` — is the .NET SDK on PATH?");
        var output = new List<string>();
        var reading = Task.WhenAll(Collect(process.StandardOutput), Collect(process.StandardError));
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await reading.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new DockerContextException(
                $"dotnet publish {projectFile} failed with exit code {process.ExitCode}; its last lines:\n  " +
                string.Join("\n  ", output.TakeLast(30)));
        }

        return outputDirectory;

        async Task Collect(StreamReader reader)
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                lock (output)
                {
                    output.Add(line);
                }
            }
        }
    }
}
