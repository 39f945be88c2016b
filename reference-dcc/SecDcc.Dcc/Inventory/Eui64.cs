using System.Globalization;

namespace SecDcc.Dcc.Inventory;

/// <summary>
/// Parses and prints the EUI-64 text form the SEC and DUIS use: eight upper-case hex octets joined by '-',
/// e.g. <c>00-DB-12-34-56-78-90-A1</c>. Shared by <see cref="DeviceId"/> and <see cref="PartyId"/>.
/// </summary>
public static class Eui64
{
    public const string Example = "00-DB-12-34-56-78-90-A1";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and what is expected.</summary>
    public static bool TryParse(string? text, string what, out ulong value, out string? error)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"{what} is missing: expected an EUI-64 such as {Example}.";
            return false;
        }
        if (text.Length != 23)
        {
            error = $"{what} '{text}' is not an EUI-64: expected 8 hex octets separated by '-' (23 characters, e.g. {Example}), got {text.Length} characters.";
            return false;
        }
        for (var octet = 0; octet < 8; octet++)
        {
            var at = octet * 3;
            if (octet < 7 && text[at + 2] != '-')
            {
                error = $"{what} '{text}' is not an EUI-64: expected '-' at position {at + 3}, e.g. {Example}.";
                return false;
            }
            if (!byte.TryParse(text.AsSpan(at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b)
                || !Uri.IsHexDigit(text[at]) || !Uri.IsHexDigit(text[at + 1]))
            {
                error = $"{what} '{text}' is not an EUI-64: octet {octet + 1} ('{text.Substring(at, 2)}') is not two hex digits, e.g. {Example}.";
                return false;
            }
            value = (value << 8) | b;
        }
        error = null;
        return true;
    }

    public static string Format(ulong value)
    {
        Span<char> chars = stackalloc char[23];
        for (var octet = 0; octet < 8; octet++)
        {
            var b = (byte)(value >> (56 - octet * 8));
            chars[octet * 3] = "0123456789ABCDEF"[b >> 4];
            chars[octet * 3 + 1] = "0123456789ABCDEF"[b & 0xF];
            if (octet < 7) chars[octet * 3 + 2] = '-';
        }
        return new string(chars);
    }
}

/// <summary>The EUI-64 Device ID of a Device in the Smart Metering Inventory.</summary>
public readonly record struct DeviceId(ulong Value) : IComparable<DeviceId>
{
    public static DeviceId Parse(string text) =>
        Eui64.TryParse(text, "Device ID", out var v, out var error) ? new DeviceId(v) : throw new FormatException(error);

    public static bool TryParse(string? text, out DeviceId id, out string? error)
    {
        var ok = Eui64.TryParse(text, "Device ID", out var v, out error);
        id = new DeviceId(v);
        return ok;
    }

    public int CompareTo(DeviceId other) => Value.CompareTo(other.Value);
    public override string ToString() => Eui64.Format(Value);
}

/// <summary>The EUI-64 identifying a Party (a DCC User) that sends Service Requests.</summary>
public readonly record struct PartyId(ulong Value)
{
    public static PartyId Parse(string text) =>
        Eui64.TryParse(text, "Party ID", out var v, out var error) ? new PartyId(v) : throw new FormatException(error);

    public static bool TryParse(string? text, out PartyId id, out string? error)
    {
        var ok = Eui64.TryParse(text, "Party ID", out var v, out error);
        id = new PartyId(v);
        return ok;
    }

    public override string ToString() => Eui64.Format(Value);
}
