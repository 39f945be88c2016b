namespace SecDcc.Drivers.Optical;

/// <summary>Control characters and rules of IEC 62056-21 that both ends of the optical port share.</summary>
public static class Iec62056
{
    public const byte Soh = 0x01;
    public const byte Stx = 0x02;
    public const byte Etx = 0x03;
    public const byte Ack = 0x06;
    public const byte Nak = 0x15;

    /// <summary>Every mode starts at 300 baud, 7 data bits, even parity, 1 stop bit.</summary>
    public const int SignOnBaudRate = 300;

    /// <summary>The longest device address a request may carry.</summary>
    public const int MaxAddressLength = 32;

    /// <summary>The baud rate a mode C baud-rate character stands for (0 = 300 … 6 = 19200), or null for any other.</summary>
    public static int? ModeCBaudRate(char z) => z is >= '0' and <= '6' ? 300 << (z - '0') : null;

    /// <summary>The baud rate a mode B character stands for (A = 600 … F = 19200), or null.</summary>
    public static int? ModeBBaudRate(char z) => z is >= 'A' and <= 'F' ? 600 << (z - 'A') : null;

    /// <summary>The mode C character for a baud rate (300 → '0', 9600 → '5'), or null when mode C has none.</summary>
    public static char? ModeCCharacter(int baudRate)
    {
        for (var c = '0'; c <= '6'; c++)
        {
            if (ModeCBaudRate(c) == baudRate)
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>
    /// The block check character: XOR of every byte after the STX (or SOH) up to and including the ETX.
    /// Pass exactly those bytes.
    /// </summary>
    public static byte Bcc(ReadOnlySpan<byte> afterStxThroughEtx)
    {
        byte bcc = 0;
        foreach (var b in afterStxThroughEtx)
        {
            bcc ^= b;
        }

        return bcc;
    }

    /// <summary>The sign-on request <c>/?address!CR LF</c>.</summary>
    public static string Request(string address) => $"/?{address}!\r\n";

    /// <summary>The acknowledgement/option select <c>ACK V Z Y CR LF</c> (V = 0, normal protocol).</summary>
    /// <param name="mode">'0' for data readout, '1' for programming mode.</param>
    public static byte[] OptionSelect(char baudCharacter, char mode = '0') =>
        [Ack, (byte)'0', (byte)baudCharacter, (byte)mode, (byte)'\r', (byte)'\n'];

    /// <summary>Checks a device address: at most 32 of 0–9, A–Z, a–z and space.</summary>
    public static void ValidateAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Length > MaxAddressLength || address.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == ' ')))
        {
            throw new ArgumentException(
                $"device address '{address}' is not valid for IEC 62056-21: at most {MaxAddressLength} letters, digits and spaces",
                nameof(address));
        }
    }
}
