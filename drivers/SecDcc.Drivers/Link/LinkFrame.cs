namespace SecDcc.Drivers.Link;

/// <summary>The addressing part of a frame: what it is, who sent it, to whom, and its place in the sender's sequence.</summary>
/// <param name="MessageType">What the payload is; the signature policy decides by this which types must be signed.</param>
/// <param name="Counter">The sender's counter, strictly increasing over everything it sends, against replay.</param>
public readonly record struct FrameHeader(ushort MessageType, ulong Counter, Eui64 Sender, Eui64 Target);

/// <summary>A frame that passed every check of a <see cref="LinkDecoder"/>, or one built to be sent.</summary>
public sealed class LinkFrame
{
    public LinkFrame(byte version, FrameHeader header, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> signature)
    {
        if (!signature.IsEmpty && signature.Length != FrameFormat.SignatureLength)
        {
            throw new ArgumentException(
                $"a frame signature is {FrameFormat.SignatureLength} bytes (ECDSA P-256 r‖s), not {signature.Length}",
                nameof(signature));
        }

        Version = version;
        Header = header;
        Payload = payload;
        Signature = signature;
    }

    public byte Version { get; }

    public FrameHeader Header { get; }

    public ushort MessageType => Header.MessageType;

    public ulong Counter => Header.Counter;

    public Eui64 Sender => Header.Sender;

    public Eui64 Target => Header.Target;

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>ECDSA P-256 / SHA-256 over header and payload, r‖s (64 bytes), or empty for an unsigned frame.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    public bool IsSigned => !Signature.IsEmpty;

    public override string ToString() =>
        $"type 0x{MessageType:X4} #{Counter} {Sender} → {Target}, {Payload.Length} bytes{(IsSigned ? ", signed" : string.Empty)}";
}
