using System.Net;
using System.Net.Sockets;
using SecDcc.DeviceProtocol.Encoding;
using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>A command captured off the WAN and sent again is refused, even after the hub restarts.</summary>
public sealed class ReplayTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task A_replayed_command_is_dropped_by_the_hub_after_a_restart(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var gateway = new FakeGateway();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var definition = Small(folder.Path, wan: new TcpWan("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port));
            var options = new EmulatorOptions { DccCertificate = gateway.Certificate };
            var whitelist = new UpdateHanDeviceLog(new RequestId(FakeGateway.DccId, Chf, 1), HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty);
            var wire = FrameCodec.Encode(
                new FrameHeader(whitelist.MessageType, new ClockCounter().Next(), FakeGateway.DccId, Chf),
                DeviceMessageCodec.Encode(whitelist),
                gateway.SigningKey,
                MessageTypes.LinkOptions);

            await using (var rig = await EmulatedRig.StartAsync(definition, options, ct))
            {
                using var first = await listener.AcceptTcpClientAsync(ct);
                await first.GetStream().WriteAsync(wire, ct);
                await using var chf = LocalPortClient.Open(rig["chf"].LocalPortPath);
                await Eventually.GetAsync(chf.ReadDeviceLogAsync, log => log.Any(e => e.DeviceId == Esme), TimeSpan.FromSeconds(10), "the CHF whitelisting the ESME");
            }

            await using (var rig = await EmulatedRig.StartAsync(definition, options, ct))
            {
                using var second = await listener.AcceptTcpClientAsync(ct);
                await using var chf = LocalPortClient.Open(rig["chf"].LocalPortPath);
                await Eventually.GetAsync(chf.ReadStateAsync, s => s.WanState.StartsWith("connected", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the CHF reconnecting");
                await second.GetStream().WriteAsync(wire, ct);
                var state = await Eventually.GetAsync(chf.ReadStateAsync, s => s.LinkStatistics.Contains("Replayed 1", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the CHF dropping the replayed command");
                Assert.That(state.LinkStatistics, Does.Match(@"WAN: accepted 0, dropped 1 \(Replayed 1\)"));
            }
        }
        finally
        {
            listener.Stop();
        }
    }
}
