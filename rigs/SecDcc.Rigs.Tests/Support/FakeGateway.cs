using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Tests.Support;

/// <summary>
/// The DCC's SM WAN gateway as a test plays it: a TcpListener, the DCC's signing key and certificate, and the
/// gateway-side <see cref="WanSession"/> for each hub that connects.
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    public static readonly Eui64 DccId = Eui64.Parse("90-B3-D5-1F-30-00-00-02");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<WanSession> _sessions = [];

    public FakeGateway()
    {
        _listener.Start();
        SigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=DCC access control broker (test), OU=04", SigningKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Certificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    public ECDsa SigningKey { get; }

    /// <summary>What devices hold in their accessControlBroker cell to verify the DCC's commands.</summary>
    public X509Certificate2 Certificate { get; }

    public WanConnection Wan => new TcpWan("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    /// <summary>Waits for the next hub to connect and starts a session with it.</summary>
    public async Task<WanSession> AcceptAsync(DeviceCertificateDirectory devices, TimeSpan responseTimeout, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        TcpClient client;
        try
        {
            client = await _listener.AcceptTcpClientAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no hub connected to the gateway within {within.TotalSeconds:0.#} s");
            throw;
        }

        var session = WanSession.Start(client.GetStream(), new WanSessionOptions
        {
            DccId = DccId,
            SigningKey = SigningKey,
            Devices = devices,
            ResponseTimeout = responseTimeout,
            PeerName = $"tcp {client.Client.RemoteEndPoint}",
        });
        _sessions.Add(session);
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        _listener.Stop();
        SigningKey.Dispose();
        Certificate.Dispose();
    }
}
