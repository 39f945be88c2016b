namespace SecDcc.Drivers.Optical;

/// <summary>The meter's answer to the sign-on: <c>/XXXZ\W identification CR LF</c>.</summary>
/// <param name="ManufacturerCode">Three letters (FLAG code); a lower-case third letter says the meter answers within 20 ms.</param>
/// <param name="BaudCharacter">Z: the highest baud rate the meter offers, as a character.</param>
/// <param name="EnhancedCapability">W after a backslash, when the meter sends one (e.g. '2' for mode E); otherwise null.</param>
/// <param name="Identification">The meter's own identification text (up to 16 characters by the standard).</param>
public sealed record IdentificationMessage(string ManufacturerCode, char BaudCharacter, char? EnhancedCapability, string Identification)
{
    /// <summary>The baud rate Z offers in mode C, or null when Z is not a mode C character.</summary>
    public int? ModeCBaudRate => Iec62056.ModeCBaudRate(BaudCharacter);

    /// <summary>A lower-case third letter: the meter's minimum reaction time is 20 ms rather than 200 ms.</summary>
    public bool FastReaction => char.IsAsciiLetterLower(ManufacturerCode[2]);

    /// <summary>The message as it goes on the wire, without CR LF.</summary>
    public override string ToString() =>
        $"/{ManufacturerCode}{BaudCharacter}{(EnhancedCapability is { } w ? $"\\{w}" : string.Empty)}{Identification}";

    /// <summary>Parses one identification line (with or without its CR LF).</summary>
    /// <exception cref="FormatException">The line is not an identification message; the message quotes it and says what is wrong.</exception>
    public static IdentificationMessage Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.TrimEnd('\r', '\n');
        if (text.Length < 5 || text[0] != '/')
        {
            throw Malformed(line, "it must start with '/' followed by a three-letter manufacturer code and a baud-rate character");
        }

        var manufacturer = text[1..4];
        if (!manufacturer.All(char.IsAsciiLetter))
        {
            throw Malformed(line, $"the manufacturer code '{manufacturer}' is not three letters");
        }

        var z = text[4];
        if (!char.IsAsciiLetterOrDigit(z))
        {
            throw Malformed(line, $"the baud-rate character '{z}' is not a digit or letter");
        }

        var rest = text[5..];
        char? enhanced = null;
        if (rest.Length >= 2 && rest[0] == '\\')
        {
            enhanced = rest[1];
            rest = rest[2..];
        }

        if (rest.Length == 0)
        {
            throw Malformed(line, "there is no identification after the baud-rate character");
        }

        if (rest.Length > 64 || rest.Any(c => c is < ' ' or > '~' or '/' or '!'))
        {
            throw Malformed(line, "the identification has characters the standard does not allow (control characters, '/' or '!') or is far too long");
        }

        return new IdentificationMessage(manufacturer, z, enhanced, rest);
    }

    private static FormatException Malformed(string line, string why) =>
        new($"malformed identification message {Quote(line)}: {why}");

    internal static string Quote(string text)
    {
        var shown = text.Length > 80 ? text[..80] + "…" : text;
        return "'" + string.Concat(shown.Select(c => c switch
        {
            '\r' => "\\r",
            '\n' => "\\n",
            < ' ' or > '~' => $"\\x{(int)c:X2}",
            _ => c.ToString(),
        })) + "'";
    }
}
