namespace SecDcc.DeviceProtocol.Messages;

/// <summary>An immutable byte string with value equality, so messages that carry bytes compare by content.</summary>
public readonly struct Octets : IEquatable<Octets>
{
    private readonly byte[]? _bytes;

    public Octets(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes.ToArray();
    }

    public static Octets Empty => default;

    public ReadOnlyMemory<byte> Memory => _bytes ?? [];

    public ReadOnlySpan<byte> Span => _bytes ?? [];

    public int Length => _bytes?.Length ?? 0;

    public bool IsEmpty => Length == 0;

    public static Octets FromHex(string hex) => new(Convert.FromHexString(hex));

    public byte[] ToArray() => Span.ToArray();

    public string ToHex() => Convert.ToHexString(Span);

    public bool Equals(Octets other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Octets other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(Octets left, Octets right) => left.Equals(right);

    public static bool operator !=(Octets left, Octets right) => !left.Equals(right);

    /// <summary>Hex, cut short past 32 bytes so a certificate does not flood a log line.</summary>
    public override string ToString() => Length <= 32 ? ToHex() : $"{Convert.ToHexString(Span[..32])}… ({Length} bytes)";
}
