using System.Net;
using System.Net.Sockets;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.TrustAnchors;

namespace SecDcc.Rigs.Bench;

/// <summary>
/// A gateway of the bench's own for an emulated rig: the DCC's side of the SM WAN (a <see cref="WanSession"/> on a
/// loopback TCP port) signing with the rig's test-PKI Access Control Broker key, which the devices hold in their
/// accessControlBroker/digitalSignature cell, and trusting the rig's device issuers. For driving the devices
/// through commissioning where no DCC with a gateway is at hand; it keeps no SMI.
/// </summary>
public sealed class BenchGateway : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly DeviceCertificateDirectory _devices;
    private readonly RigTrustAnchors _anchors;
    private readonly TimeSpan _responseTimeout;
    private readonly List<WanSession> _sessions = [];

    /// <param name="anchors">The rig's trust anchors (the same settings the rig is started with, and no DCC certificate of its own).</param>
    public BenchGateway(RigTrustAnchors anchors, TimeSpan responseTimeout)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        if (anchors.DccCertificate is not null)
        {
            throw new ArgumentException("the rig was given a DCC certificate of its own, so its devices would not verify this gateway's commands; start it without one", nameof(anchors));
        }

        _anchors = anchors;
        _responseTimeout = responseTimeout;
        _devices = new DeviceCertificateDirectory(anchors.DeviceIssuer().TrustChain);
        _listener.Start();
    }

    /// <summary>Where the rig's hub connects: give it as <c>EmulatorOptions.Wan</c>.</summary>
    public TcpWan Wan => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    /// <summary>Waits for the hub's next connection and serves it.</summary>
    /// <exception cref="BenchFaultException">No hub connected within <paramref name="within"/>.</exception>
    public async Task<WanSession> AcceptAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        TcpClient client;
        try
        {
            client = await _listener.AcceptTcpClientAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchFaultException($"no hub connected to the bench gateway at {Wan} within {within.TotalSeconds:0.#} s: is the hub powered, and is its WAN pointed here?");
        }

        var acb = _anchors.Pki.AccessControlBrokerSigning;
        var session = WanSession.Start(client.GetStream(), new WanSessionOptions
        {
            DccId = acb.Facts.EntityId!.Value,
            SigningKey = acb.Key,
            Devices = _devices,
            ResponseTimeout = _responseTimeout,
            PeerName = $"tcp {client.Client.RemoteEndPoint}",
        });
        _sessions.Add(session);
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        _listener.Stop();
        _listener.Dispose();
        _devices.Dispose();
    }
}
