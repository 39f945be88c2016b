using System.Net.Sockets;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Emulation.CommsHub;

/// <summary>How an emulated hub's WAN reaches the DCC's gateway: one connection attempt at a time.</summary>
public interface IWanTransport
{
    /// <summary>"tcp 127.0.0.1:7070", "serial /dev/ttyUSB2", "serial /dev/pts/9 (emulated WAN line)".</summary>
    string Describe { get; }

    /// <summary>Opens the link; the caller disposes the stream to close it.</summary>
    Task<Stream> ConnectAsync(CancellationToken cancellationToken);

    public static IWanTransport For(WanConnection connection, Func<string> emulatedLinePath, Func<ISerialPort> emulatedLine) => connection switch
    {
        TcpWan tcp => new TcpWanTransport(tcp.Host, tcp.Port),
        SerialWan { Port: SerialPortResource port } => new SerialLineWanTransport(port),
        SerialWan { Port: EmulatedPort } => new EmulatedLineWanTransport(emulatedLinePath, emulatedLine),
        _ => throw new ArgumentException($"no WAN transport for {connection}", nameof(connection)),
    };
}

/// <summary>The hub as a TCP client of the gateway.</summary>
public sealed class TcpWanTransport(string host, int port) : IWanTransport
{
    public string Describe => $"tcp {host}:{port}";

    public async Task<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(client.Client, ownsSocket: true);
        }
        catch (Exception)
        {
            client.Dispose();
            throw;
        }
    }
}

/// <summary>The hub's WAN as a real serial line, to a WAN bridge.</summary>
public sealed class SerialLineWanTransport(SerialPortResource port) : IWanTransport
{
    public string Describe => $"serial {port.Path}";

    public Task<Stream> ConnectAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(SerialPort.Open(port.Path, port.Settings).AsStream(ownsPort: true));
}

/// <summary>The hub's WAN as the master end of a pseudo-terminal the rig keeps; a WAN bridge opens the slave end.</summary>
public sealed class EmulatedLineWanTransport(Func<string> slavePath, Func<ISerialPort> master) : IWanTransport
{
    public string Describe => $"serial {slavePath()} (emulated WAN line)";

    public Task<Stream> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(master().AsStream(ownsPort: false));
}
