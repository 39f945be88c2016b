using System.Net.Sockets;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;

namespace SecDcc.Rigs.Emulation.CommsHub;

public enum WanLinkStatus
{
    Off,
    Connecting,
    Connected,
    Disconnected,
}

/// <summary>The state of a hub's WAN link, and what it is connected to or why it is not.</summary>
public sealed record WanLinkState(WanLinkStatus Status, string Detail)
{
    public static WanLinkState Off { get; } = new(WanLinkStatus.Off, "powered off");

    public override string ToString() => $"{Status.ToString().ToLowerInvariant()}: {Detail}";
}

/// <summary>
/// The CHF's WAN: connects (and reconnects, backing off) through its transport, announces itself on every
/// connection, and hands what arrives to the CHF.
/// </summary>
internal sealed class HubWanLink(CommunicationsHubFunction chf, IWanTransport transport)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);
    private volatile MessageEndpoint? _endpoint;

    public MessageEndpoint? Endpoint => _endpoint;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            chf.SetWanState(new WanLinkState(WanLinkStatus.Connecting, transport.Describe));
            Stream stream;
            try
            {
                stream = await transport.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
            {
                chf.SetWanState(new WanLinkState(WanLinkStatus.Disconnected, $"{transport.Describe}: {e.Message}; retrying in {retry.TotalSeconds:0.#} s"));
                await Task.Delay(retry, chf.Clock, cancellationToken).ConfigureAwait(false);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                continue;
            }

            retry = FirstRetry;
            var reason = await ServeAsync(stream, cancellationToken).ConfigureAwait(false);
            chf.SetWanState(new WanLinkState(WanLinkStatus.Disconnected, $"{transport.Describe}: {reason}"));
            await Task.Delay(FirstRetry, chf.Clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ServeAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            var decoder = new LinkDecoder(MessageTypes.LinkOptions, chf.Keys, chf.Replay)
            {
                Dropped = drop => chf.Log.Write(chf.Name, $"WAN: dropped a frame ({drop.Reason}{(drop.Header is { } h ? $", type 0x{h.MessageType:X4} from {h.Sender}" : string.Empty)})"),
            };
            // One frame per read, so a new accessControlBroker certificate written by one command verifies the next.
            using var reader = new FrameReader(new FrameBoundaryStream(stream), decoder);
            var endpoint = new MessageEndpoint(chf.Id, new StreamFrameSink(stream, transport.Describe), new StreamFrameSource(reader), chf.WanCounter, chf.DccSigningKey)
            {
                Undecodable = (frame, error) => chf.Log.Write(chf.Name, $"WAN: skipped an undecodable frame from {frame.Sender}: {error.Message}"),
            };
            try
            {
                _endpoint = endpoint;
                chf.SetWanState(new WanLinkState(WanLinkStatus.Connected, transport.Describe));
                await chf.OnWanConnectedAsync(endpoint, cancellationToken).ConfigureAwait(false);
                while (await endpoint.ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } received)
                {
                    await chf.OnWanMessageAsync(endpoint, received, cancellationToken).ConfigureAwait(false);
                }

                return "the gateway closed the connection";
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                return e is SerialPortException { Error: SerialError.HungUp } ? "the WAN line hung up" : e.Message;
            }
            finally
            {
                _endpoint = null;
                chf.Log.Write(chf.Name, $"WAN: {endpoint.DescribeStatistics()}");
            }
        }
    }
}
