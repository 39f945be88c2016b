using System.Text;

namespace SecDcc.Drivers.Gpio.SerialModule;

/// <summary>
/// The ASCII command dialect of Numato-style USB GPIO/relay modules, as this driver speaks it. See the
/// folder README for the full description.
/// </summary>
/// <remarks>
/// A command is ASCII text ended by CR. The module echoes what it receives, then sends its answer (if any) on
/// a line of its own and ends with a <c>&gt;</c> prompt; line breaks come as LF CR on Numato firmware and as
/// CR LF on some clones, so the parser accepts any mix. Channel numbers 0–9 are digits, 10–31 are the letters
/// A–V.
/// </remarks>
public static class ModuleDialect
{
    public const byte Prompt = (byte)'>';
    public const int MaxChannels = 32;

    public static string Version => "ver";

    public static string GpioSet(int channel) => $"gpio set {Channel(channel)}";

    public static string GpioClear(int channel) => $"gpio clear {Channel(channel)}";

    public static string GpioRead(int channel) => $"gpio read {Channel(channel)}";

    public static string RelayOn(int channel) => $"relay on {Channel(channel)}";

    public static string RelayOff(int channel) => $"relay off {Channel(channel)}";

    public static string RelayRead(int channel) => $"relay read {Channel(channel)}";

    /// <summary>The module's name for a channel: 0–9, then A–V.</summary>
    public static string Channel(int channel) => channel switch
    {
        >= 0 and <= 9 => ((char)('0' + channel)).ToString(),
        >= 10 and < MaxChannels => ((char)('A' + channel - 10)).ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, $"a module channel is 0 to {MaxChannels - 1}"),
    };

    /// <summary>Reads a channel as the module writes it (a digit, or A–V in either case).</summary>
    public static bool TryParseChannel(string text, out int channel)
    {
        channel = -1;
        if (text.Length != 1)
        {
            return false;
        }

        var c = char.ToUpperInvariant(text[0]);
        channel = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'V' => c - 'A' + 10,
            _ => -1,
        };
        return channel >= 0;
    }

    /// <summary>True when the bytes so far end with the prompt, after the answer and any line breaks.</summary>
    public static bool EndsWithPrompt(ReadOnlySpan<byte> received)
    {
        var trimmed = received.TrimEnd(" \r\n"u8);
        return trimmed.Length > 0 && trimmed[^1] == Prompt;
    }

    /// <summary>
    /// The answer in what the module sent for <paramref name="command"/>: the lines between the echo and the
    /// prompt, with CR, LF and blank lines dropped. The echo is dropped when it is there and tolerated when not.
    /// </summary>
    public static IReadOnlyList<string> AnswerLines(string command, ReadOnlySpan<byte> received)
    {
        var text = Encoding.ASCII.GetString(received);
        var promptAt = text.LastIndexOf((char)Prompt);
        if (promptAt >= 0)
        {
            text = text[..promptAt];
        }

        var lines = text
            .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();

        // Stray prompts of earlier exchanges (a module that printed one on power-up) sit before the echo.
        while (lines.Count > 0 && lines[0].TrimStart((char)Prompt).Length == 0)
        {
            lines.RemoveAt(0);
        }

        if (lines.Count > 0 && string.Equals(lines[0].TrimStart((char)Prompt, ' '), command, StringComparison.OrdinalIgnoreCase))
        {
            lines.RemoveAt(0);
        }

        return lines;
    }
}
