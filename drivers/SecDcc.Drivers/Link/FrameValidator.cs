using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecDcc.Drivers.Link;

/// <summary>Checks one unstuffed body: FCS, header, signature, replay — in that order, cheapest first.</summary>
/// <remarks>
/// The replay counter is consulted last and only moves for a frame that passed everything else, so a forged
/// or corrupted frame can never push a sender's counter forward and lock its real frames out.
/// </remarks>
public sealed class FrameValidator
{
    private readonly LinkOptions _options;
    private readonly IVerifierKeys _keys;
    private readonly IReplayGuard _replay;

    public FrameValidator(LinkOptions options, IVerifierKeys keys, IReplayGuard replay)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(replay);
        options.Validate();
        _options = options;
        _keys = keys;
        _replay = replay;
    }

    /// <returns>Null when the frame is accepted (and <paramref name="frame"/> set), else why it was dropped.</returns>
    public DropReason? Check(byte[] body, out LinkFrame? frame, out FrameHeader? header)
    {
        frame = null;
        header = null;
        if (body.Length < FrameFormat.MinimumBodyLength)
        {
            return DropReason.Truncated;
        }

        var fcsAt = body.Length - FrameFormat.FcsLength;
        if (Crc16X25.Compute(body.AsSpan(0, fcsAt)) != BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(fcsAt)))
        {
            return DropReason.BadCrc;
        }

        if (body[0] != FrameFormat.CurrentVersion)
        {
            return DropReason.UnknownVersion;
        }

        var h = FrameCodec.ReadHeader(body);
        header = h;
        if ((body[1] & ~FrameFormat.SignedFlag) != 0)
        {
            return DropReason.Malformed;
        }

        var signed = (body[1] & FrameFormat.SignedFlag) != 0;
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(28));
        if (payloadLength > _options.MaxPayloadLength)
        {
            return DropReason.Oversize;
        }

        var signedLength = FrameFormat.HeaderLength + payloadLength;
        var expected = signedLength + (signed ? FrameFormat.SignatureLength : 0) + FrameFormat.FcsLength;
        if (body.Length < expected)
        {
            return DropReason.Truncated;
        }

        if (body.Length > expected)
        {
            return DropReason.Malformed;
        }

        if (signed)
        {
            if (!_keys.TryGetKey(h.Sender, out var key))
            {
                return DropReason.UnknownSenderKey;
            }

            if (!Verifies(key, body.AsSpan(0, signedLength), body.AsSpan(signedLength, FrameFormat.SignatureLength)))
            {
                return DropReason.BadSignature;
            }
        }
        else if (_options.Signatures.Requires(h.MessageType))
        {
            return DropReason.MissingSignature;
        }

        if (!_replay.TryAccept(h.Sender, h.Counter))
        {
            return DropReason.Replayed;
        }

        var memory = body.AsMemory();
        frame = new LinkFrame(
            body[0],
            h,
            memory.Slice(FrameFormat.HeaderLength, payloadLength),
            signed ? memory.Slice(signedLength, FrameFormat.SignatureLength) : ReadOnlyMemory<byte>.Empty);
        return null;
    }

    private static bool Verifies(ECDsa key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            // Only bytes off the wire reach here (the key was checked when it was added), so a signature the
            // library cannot even parse is simply a bad one.
            return false;
        }
    }
}
