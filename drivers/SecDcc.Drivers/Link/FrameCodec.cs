using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecDcc.Drivers.Link;

/// <summary>Builds frames: pure functions from header and payload to bytes, no I/O.</summary>
public static class FrameCodec
{
    /// <summary>The complete frame for the wire: flag, stuffed body, flag.</summary>
    /// <param name="signer">A P-256 private key to sign with, or null for an unsigned frame.</param>
    public static byte[] Encode(FrameHeader header, ReadOnlySpan<byte> payload, ECDsa? signer, LinkOptions? options = null)
    {
        options ??= new LinkOptions();
        return Stuff(BuildBody(header, payload, signer, options.MaxPayloadLength), options.EscapeFlowControlBytes);
    }

    /// <summary>The unstuffed body: header, payload, signature if any, FCS.</summary>
    public static byte[] BuildBody(FrameHeader header, ReadOnlySpan<byte> payload, ECDsa? signer, int maxPayloadLength = FrameFormat.MaxPayloadLimit)
    {
        if (payload.Length > Math.Min(maxPayloadLength, FrameFormat.MaxPayloadLimit))
        {
            throw new ArgumentException(
                $"a payload of {payload.Length} bytes is over the link's limit of {Math.Min(maxPayloadLength, FrameFormat.MaxPayloadLimit)}; split the message",
                nameof(payload));
        }

        var signed = signer is not null;
        var body = new byte[FrameFormat.HeaderLength + payload.Length + (signed ? FrameFormat.SignatureLength : 0) + FrameFormat.FcsLength];
        WriteHeader(body, header, signed, payload.Length);
        payload.CopyTo(body.AsSpan(FrameFormat.HeaderLength));
        var signedLength = FrameFormat.HeaderLength + payload.Length;
        if (signer is not null)
        {
            var written = signer.SignData(
                body.AsSpan(0, signedLength),
                body.AsSpan(signedLength, FrameFormat.SignatureLength),
                HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            if (written != FrameFormat.SignatureLength)
            {
                throw new ArgumentException(
                    $"the signing key gave a {written}-byte signature; device link signatures are ECDSA P-256 ({FrameFormat.SignatureLength} bytes)",
                    nameof(signer));
            }
        }

        var fcsAt = body.Length - FrameFormat.FcsLength;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(fcsAt), Crc16X25.Compute(body.AsSpan(0, fcsAt)));
        return body;
    }

    /// <summary>Flag, the body with every special byte escaped (0x7D, then the byte XOR 0x20), flag.</summary>
    public static byte[] Stuff(ReadOnlySpan<byte> body, bool escapeFlowControlBytes = true)
    {
        var extra = 0;
        foreach (var b in body)
        {
            if (FrameFormat.NeedsEscape(b, escapeFlowControlBytes))
            {
                extra++;
            }
        }

        var wire = new byte[body.Length + extra + 2];
        var at = 0;
        wire[at++] = FrameFormat.Flag;
        foreach (var b in body)
        {
            if (FrameFormat.NeedsEscape(b, escapeFlowControlBytes))
            {
                wire[at++] = FrameFormat.Escape;
                wire[at++] = (byte)(b ^ FrameFormat.EscapeXor);
            }
            else
            {
                wire[at++] = b;
            }
        }

        wire[at] = FrameFormat.Flag;
        return wire;
    }

    internal static void WriteHeader(Span<byte> destination, FrameHeader header, bool signed, int payloadLength)
    {
        destination[0] = FrameFormat.CurrentVersion;
        destination[1] = signed ? FrameFormat.SignedFlag : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], header.MessageType);
        BinaryPrimitives.WriteUInt64BigEndian(destination[4..], header.Counter);
        header.Sender.Write(destination[12..]);
        header.Target.Write(destination[20..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[28..], (ushort)payloadLength);
    }

    internal static FrameHeader ReadHeader(ReadOnlySpan<byte> body) => new(
        BinaryPrimitives.ReadUInt16BigEndian(body[2..]),
        BinaryPrimitives.ReadUInt64BigEndian(body[4..]),
        Eui64.Read(body[12..]),
        Eui64.Read(body[20..]));
}
