using System.Net.Sockets;

namespace SecDcc.Docker.Engine;

/// <summary>
/// Opens the engine's unix socket for <see cref="SocketsHttpHandler.ConnectCallback"/>, turning the three ways
/// it commonly fails into messages that say what to do.
/// </summary>
internal static class UnixSocketConnector
{
    public static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        if (!Path.Exists(socketPath))
        {
            throw NotInstalled(socketPath);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw Map(socketPath, e);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw;
        }
    }

    internal static DockerUnavailableException NotInstalled(string socketPath) => new(
        DockerUnavailableReason.NotInstalled, socketPath,
        $"Docker is not installed or not running: {socketPath} does not exist — install docker.io and start dockerd " +
        "(reference-dcc/docker/ensure-engine.sh does both)");

    internal static DockerUnavailableException Map(string socketPath, SocketException e) => e.SocketErrorCode switch
    {
        // A path that vanished between the check and the connect is the same story as one that never existed.
        SocketError.AddressNotAvailable => NotInstalled(socketPath),
        SocketError.ConnectionRefused => new DockerUnavailableException(
            DockerUnavailableReason.NotRunning, socketPath,
            $"Docker is not running: {socketPath} exists but nothing accepts connections on it (connection refused) — " +
            "start dockerd (systemctl start docker, or reference-dcc/docker/ensure-engine.sh)", e),
        SocketError.AccessDenied => new DockerUnavailableException(
            DockerUnavailableReason.PermissionDenied, socketPath,
            $"Permission denied connecting to {socketPath} (EACCES) — add your user to the docker group " +
            "(sudo usermod -aG docker $USER, then log in again) or run as root", e),
        _ => new DockerUnavailableException(
            DockerUnavailableReason.NotRunning, socketPath,
            $"Cannot connect to the Docker engine at {socketPath}: {e.SocketErrorCode} ({e.Message}) — check that dockerd runs (docker info)", e),
    };
}
