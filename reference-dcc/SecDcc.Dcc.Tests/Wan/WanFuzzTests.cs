using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using SecDcc.DeviceProtocol.Encoding;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Emulation;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Dcc.Tests.Wan;

/// <summary>
/// At least 100,000 bad frames into the gateway's TCP port, over several connections at once: random bytes, truncated
/// frames, bad FCS, oversize, replays of a valid frame, frames signed with the wrong key or by an unknown sender,
/// unsigned frames that carry authority, unknown versions, undecodable payloads. The gateway must drop and count each,
/// change nothing in the SMI, and still serve a real hub's session afterwards.
/// </summary>
public sealed class WanFuzzTests : WanWorldFixture
{
    private const int Connections = 4;
    private const int FramesPerConnection = 25_000;

    [Test]
    [CancelAfter(180_000)]
    public async Task Fuzzed_frames_are_dropped_and_counted_and_change_nothing_and_a_real_hub_still_works(CancellationToken ct)
    {
        var rig = WanWorld.Rig(0x5801, null, "chf", "gpf", "esme");
        var (chf, esme) = (rig.Chf.Id, rig.Device("esme").Id);
        await _world.PreNotifyAsync(rig, ct);
        var log = new MemoryEmulatorLog();
        await using var emulated = await _world.StartRigAsync(rig, log, ct);
        await _world.InstallEsmeAsync(chf, esme, ct);

        using var authority = LocalCertificateAuthority.Create("SecDcc fuzz device CA");
        var (trusted, _) = await _world.Dcc.PostRawAsync("/wan/device-issuers", authority.IssuerCertificate.ExportCertificatePem(), ct, "application/x-pem-file");
        Assert.That((int)trusted, Is.EqualTo(200), "trust the fuzzer's device CA");

        var smiBefore = await _world.SnapshotAsync(ct);
        var before = await _world.StatisticsAsync(ct);
        var plans = Enumerable.Range(0, Connections).Select(i => new FuzzPlan(authority, new Eui64(0x00DB_FF00_0000_0000UL + (ulong)i), chf, seed: 1000 + i)).ToList();
        await Task.WhenAll(plans.Select(p => SendAsync(p.Frames(FramesPerConnection), ct)));
        var sent = plans.Sum(p => p.Sent);
        Assert.That(sent, Is.GreaterThanOrEqualTo(100_000), "frames sent");

        // Every frame whose fate is certain is counted under its reason (more may be, where random bytes split into several).
        var expected = new Dictionary<string, long>();
        foreach (var p in plans)
        {
            foreach (var (reason, n) in p.ExpectedDrops)
                expected[reason] = expected.GetValueOrDefault(reason) + n;
        }

        JsonElement after = default;
        var counted = await WanWorld.EventuallyAsync(async () =>
        {
            after = await _world.StatisticsAsync(ct);
            return expected.All(e => Dropped(after, e.Key) - Dropped(before, e.Key) >= e.Value)
                && WanWorld.Count(after, "connections", "closed") - WanWorld.Count(before, "connections", "closed") >= Connections;
        }, ct, TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine($"sent {sent} fuzzed frames over {Connections} connections; expected at least {string.Join(", ", expected.Select(e => $"{e.Key} {e.Value}"))}");
        TestContext.Out.WriteLine($"gateway after: {after}");
        Assert.That(counted, Is.True, $"the gateway did not count every bad frame: expected at least {string.Join(", ", expected.Select(e => $"{e.Key} {e.Value}"))}; it has {after}");

        var droppedNow = WanWorld.Count(after, "frames", "droppedTotal") - WanWorld.Count(before, "frames", "droppedTotal");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(droppedNow, Is.GreaterThanOrEqualTo(expected.Values.Sum()), "frames dropped in all");
            Assert.That(_world.Dcc.HasExited, Is.False, "the service is still running");
            Assert.That(await _world.SnapshotAsync(ct), Is.EqualTo(smiBefore), "the SMI and the outbox are unchanged");
            // The fuzzers' own hubs connected with valid, verified communications, and are not in the SMI: AC 4.2(a).
            Assert.That(WanWorld.Count(after, "refusedByClause", "AC-4.2(a)") - WanWorld.Count(before, "refusedByClause", "AC-4.2(a)"), Is.EqualTo(Connections));
            // Communications naming the real CHF but signed with the wrong key: refused once per connection (AC 4.2(c)).
            Assert.That(WanWorld.Count(after, "refusedByClause", "AC-4.2(c)") - WanWorld.Count(before, "refusedByClause", "AC-4.2(c)"), Is.EqualTo(Connections));
        });

        // The real hub's session still works: a Command and its Response, and the SMI follows a new Response.
        var read = await _world.SucceedsAsync("8.9", chf, "read the CHF's log after the fuzzing", ct);
        Assert.That(read.GetProperty("data").GetProperty("entries").GetString(), Is.EqualTo($"{esme}:ESME"));
        await _world.SucceedsAsync("8.1.1", esme, "commission the ESME after the fuzzing", ct);
        Assert.That(await _world.StatusAsync(esme, ct), Is.EqualTo("Commissioned"));

        // And the listener still takes new connections.
        var fresh = new FuzzPlan(authority, new Eui64(0x00DB_FF00_0000_00FFUL), chf, seed: 7);
        await SendAsync(fresh.Introduction(), ct);
        var accepted = await WanWorld.EventuallyAsync(async () =>
            WanWorld.Count(await _world.StatisticsAsync(ct), "refusedByClause", "AC-4.2(a)") - WanWorld.Count(after, "refusedByClause", "AC-4.2(a)") == 1, ct);
        Assert.That(accepted, Is.True, "a new connection after the fuzzing was served");
    }

    private static long Dropped(JsonElement statistics, string reason) => WanWorld.Count(statistics, "frames", "dropped", reason);

    private async Task SendAsync(IEnumerable<byte[]> frames, CancellationToken ct)
    {
        using var client = new TcpClient { NoDelay = false };
        await client.ConnectAsync("127.0.0.1", _world.WanPort, ct);
        var stream = client.GetStream();
        var buffer = new MemoryStream();
        foreach (var frame in frames)
        {
            buffer.Write(frame);
            if (buffer.Length < 64 * 1024)
                continue;
            await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
            buffer.SetLength(0);
        }

        await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
        client.Client.Shutdown(SocketShutdown.Send);
    }

    /// <summary>One connection's fuzzed frames, and the drops the gateway must count for them.</summary>
    private sealed class FuzzPlan(LocalCertificateAuthority authority, Eui64 device, Eui64 realChf, int seed)
    {
        private static readonly Eui64 Dcc = Eui64.Parse("90-B3-D5-1F-30-00-00-02");
        private readonly Random _random = new(seed);
        private ulong _counter = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks;

        public int Sent { get; private set; }

        public Dictionary<string, long> ExpectedDrops { get; } = [];

        /// <summary>The fuzzer's own device certificate and its valid, signed "connected" communication, as a hub sends them.</summary>
        public IEnumerable<byte[]> Introduction() => Introduce(out _);

        public IEnumerable<byte[]> Frames(int count)
        {
            using var rogue = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var introduction = Introduce(out var connected);
            foreach (var frame in introduction)
                yield return Count(frame);

            var kinds = new (string? Reason, int Weight, Func<byte[]> Make)[]
            {
                (null, 16, RandomBytes),
                (null, 16, Truncated),
                (nameof(DropReason.BadCrc), 16, BadCrc),
                (nameof(DropReason.Oversize), 2, Oversize),
                (nameof(DropReason.Replayed), 16, () => connected),
                (nameof(DropReason.BadSignature), 14, () => Signed(MessageTypes.HubConnected, realChf, Connected(realChf), rogue)),
                (nameof(DropReason.UnknownSenderKey), 8, () => Signed(MessageTypes.HanDeviceAlert, new Eui64((ulong)_random.NextInt64()), Alert(), rogue)),
                (nameof(DropReason.MissingSignature), 6, () => Unsigned(MessageTypes.HubConnected, realChf, Connected(realChf))),
                (nameof(DropReason.UnknownVersion), 3, UnknownVersion),
                (null, 3, Undecodable),
            };
            var total = kinds.Sum(k => k.Weight);
            while (Sent < count)
            {
                var pick = _random.Next(total);
                var kind = kinds.First(k => (pick -= k.Weight) < 0);
                if (kind.Reason is { } reason)
                    ExpectedDrops[reason] = ExpectedDrops.GetValueOrDefault(reason) + 1;
                yield return Count(kind.Make());
            }
        }

        private IEnumerable<byte[]> Introduce(out byte[] connected)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var certificate = authority.Issue(device, key);
            var certificates = Unsigned(MessageTypes.DeviceCertificates, device, DeviceMessageCodec.Encode(new DeviceCertificatesMessage(ValueList.Of(new Octets(certificate.RawData)))));
            connected = Signed(MessageTypes.HubConnected, device, Connected(device), key);
            return [certificates, connected];
        }

        private byte[] Count(byte[] frame)
        {
            Sent++;
            return frame;
        }

        private static byte[] Connected(Eui64 chf) => DeviceMessageCodec.Encode(new HubConnectedAlert(chf, null,
            new DeviceModelInfo("Fuzz", "FUZZ-CH", "1", "1", new Octets([1, 2, 3]), "SMETS1"), 1));

        private byte[] Alert() => DeviceMessageCodec.Encode(new HanDeviceAlert(realChf, new Eui64((ulong)_random.NextInt64()), DeviceProtocol.Messages.DeviceType.ESME));

        private byte[] Signed(ushort type, Eui64 sender, byte[] payload, ECDsa key) =>
            FrameCodec.Encode(new FrameHeader(type, ++_counter, sender, Dcc), payload, key, MessageTypes.LinkOptions);

        private byte[] Unsigned(ushort type, Eui64 sender, byte[] payload) =>
            FrameCodec.Encode(new FrameHeader(type, ++_counter, sender, Dcc), payload, null, MessageTypes.LinkOptions);

        private byte[] Body(int payloadLength) =>
            FrameCodec.BuildBody(new FrameHeader(MessageTypes.DeviceCertificates, ++_counter, device, Dcc), RandomPayload(payloadLength), null);

        private byte[] RandomPayload(int length)
        {
            var bytes = new byte[length];
            _random.NextBytes(bytes);
            return bytes;
        }

        private byte[] RandomBytes()
        {
            var bytes = RandomPayload(_random.Next(1, 200));
            return [FrameFormat.Flag, .. bytes, FrameFormat.Flag];
        }

        private byte[] Truncated()
        {
            var body = Body(_random.Next(0, 100));
            return FrameCodec.Stuff(body.AsSpan(0, _random.Next(1, body.Length - 1)));
        }

        private byte[] BadCrc()
        {
            var body = Body(_random.Next(0, 100));
            body[^1] ^= (byte)_random.Next(1, 256);
            return FrameCodec.Stuff(body);
        }

        private byte[] Oversize() => FrameCodec.Stuff(Body(MessageTypes.LinkOptions.MaxPayloadLength + 1 + _random.Next(0, 1000)));

        private byte[] UnknownVersion()
        {
            var body = Body(_random.Next(0, 100));
            body[0] = 2;
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(body.Length - 2), Crc16X25.Compute(body.AsSpan(0, body.Length - 2)));
            return FrameCodec.Stuff(body);
        }

        /// <summary>A well-formed unsigned frame of a type that needs no signature, whose payload is not a message.</summary>
        private byte[] Undecodable() => Unsigned(MessageTypes.DeviceCertificates, device, RandomPayload(_random.Next(0, 60)));
    }
}
