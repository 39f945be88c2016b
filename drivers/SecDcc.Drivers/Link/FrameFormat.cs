namespace SecDcc.Drivers.Link;

/// <summary>
/// The device link's wire format (decision record 0303). Between 0x7E flags, byte-stuffed:
/// <code>
/// offset  size  field
///  0       1    version (1)
///  1       1    flags: bit 0 = signed; the other bits must be 0
///  2       2    message type, big-endian
///  4       8    counter, big-endian
/// 12       8    sender EUI-64
/// 20       8    target EUI-64
/// 28       2    payload length, big-endian
/// 30       n    payload
/// 30+n    64    signature r‖s over bytes 0 .. 30+n-1 (only when signed)
/// end-2    2    FCS: CRC-16/X.25 over everything before it, low byte first
/// </code>
/// </summary>
public static class FrameFormat
{
    public const byte Flag = 0x7E;
    public const byte Escape = 0x7D;
    public const byte EscapeXor = 0x20;
    public const byte CurrentVersion = 1;
    public const byte SignedFlag = 0x01;
    public const int HeaderLength = 30;
    public const int SignatureLength = 64;
    public const int FcsLength = 2;
    public const int MinimumBodyLength = HeaderLength + FcsLength;

    /// <summary>The largest payload the 16-bit length field can describe.</summary>
    public const int MaxPayloadLimit = ushort.MaxValue;

    /// <summary>The longest body (unstuffed, without flags) a frame with the given payload limit can have.</summary>
    public static int MaxBodyLength(int maxPayloadLength) => HeaderLength + maxPayloadLength + SignatureLength + FcsLength;

    /// <summary>Bytes that are always escaped (flag and escape), and XON/XOFF when the link may use software flow control.</summary>
    public static bool NeedsEscape(byte b, bool escapeFlowControlBytes) =>
        b is Flag or Escape || (escapeFlowControlBytes && b is 0x11 or 0x13);

    /// <summary>What an escape sequence may stand for; anything else after 0x7D is a bad escape.</summary>
    internal static bool IsEscapable(byte unescaped) => unescaped is Flag or Escape or 0x11 or 0x13;
}
