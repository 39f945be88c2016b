using System.Globalization;

namespace SecDcc.Duis;

/// <summary>
/// A 64-bit Extended Unique Identifier, written the DUIS way: eight hex pairs joined by '-'
/// (e.g. 90-B3-D5-1F-30-01-00-00).
/// </summary>
public readonly record struct Eui64(ulong Value) : IComparable<Eui64>
{
    public static Eui64 Parse(string text) =>
        TryParse(text, out var eui, out var error) ? eui : throw new FormatException(error);

    public static bool TryParse(string? text, out Eui64 eui) => TryParse(text, out eui, out _);

    /// <summary>Parses XX-XX-XX-XX-XX-XX-XX-XX (hex, either case).</summary>
    public static bool TryParse(string? text, out Eui64 eui, out string error)
    {
        eui = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "EUI-64 is empty; expected eight hex pairs joined by '-', e.g. 90-B3-D5-1F-30-01-00-00.";
            return false;
        }
        if (text.Length != 23)
        {
            error = $"EUI-64 '{text}' has {text.Length} characters; expected 23 (eight hex pairs joined by '-', e.g. 90-B3-D5-1F-30-01-00-00).";
            return false;
        }
        ulong value = 0;
        for (var i = 0; i < 8; i++)
        {
            var at = i * 3;
            if (i > 0 && text[at - 1] != '-')
            {
                error = $"EUI-64 '{text}' has '{text[at - 1]}' at position {at}; expected '-' between hex pairs.";
                return false;
            }
            if (!byte.TryParse(text.AsSpan(at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                error = $"EUI-64 '{text}' has '{text.Substring(at, 2)}' at position {at}; expected two hex digits.";
                return false;
            }
            value = (value << 8) | b;
        }
        eui = new Eui64(value);
        error = string.Empty;
        return true;
    }

    /// <summary>Eight bytes, most significant first (as in certificates and on the wire).</summary>
    public static Eui64 FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 8)
        {
            throw new ArgumentException($"An EUI-64 is 8 bytes; got {bytes.Length}.", nameof(bytes));
        }
        return new Eui64(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, Value);
        return bytes;
    }

    /// <summary>Sixteen hex digits with no separators (the keystore and the signing tool's file names use this form).</summary>
    /// <summary>The same identifier as the device link and SMKI code write it (SecDcc.Smki reads certificate subjects into that type).</summary>
    public static Eui64 From(SecDcc.Drivers.Link.Eui64 eui) => new(eui.Value);

    public string ToCompactHex() => Value.ToString("X16", CultureInfo.InvariantCulture);

    public override string ToString()
    {
        Span<char> chars = stackalloc char[23];
        var bytes = ToBytes();
        for (var i = 0; i < 8; i++)
        {
            bytes[i].TryFormat(chars.Slice(i * 3, 2), out _, "X2", CultureInfo.InvariantCulture);
            if (i < 7)
            {
                chars[i * 3 + 2] = '-';
            }
        }
        return new string(chars);
    }

    public int CompareTo(Eui64 other) => Value.CompareTo(other.Value);
}
