using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecDcc.Drivers.Interop;

/// <summary>glibc's <c>struct termios</c> (60 bytes on Linux, the same on x86_64, arm64 and armhf).</summary>
/// <remarks>
/// This is glibc's struct, not the kernel's 36-byte one: tcgetattr/tcsetattr translate between them, and
/// c_ispeed/c_ospeed exist only here. Offsets are checked by a test against the C definition.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal struct Termios
{
    public uint c_iflag;
    public uint c_oflag;
    public uint c_cflag;
    public uint c_lflag;
    public byte c_line;
    public ControlChars c_cc;
    public uint c_ispeed;
    public uint c_ospeed;
}

/// <summary>The 32 control characters of <see cref="Termios"/> (NCCS = 32 in glibc).</summary>
[InlineArray(Length)]
internal struct ControlChars
{
    public const int Length = 32;
    private byte _element0;
}

/// <summary>Flag and index values from glibc's bits/termios-*.h (Linux, all supported architectures).</summary>
internal static class TermiosFlags
{
    // c_iflag
    public const uint IGNPAR = 0x4;
    public const uint PARMRK = 0x8;
    public const uint INPCK = 0x10;
    public const uint ISTRIP = 0x20;
    public const uint IXON = 0x400;
    public const uint IXANY = 0x800;
    public const uint IXOFF = 0x1000;

    // c_cflag
    public const uint CBAUD = 0x100F;
    public const uint CSIZE = 0x30;
    public const uint CS7 = 0x20;
    public const uint CS8 = 0x30;
    public const uint CSTOPB = 0x40;
    public const uint CREAD = 0x80;
    public const uint PARENB = 0x100;
    public const uint PARODD = 0x200;
    public const uint HUPCL = 0x400;
    public const uint CLOCAL = 0x800;
    public const uint CRTSCTS = 0x80000000;

    // c_cc indices
    public const int VTIME = 5;
    public const int VMIN = 6;
    public const int VSTART = 8;
    public const int VSTOP = 9;

    // tcsetattr actions and tcflush queues
    public const int TCSANOW = 0;
    public const int TCIFLUSH = 0;
    public const int TCOFLUSH = 1;
    public const int TCIOFLUSH = 2;

    // ioctl requests (asm-generic, also used by x86)
    public const nuint TIOCEXCL = 0x540C;
    public const nuint TIOCNXCL = 0x540D;
    public const nuint TIOCOUTQ = 0x5411;
    public const nuint FIONREAD = 0x541B;

    public const byte XON = 0x11;
    public const byte XOFF = 0x13;
}

/// <summary>Baud rates with a B-constant in glibc, from 300 up to 4 Mbaud.</summary>
internal static class BaudConstants
{
    private static readonly (int Baud, uint Speed)[] Table =
    [
        (300, 0x7), (600, 0x8), (1200, 0x9), (1800, 0xA), (2400, 0xB), (4800, 0xC), (9600, 0xD),
        (19200, 0xE), (38400, 0xF), (57600, 0x1001), (115200, 0x1002), (230400, 0x1003),
        (460800, 0x1004), (500000, 0x1005), (576000, 0x1006), (921600, 0x1007), (1000000, 0x1008),
        (1152000, 0x1009), (1500000, 0x100A), (2000000, 0x100B), (2500000, 0x100C), (3000000, 0x100D),
        (3500000, 0x100E), (4000000, 0x100F),
    ];

    public static IReadOnlyList<int> Supported { get; } = Table.Select(t => t.Baud).ToArray();

    public static bool TryGetSpeed(int baud, out uint speed)
    {
        foreach (var (b, s) in Table)
        {
            if (b == baud)
            {
                speed = s;
                return true;
            }
        }

        speed = 0;
        return false;
    }

    public static int? BaudOf(uint speed)
    {
        foreach (var (b, s) in Table)
        {
            if (s == speed)
            {
                return b;
            }
        }

        return null;
    }
}
