using System.Buffers.Binary;
using SecDcc.Drivers.Link;
using static SecDcc.Drivers.Tests.Link.LinkKit;

namespace SecDcc.Drivers.Tests.Link;

/// <summary>
/// A seeded stream of good frames mixed with bad ones of every kind, and what a receiver must make of it.
/// Good payloads start with "GOOD" and a serial number; forged ones with "EVIL", so a wrong acceptance shows.
/// </summary>
internal sealed class FuzzCorpus
{
    public const int MaxPayload = 512;

    private static readonly Lazy<FuzzCorpus> Standard = new(() => Build(badFrames: 100_000, seed: 62056));

    private readonly Random _random;
    private readonly MemoryStream _wire = new();
    private readonly Dictionary<Eui64, ulong> _counters = [];
    private readonly List<byte[]> _goodWires = [];
    private ulong _nextId;

    private FuzzCorpus(int seed) => _random = new Random(seed);

    /// <summary>100,000 bad frames, built once per test run.</summary>
    public static FuzzCorpus Default => Standard.Value;

    public byte[] Wire { get; private set; } = [];

    public int BadFrames { get; private set; }

    /// <summary>The serial numbers of the good frames, in the order sent; the last is the sentinel after all the junk.</summary>
    public List<ulong> GoodIds { get; } = [];

    public Dictionary<DropReason, int> Injected { get; } = Enum.GetValues<DropReason>().ToDictionary(r => r, _ => 0);

    public int JunkRuns { get; private set; }

    /// <summary>Kinds whose drop count must match exactly: nothing random can reach them without a valid FCS and header.</summary>
    public static IReadOnlyList<DropReason> ExactReasons { get; } =
        [DropReason.Oversize, DropReason.Replayed, DropReason.MissingSignature, DropReason.BadSignature, DropReason.UnknownSenderKey];

    public static LinkOptions Options => LinkKit.Options(MaxPayload);

    public static FuzzCorpus Build(int badFrames, int seed)
    {
        var corpus = new FuzzCorpus(seed);
        while (corpus.BadFrames < badFrames)
        {
            if (corpus._random.Next(4) == 0)
            {
                corpus.Good();
            }
            else
            {
                corpus.Bad();
                corpus.BadFrames++;
            }
        }

        corpus.Good();
        corpus.Wire = corpus._wire.ToArray();
        return corpus;
    }

    public static ulong IdOf(LinkFrame frame)
    {
        var p = frame.Payload.Span;
        return p.Length >= 12 && p[..4].SequenceEqual("GOOD"u8) ? BinaryPrimitives.ReadUInt64BigEndian(p[4..]) : ulong.MaxValue;
    }

    private void Good()
    {
        var id = _nextId++;
        var payload = new byte[12 + _random.Next(100)];
        _random.NextBytes(payload);
        "GOOD"u8.CopyTo(payload);
        BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(4), id);

        var signed = _random.Next(5) == 0;
        var sender = signed || _random.Next(2) == 0 ? Hub : Meter;
        var wire = FrameCodec.Encode(Header(signed ? Authority : Telemetry, sender), payload, signed ? HubKey : null, Options);
        _goodWires.Add(wire);
        GoodIds.Add(id);
        _wire.Write(wire);
    }

    private void Bad()
    {
        switch (_random.Next(11))
        {
            case 0:
                Junk();
                break;
            case 1:
                var whole = Body(Telemetry, Hub, Evil());
                Emit(FrameCodec.Stuff(whole[.._random.Next(1, whole.Length)]), DropReason.Truncated);
                break;
            case 2:
                var body = Body(Telemetry, Hub, Evil());
                body[_random.Next(body.Length)] ^= (byte)_random.Next(1, 256);
                Emit(FrameCodec.Stuff(body), DropReason.BadCrc);
                break;
            case 3:
                var big = Evil(MaxPayload + 1 + _random.Next(200));
                Emit(FrameCodec.Stuff(FrameCodec.BuildBody(Header(Telemetry, Hub), big, null)), DropReason.Oversize);
                break;
            case 4:
                if (_goodWires.Count == 0)
                {
                    goto case 0;
                }

                Emit(_goodWires[_random.Next(_goodWires.Count)], DropReason.Replayed);
                break;
            case 5:
                if (_random.Next(2) == 0)
                {
                    Emit(FrameCodec.Encode(Header(Authority, Hub), Evil(), MeterKey, Options), DropReason.BadSignature);
                }
                else
                {
                    var forged = FrameCodec.BuildBody(Header(Authority, Hub), Evil(), HubKey);
                    // The signature is the 64 bytes before the 2-byte FCS: ^66 .. ^3.
                    forged[^(3 + _random.Next(FrameFormat.SignatureLength))] ^= (byte)_random.Next(1, 256);
                    Emit(FrameCodec.Stuff(Refcs(forged)), DropReason.BadSignature);
                }

                break;
            case 6:
                Emit(FrameCodec.Encode(Header(Authority, Hub), Evil(), null, Options), DropReason.MissingSignature);
                break;
            case 7:
                Emit(FrameCodec.Encode(Header(Authority, Stranger), Evil(), StrangerKey, Options), DropReason.UnknownSenderKey);
                break;
            case 8:
                var versioned = Body(Telemetry, Hub, Evil());
                versioned[0] = (byte)(_random.Next(2) == 0 ? 0 : _random.Next(2, 256));
                Emit(FrameCodec.Stuff(Refcs(versioned)), DropReason.UnknownVersion);
                break;
            case 9:
                var odd = Body(Telemetry, Hub, Evil());
                if (_random.Next(2) == 0)
                {
                    odd[1] |= (byte)(_random.Next(1, 128) << 1);
                }
                else
                {
                    odd = [.. odd[..^2], (byte)_random.Next(256), 0, 0];
                }

                Emit(FrameCodec.Stuff(Refcs(odd)), DropReason.Malformed);
                break;
            default:
                var wire = FrameCodec.Stuff(Body(Telemetry, Hub, Evil()));
                var at = _random.Next(2, wire.Length - 1);
                byte[] escape = _random.Next(2) == 0 ? [0x7D, 0x7E] : [0x7D, (byte)(0x41 + _random.Next(20))];
                Emit([.. wire[..at], .. escape, .. wire[at..]], DropReason.BadEscape);
                break;
        }
    }

    private void Junk()
    {
        var junk = new byte[_random.Next(1, 65)];
        _random.NextBytes(junk);

        // A run made only of flags would be idle fill, not a frame; keep one byte that is not a flag.
        junk[_random.Next(junk.Length)] = (byte)_random.Next(0x7E);
        JunkRuns++;
        _wire.Write(junk);
    }

    private void Emit(byte[] wire, DropReason reason)
    {
        Injected[reason]++;
        _wire.Write(wire);
    }

    private FrameHeader Header(ushort type, Eui64 sender)
    {
        // Every frame, good or bad, takes the sender's next counter, so a good frame is always above anything
        // before it and only a deliberate copy is a replay.
        var counter = _counters.GetValueOrDefault(sender) + 1;
        _counters[sender] = counter;
        return new FrameHeader(type, counter, sender, sender == Hub ? Meter : Hub);
    }

    private byte[] Body(ushort type, Eui64 sender, byte[] payload) => FrameCodec.BuildBody(Header(type, sender), payload, null);

    private byte[] Evil(int length = -1)
    {
        var payload = new byte[length >= 0 ? length : 4 + _random.Next(100)];
        _random.NextBytes(payload);
        "EVIL"u8.CopyTo(payload);
        return payload;
    }
}
