using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SecDcc.Drivers.Link;

/// <summary>An EUI-64 device or party identifier, written the DUIS way: "00-DB-12-34-56-78-90-A0".</summary>
public readonly record struct Eui64(ulong Value) : ISpanFormattable
{
    public const int Length = 8;

    /// <summary>Accepts "00-DB-12-34-56-78-90-A0", "00:db:12:34:56:78:90:a0" or "00DB1234567890A0".</summary>
    public static Eui64 Parse(string text) =>
        TryParse(text, out var eui)
            ? eui
            : throw new FormatException($"'{text}' is not an EUI-64: expected 8 hex bytes such as 00-DB-12-34-56-78-90-A0");

    public static bool TryParse([NotNullWhen(true)] string? text, out Eui64 eui)
    {
        eui = default;
        if (text is null)
        {
            return false;
        }

        var digits = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace(":", string.Empty, StringComparison.Ordinal);
        if (digits.Length != 16
            || !ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        eui = new Eui64(value);
        return true;
    }

    public static Eui64 Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt64BigEndian(source));

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Value);

    public override string ToString()
    {
        Span<char> chars = stackalloc char[23];
        TryFormat(chars, out var n, default, null);
        return new string(chars[..n]);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (destination.Length < 23)
        {
            return false;
        }

        for (var i = 0; i < Length; i++)
        {
            var b = (byte)(Value >> (56 - (8 * i)));
            if (i > 0)
            {
                destination[charsWritten++] = '-';
            }

            destination[charsWritten++] = "0123456789ABCDEF"[b >> 4];
            destination[charsWritten++] = "0123456789ABCDEF"[b & 0xF];
        }

        return true;
    }
}
