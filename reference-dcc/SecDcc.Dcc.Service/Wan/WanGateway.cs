using System.Net;
using System.Net.Sockets;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>Whether the SM WAN gateway runs and where it listens: what /health/ready reports.</summary>
public sealed class WanGatewayInfo(WanOptions? options)
{
    private volatile IPEndPoint? _bound;

    public WanOptions? Options { get; } = options;
    public bool Enabled => Options is not null;
    public IPEndPoint? Endpoint => _bound;

    internal void Bound(IPEndPoint endpoint) => _bound = endpoint;

    /// <summary>The readiness view: null when off; the port once listening.</summary>
    public object? Describe() => Options is null
        ? null
        : new { port = _bound?.Port, address = Options.Address.ToString(), listening = _bound is not null, responseTimeout = Options.ResponseTimeout };
}

/// <summary>
/// The SM WAN gateway: a TCP listener hubs connect to. Each connection runs a session through a WAN adapter (the
/// reference device link first) and a <see cref="HubConnection"/> that acts on what the hub sends. A connection
/// that sends garbage costs only itself: its frames are dropped and counted, and the listener goes on accepting.
/// </summary>
public sealed class WanGateway(
    WanGatewayInfo info,
    DccWanIdentity identity,
    DeviceTrust trust,
    WanGatewayContext context,
    ILogger<WanGateway> log) : BackgroundService
{
    // One replay guard for every session: a frame recorded on one connection and replayed on another is refused.
    private readonly ReplayGuard _replay = new();
    private TcpListener? _listener;

    private WanOptions Options => info.Options!;

    /// <summary>Binds before the host reports started, so a port in use stops the service with a message and the port is known at once.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new TcpListener(Options.Address, Options.Port);
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"The SM WAN gateway cannot listen on {Options.Address}:{Options.Port}: {e.Message}. Choose another --wan-port, or 0 for any free port.", e);
        }

        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        info.Bound(endpoint);
        // Printed, not only logged: a bench operator needs the port whatever the log level.
        Console.WriteLine($"SM WAN gateway listening on tcp {endpoint.Address}:{endpoint.Port} ({context.Adapters.Default.Name}); DCC {identity.DccId}, response timeout {Options.ResponseTimeout}");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connections = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener!.AcceptTcpClientAsync(stoppingToken);
                }
                catch (SocketException e)
                {
                    // A connection reset before it was accepted: the listener itself is fine.
                    log.LogDebug(e, "WAN accept failed");
                    continue;
                }

                connections.RemoveAll(t => t.IsCompleted);
                if (context.Hubs.OpenCount >= Options.MaxConnections)
                {
                    context.Statistics.ConnectionRefused();
                    client.Dispose();
                    continue;
                }

                context.Statistics.ConnectionAccepted();
                connections.Add(ServeAsync(client, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping.
        }
        finally
        {
            _listener!.Stop();
            foreach (var hub in context.Hubs.Open)
                await hub.DisposeAsync();
            await Task.WhenAll(connections);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        var peer = $"tcp {client.Client.RemoteEndPoint}";
        client.NoDelay = true;
        // Which adapter a hub needs is known only once it names its CHF; the listener speaks the default, and the
        // connection checks the CHF's Device Model against the registry when it does (docs/decisions/1102).
        var adapter = context.Adapters.Default;
        var session = adapter.Open(client.GetStream(), new WanSessionOptions
        {
            DccId = identity.DccId,
            SigningKey = identity.SigningKey,
            Devices = trust.Current,
            ResponseTimeout = Options.ResponseTimeout,
            Replay = _replay,
            PeerName = peer,
        });
        var connection = new HubConnection(session, adapter, peer, context);
        context.Hubs.Add(connection);
        try
        {
            await Task.Yield();
            await connection.RunAsync(Options.IdentifyTimeout, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "WAN {Peer}: the connection failed", peer);
        }
        finally
        {
            await connection.DisposeAsync();
            client.Dispose();
        }
    }
}
