using System.Net.Sockets;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Tests.Support;

namespace SecDcc.Docker.Tests.Unit;

public sealed class ConnectionErrorTests
{
    [Test]
    public void A_missing_socket_says_docker_is_not_installed_and_how_to_fix_it()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "docker.sock");

        var e = Assert.ThrowsAsync<DockerUnavailableException>(() =>
            DockerEngineClient.ConnectAsync(new DockerEngineOptions { Endpoint = new DockerEndpoint(path) }, CancellationToken.None));

        Assert.That(e!.Reason, Is.EqualTo(DockerUnavailableReason.NotInstalled));
        Assert.That(e.Message, Does.StartWith(
            $"Docker is not installed or not running: {path} does not exist — install docker.io and start dockerd"));
    }

    [Test]
    public void A_socket_nobody_listens_on_says_docker_is_not_running()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "docker.sock");
        // Bound but never listening: the file exists and connect() is refused, as with a dead dockerd's stale socket.
        using var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stale.Bind(new UnixDomainSocketEndPoint(path));

        var e = Assert.ThrowsAsync<DockerUnavailableException>(() =>
            DockerEngineClient.ConnectAsync(new DockerEngineOptions { Endpoint = new DockerEndpoint(path) }, CancellationToken.None));

        Assert.That(e!.Reason, Is.EqualTo(DockerUnavailableReason.NotRunning));
        Assert.That(e.Message, Does.Contain("Docker is not running").And.Contain("connection refused").And.Contain("start dockerd"));
    }

    [Test]
    public void Permission_denied_says_to_join_the_docker_group()
    {
        // Root bypasses file permissions, so EACCES is produced here as the socket layer reports it.
        var e = UnixSocketConnector.Map("/var/run/docker.sock", new SocketException((int)SocketError.AccessDenied));

        Assert.That(e.Reason, Is.EqualTo(DockerUnavailableReason.PermissionDenied));
        Assert.That(e.Message, Does.Contain("Permission denied connecting to /var/run/docker.sock")
            .And.Contain("add your user to the docker group"));
    }

    [Test]
    public void Connect_failures_reach_the_caller_as_the_mapped_exception_not_an_HttpRequestException()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "docker.sock");
        using var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stale.Bind(new UnixDomainSocketEndPoint(path));

        Assert.That(() => DockerEngineClient.ConnectAsync(new DockerEngineOptions { Endpoint = new DockerEndpoint(path) }, CancellationToken.None),
            Throws.TypeOf<DockerUnavailableException>().With.Property(nameof(DockerUnavailableException.SocketPath)).EqualTo(path));
    }

    [TestCase(null, DockerEndpoint.DefaultSocketPath)]
    [TestCase("", DockerEndpoint.DefaultSocketPath)]
    [TestCase("unix:///run/user/1000/docker.sock", "/run/user/1000/docker.sock")]
    public void DOCKER_HOST_unix_urls_name_the_socket(string? dockerHost, string expected) =>
        Assert.That(DockerEndpoint.Parse(dockerHost).SocketPath, Is.EqualTo(expected));

    [TestCase("tcp://127.0.0.1:2375")]
    [TestCase("ssh://builder")]
    [TestCase("unix://relative.sock")]
    public void Other_DOCKER_HOST_values_are_refused_with_the_fix(string dockerHost)
    {
        var e = Assert.Throws<DockerUnavailableException>(() => DockerEndpoint.Parse(dockerHost));
        Assert.That(e!.Reason, Is.EqualTo(DockerUnavailableReason.UnsupportedEndpoint));
        Assert.That(e.Message, Does.Contain(dockerHost).And.Contain("unix:///var/run/docker.sock"));
    }
}
