using System.Security.Cryptography;
using SecDcc.Drivers.Link;

namespace SecDcc.Drivers.Tests.Link;

/// <summary>Parties, keys and frames shared by the link tests.</summary>
internal static class LinkKit
{
    public const ushort Authority = 0x0100;
    public const ushort Telemetry = 0x0001;

    public static readonly Eui64 Hub = Eui64.Parse("00-DB-12-34-56-78-90-A0");
    public static readonly Eui64 Meter = Eui64.Parse("00-DB-12-34-56-78-90-A1");
    public static readonly Eui64 Stranger = Eui64.Parse("00-DB-12-34-56-78-90-FF");

    public static readonly ECDsa HubKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public static readonly ECDsa MeterKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public static readonly ECDsa StrangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Authority messages must be signed; telemetry need not be.</summary>
    public static LinkOptions Options(int maxPayload = 4096) => new()
    {
        MaxPayloadLength = maxPayload,
        Signatures = SignaturePolicy.For(Authority),
    };

    /// <summary>Knows the hub's and the meter's keys, not the stranger's.</summary>
    public static VerifierKeyStore Keys() => new VerifierKeyStore().Add(Hub, PublicOnly(HubKey)).Add(Meter, PublicOnly(MeterKey));

    public static LinkDecoder Decoder(int maxPayload = 4096) => new(Options(maxPayload), Keys());

    public static byte[] Frame(ushort type, ulong counter, ReadOnlySpan<byte> payload, ECDsa? signer = null, Eui64? sender = null) =>
        FrameCodec.Encode(new FrameHeader(type, counter, sender ?? Hub, Meter), payload, signer);

    /// <summary>Fixes the FCS after a test changed a body on purpose, so only the intended check can fail.</summary>
    public static byte[] Refcs(byte[] body)
    {
        var at = body.Length - FrameFormat.FcsLength;
        var crc = Crc16X25.Compute(body.AsSpan(0, at));
        body[at] = (byte)crc;
        body[at + 1] = (byte)(crc >> 8);
        return body;
    }

    private static ECDsa PublicOnly(ECDsa key)
    {
        var pub = ECDsa.Create();
        pub.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return pub;
    }
}
