using System.Buffers.Binary;
using System.Security.Cryptography;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Transport;

/// <summary>
/// Re-encodes a received frame exactly as its sender made it (header, payload, signature), so a CHF can pass a
/// DCC command on to a meter, or a meter's response on to the DCC, with the originator's signature intact.
/// </summary>
/// <remarks>
/// The layout is <see cref="FrameFormat"/>'s; <see cref="FrameCodec"/> can only build frames it signs itself,
/// so the header is written here from the documented offsets.
/// </remarks>
public static class FrameRelay
{
    public static byte[] Encode(LinkFrame frame, LinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(options);
        var signedLength = FrameFormat.HeaderLength + frame.Payload.Length;
        var body = new byte[signedLength + frame.Signature.Length + FrameFormat.FcsLength];
        WriteSigned(frame, body);
        frame.Signature.Span.CopyTo(body.AsSpan(signedLength));
        var fcsAt = body.Length - FrameFormat.FcsLength;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(fcsAt), Crc16X25.Compute(body.AsSpan(0, fcsAt)));
        return FrameCodec.Stuff(body, options.EscapeFlowControlBytes);
    }

    /// <summary>The bytes a frame's signature covers: header and payload.</summary>
    public static byte[] SignedBytes(LinkFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var bytes = new byte[FrameFormat.HeaderLength + frame.Payload.Length];
        WriteSigned(frame, bytes);
        return bytes;
    }

    /// <summary>Checks a frame's signature again with <paramref name="publicKey"/>, e.g. when building evidence after the fact.</summary>
    public static bool VerifySignature(LinkFrame frame, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return frame.IsSigned && publicKey.VerifyData(
            SignedBytes(frame),
            frame.Signature.Span,
            HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static void WriteSigned(LinkFrame frame, Span<byte> body)
    {
        var payloadLength = frame.Payload.Length;
        body[0] = frame.Version;
        body[1] = frame.IsSigned ? FrameFormat.SignedFlag : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], frame.MessageType);
        BinaryPrimitives.WriteUInt64BigEndian(body[4..], frame.Counter);
        frame.Sender.Write(body[12..]);
        frame.Target.Write(body[20..]);
        BinaryPrimitives.WriteUInt16BigEndian(body[28..], (ushort)payloadLength);
        frame.Payload.Span.CopyTo(body[FrameFormat.HeaderLength..]);
    }
}
