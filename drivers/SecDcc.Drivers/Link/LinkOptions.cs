namespace SecDcc.Drivers.Link;

/// <summary>Which message types carry authority and so must arrive signed.</summary>
public sealed class SignaturePolicy
{
    private readonly Func<ushort, bool> _requires;
    private readonly string _description;

    private SignaturePolicy(Func<ushort, bool> requires, string description)
    {
        _requires = requires;
        _description = description;
    }

    /// <summary>Every frame must be signed: the default, and right for the WAN.</summary>
    public static SignaturePolicy All { get; } = new(_ => true, "every message type");

    /// <summary>No frame needs a signature (a signed one is still verified).</summary>
    public static SignaturePolicy None { get; } = new(_ => false, "no message type");

    /// <summary>Only the listed message types must be signed.</summary>
    public static SignaturePolicy For(params ushort[] messageTypes)
    {
        var set = messageTypes.ToHashSet();
        return new SignaturePolicy(set.Contains, "message types " + string.Join(", ", set.Order().Select(t => $"0x{t:X4}")));
    }

    public bool Requires(ushort messageType) => _requires(messageType);

    public override string ToString() => $"signatures required for {_description}";
}

/// <summary>Settings shared by both ends of a device link.</summary>
public sealed record LinkOptions
{
    /// <summary>The largest payload accepted or sent, at most 65535; bigger frames are dropped as oversize.</summary>
    public int MaxPayloadLength { get; init; } = 4096;

    public SignaturePolicy Signatures { get; init; } = SignaturePolicy.All;

    /// <summary>Also escape XON (0x11) and XOFF (0x13), so frames survive a line with software flow control.</summary>
    public bool EscapeFlowControlBytes { get; init; } = true;

    public void Validate()
    {
        if (MaxPayloadLength is < 0 or > FrameFormat.MaxPayloadLimit)
        {
            throw new ArgumentException(
                $"MaxPayloadLength {MaxPayloadLength} must be between 0 and {FrameFormat.MaxPayloadLimit} (the frame's length field is 16 bits)",
                nameof(MaxPayloadLength));
        }

        ArgumentNullException.ThrowIfNull(Signatures);
    }
}
