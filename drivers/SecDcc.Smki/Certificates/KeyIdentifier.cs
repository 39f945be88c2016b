namespace SecDcc.Smki.Certificates;

/// <summary>A subject or authority key identifier, compared by value and written as upper-case hex.</summary>
public sealed class KeyIdentifier : IEquatable<KeyIdentifier>
{
    private readonly byte[] _bytes;

    public KeyIdentifier(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    public ReadOnlySpan<byte> Bytes => _bytes;

    public static KeyIdentifier Parse(string hex)
    {
        try
        {
            return new KeyIdentifier(Convert.FromHexString(hex.Replace(":", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal)));
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{hex}' is not a key identifier: expected hex digits such as 44899792D196F4B8", e);
        }
    }

    public bool Equals(KeyIdentifier? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as KeyIdentifier);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => Convert.ToHexString(_bytes);
}
