using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;

namespace SecDcc.Rigs.Emulation;

/// <summary>
/// The device's side of its local port: reads queries from the master end of its pseudo-terminal and answers
/// them. The harness opens the slave end with the real serial driver, as it would a USB adapter on a bench.
/// </summary>
internal sealed class LocalPortServer(EmulatedDevice device, ISerialPort master)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var reader = new FrameReader(master, new LinkDecoder(MessageTypes.LinkOptions, new VerifierKeyStore()));
        var endpoint = new MessageEndpoint(device.Id, new StreamFrameSink(master.AsStream(), master.Name), new StreamFrameSource(reader), new ClockCounter(device.Clock), signingKey: null)
        {
            Undecodable = (frame, error) => device.Log.Write(device.Name, $"local port: skipped an undecodable frame: {error.Message}"),
        };

        while (await endpoint.ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } received)
        {
            if (received.Message is not LocalQuery query || (received.Target != device.Id && received.Target != Addresses.Broadcast))
            {
                continue;
            }

            LocalReport report = query.Query switch
            {
                LocalQueryKind.Identity => new IdentityReport(query.RequestNumber, await device.DescribeIdentityAsync(cancellationToken).ConfigureAwait(false)),
                LocalQueryKind.DeviceLog => new DeviceLogReport(query.RequestNumber, await device.DescribeDeviceLogAsync(cancellationToken).ConfigureAwait(false)),
                LocalQueryKind.Credentials => new CredentialsReport(query.RequestNumber, await device.DescribeCredentialsAsync(cancellationToken).ConfigureAwait(false)),
                LocalQueryKind.State => new StateReport(query.RequestNumber, await device.DescribeStateAsync(endpoint.DescribeStatistics(), cancellationToken).ConfigureAwait(false)),
                _ => new LocalError(query.RequestNumber, $"query {query.Query} is not one this device answers"),
            };

            try
            {
                await endpoint.SendAsync(received.Sender, report, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                // Nobody is reading the slave end and its buffer is full: the answer is lost, as on a real line.
                device.Log.Write(device.Name, $"local port: the answer to {query.Query} query {query.RequestNumber} was lost: {e.Message}");
            }
        }
    }
}
