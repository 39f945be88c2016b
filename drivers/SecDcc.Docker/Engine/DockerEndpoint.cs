namespace SecDcc.Docker.Engine;

/// <summary>Where the engine listens. Only unix sockets: that is what a local dockerd offers and what CI starts.</summary>
public sealed record DockerEndpoint(string SocketPath)
{
    public const string DefaultSocketPath = "/var/run/docker.sock";

    public static DockerEndpoint Default { get; } = new(DefaultSocketPath);

    /// <summary>Honours DOCKER_HOST=unix:///path; an unset or empty DOCKER_HOST means the default socket.</summary>
    public static DockerEndpoint FromEnvironment() => Parse(Environment.GetEnvironmentVariable("DOCKER_HOST"));

    public static DockerEndpoint Parse(string? dockerHost)
    {
        if (string.IsNullOrWhiteSpace(dockerHost))
        {
            return Default;
        }

        const string scheme = "unix://";
        if (dockerHost.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            var path = dockerHost[scheme.Length..];
            if (path.Length == 0 || path[0] != '/')
            {
                throw new DockerUnavailableException(
                    DockerUnavailableReason.UnsupportedEndpoint, dockerHost,
                    $"DOCKER_HOST={dockerHost} does not name an absolute socket path — write it as unix:///var/run/docker.sock");
            }

            return new DockerEndpoint(path);
        }

        throw new DockerUnavailableException(
            DockerUnavailableReason.UnsupportedEndpoint, dockerHost,
            $"DOCKER_HOST={dockerHost} is not supported: SecDcc talks to a local engine over its unix socket only — " +
            "unset DOCKER_HOST or set it to unix:///var/run/docker.sock");
    }

    public override string ToString() => $"unix://{SocketPath}";
}
