using System.Buffers.Binary;
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
        var payloadLength = frame.Payload.Length;
        var signedLength = FrameFormat.HeaderLength + payloadLength;
        var body = new byte[signedLength + frame.Signature.Length + FrameFormat.FcsLength];
        body[0] = frame.Version;
        body[1] = frame.IsSigned ? FrameFormat.SignedFlag : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), frame.MessageType);
        BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(4), frame.Counter);
        frame.Sender.Write(body.AsSpan(12));
        frame.Target.Write(body.AsSpan(20));
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(28), (ushort)payloadLength);
        frame.Payload.Span.CopyTo(body.AsSpan(FrameFormat.HeaderLength));
        frame.Signature.Span.CopyTo(body.AsSpan(signedLength));
        var fcsAt = body.Length - FrameFormat.FcsLength;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(fcsAt), Crc16X25.Compute(body.AsSpan(0, fcsAt)));
        return FrameCodec.Stuff(body, options.EscapeFlowControlBytes);
    }
}
