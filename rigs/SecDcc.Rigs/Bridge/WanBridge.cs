using System.Net.Sockets;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation;

namespace SecDcc.Rigs.Bridge;

/// <summary>The bridge's link to the gateway, as it changes.</summary>
public enum WanBridgeStatus
{
    Connecting,
    Connected,
    Disconnected,
    Stopped,
}

/// <summary>What the bridge is doing, and why when it is not relaying.</summary>
public sealed record WanBridgeState(WanBridgeStatus Status, string Detail)
{
    public override string ToString() => $"{Status.ToString().ToLowerInvariant()}: {Detail}";
}

/// <summary>What a WAN bridge needs besides its two ends.</summary>
public sealed record WanBridgeOptions
{
    /// <summary>The first wait before reconnecting to the gateway; doubled on each failure up to <see cref="LastRetry"/>.</summary>
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan LastRetry { get; init; } = TimeSpan.FromSeconds(5);

    public IEmulatorLog Log { get; init; } = NullEmulatorLog.Instance;
}

/// <summary>
/// Relays a hub's serial WAN line to the DCC's SM WAN gateway over TCP, byte for byte in both directions
/// (docs/decisions/1305): a real hub's WAN port on a USB serial adapter, or an emulated hub's WAN
/// pseudo-terminal, becomes a TCP client of the gateway as an emulated hub on TCP is.
/// </summary>
/// <remarks>
/// <para>The serial port is held for the bridge's life; the TCP connection is made, and remade after the gateway
/// closes it, with back-off. Bytes the hub sends while no connection is up are dropped (and counted): a serial
/// line has no way to hold them, and a gateway must see a hub's session from its start. After a reconnection
/// the gateway waits for the hub's "connected" communication, which a hub sends when it starts its session:
/// power-cycle it (through its relay) if it does not.</para>
/// <para>The bridge never reads what it relays; the frames are the hub's and the DCC's, signed end to end.</para>
/// </remarks>
public sealed class WanBridge : IAsyncDisposable
{
    private readonly ISerialPort _line;
    private readonly bool _ownsLine;
    private readonly string _host;
    private readonly int _port;
    private readonly WanBridgeOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private long _toGateway;
    private long _toHub;
    private long _dropped;
    private int _connections;
    private WanBridgeState _state = new(WanBridgeStatus.Connecting, "starting");

    private WanBridge(ISerialPort line, bool ownsLine, string host, int port, WanBridgeOptions options)
    {
        _line = line;
        _ownsLine = ownsLine;
        _host = host;
        _port = port;
        _options = options;
        Completion = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Raised on every change of the link to the gateway.</summary>
    public event Action<WanBridgeState>? StateChanged;

    public WanBridgeState State => _state;

    public long BytesToGateway => Interlocked.Read(ref _toGateway);

    public long BytesToHub => Interlocked.Read(ref _toHub);

    /// <summary>Bytes from the hub that arrived while no gateway connection was up.</summary>
    public long BytesDropped => Interlocked.Read(ref _dropped);

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Ends when the bridge is disposed, or when the serial line hangs up (it then faults with why).</summary>
    public Task Completion { get; }

    public string Describe => $"{_line.Name} ⇄ tcp {_host}:{_port}";

    /// <summary>Opens <paramref name="serialPath"/> and starts relaying it to the gateway at <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <exception cref="SerialPortException">The serial port does not open.</exception>
    public static WanBridge Start(string serialPath, SerialSettings settings, string host, int port, WanBridgeOptions? options = null) =>
        Start(SerialPort.Open(serialPath, settings), ownsLine: true, host, port, options);

    /// <param name="ownsLine">Dispose the line with the bridge.</param>
    public static WanBridge Start(ISerialPort line, bool ownsLine, string host, int port, WanBridgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new WanBridge(line, ownsLine, host, port, options ?? new WanBridgeOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The stop asked for here.
        }
        catch (SerialPortException)
        {
            // The line hung up before the stop; Completion has already said so to whoever watched it.
        }
        finally
        {
            if (_ownsLine)
            {
                await _line.DisposeAsync().ConfigureAwait(false);
            }

            _stop.Dispose();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var retry = _options.FirstRetry;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                SetState(WanBridgeStatus.Connecting, $"tcp {_host}:{_port}");
                TcpClient client;
                try
                {
                    client = await ConnectAsync(stop).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    SetState(WanBridgeStatus.Disconnected, $"tcp {_host}:{_port}: {e.Message}; retrying in {retry.TotalSeconds:0.#} s");
                    await DropWhileAsync(retry, stop).ConfigureAwait(false);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, _options.LastRetry.Ticks));
                    continue;
                }

                retry = _options.FirstRetry;
                using (client)
                {
                    Interlocked.Increment(ref _connections);
                    SetState(WanBridgeStatus.Connected, Describe);
                    var reason = await RelayAsync(client.GetStream(), stop).ConfigureAwait(false);
                    SetState(WanBridgeStatus.Disconnected, reason);
                }
            }
        }
        finally
        {
            SetState(WanBridgeStatus.Stopped, _line.IsHungUp ? $"{_line.Name} hung up" : "stopped");
        }
    }

    private async Task<TcpClient> ConnectAsync(CancellationToken stop)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(_host, _port, stop).ConfigureAwait(false);
            return client;
        }
        catch (Exception)
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Both directions until the gateway closes, the line hangs up (thrown), or the bridge stops; why it ended.</summary>
    private async Task<string> RelayAsync(NetworkStream gateway, CancellationToken stop)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var up = PumpUpAsync(gateway, session.Token);
        var down = PumpDownAsync(gateway, session.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        await session.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The other direction stopped because this session ended; the first to end says why.
        }

        if (first.IsFaulted && first.Exception!.InnerException is SerialPortException serial)
        {
            throw serial;
        }

        stop.ThrowIfCancellationRequested();
        return first.IsFaulted ? $"the gateway connection failed: {first.Exception!.InnerException!.Message}" : "the gateway closed the connection";
    }

    /// <summary>Hub → gateway.</summary>
    private async Task PumpUpAsync(NetworkStream gateway, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var n = await _line.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            await gateway.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _toGateway, n);
        }
    }

    /// <summary>Gateway → hub; returns when the gateway closes its end.</summary>
    private async Task PumpDownAsync(NetworkStream gateway, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int n;
        while ((n = await gateway.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await _line.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _toHub, n);
        }
    }

    /// <summary>Reads and drops what the hub sends until <paramref name="wait"/> has passed, so the line's buffer holds nothing stale for the next connection.</summary>
    private async Task DropWhileAsync(TimeSpan wait, CancellationToken stop)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stop);
        window.CancelAfter(wait);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await _line.ReadAsync(buffer, window.Token).ConfigureAwait(false);
                Interlocked.Add(ref _dropped, n);
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // The wait is over: try the gateway again.
        }
    }

    private void SetState(WanBridgeStatus status, string detail)
    {
        _state = new WanBridgeState(status, detail);
        _options.Log.Write("wan-bridge", _state.ToString());
        StateChanged?.Invoke(_state);
    }
}
