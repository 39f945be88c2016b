using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SecDcc.Drivers.Interop;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Tests.Serial;

/// <summary>The managed struct must match glibc's 60-byte struct termios, or every setting lands in the wrong field.</summary>
[TestFixture]
public sealed class TermiosLayoutTests
{
    [Test]
    public void Struct_has_the_size_and_offsets_of_glibc_struct_termios()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<Termios>(), Is.EqualTo(60));
            Assert.That(Marshal.OffsetOf<Termios>(nameof(Termios.c_iflag)), Is.EqualTo((nint)0));
            Assert.That(Marshal.OffsetOf<Termios>(nameof(Termios.c_oflag)), Is.EqualTo((nint)4));
            Assert.That(Marshal.OffsetOf<Termios>(nameof(Termios.c_cflag)), Is.EqualTo((nint)8));
            Assert.That(Marshal.OffsetOf<Termios>(nameof(Termios.c_lflag)), Is.EqualTo((nint)12));
            Assert.That(Marshal.OffsetOf<Termios>(nameof(Termios.c_line)), Is.EqualTo((nint)16));
            Assert.That(Marshal.OffsetOf<Termios>(nameof(Termios.c_cc)), Is.EqualTo((nint)17));
            Assert.That(Marshal.OffsetOf<Termios>(nameof(Termios.c_ispeed)), Is.EqualTo((nint)52));
            Assert.That(Marshal.OffsetOf<Termios>(nameof(Termios.c_ospeed)), Is.EqualTo((nint)56));
            Assert.That(Unsafe.SizeOf<Statx>(), Is.EqualTo(256));
        });
    }

    [Test]
    public void Fields_round_trip_through_a_real_tty_where_glibc_puts_them()
    {
        using var pty = PtyOrIgnore();
        using var handle = OpenRaw(pty.SlavePath);

        Assert.That(Libc.TcGetAttr(handle, out var t), Is.Zero, "tcgetattr on a pty slave");
        Libc.CfMakeRaw(ref t);
        t.c_cc[TermiosFlags.VTIME] = 7;
        t.c_cc[TermiosFlags.VMIN] = 3;
        t.c_cflag |= TermiosFlags.CSTOPB;
        Assert.That(Libc.CfSetOSpeed(ref t, 0x1002), Is.Zero);
        Assert.That(Libc.CfSetISpeed(ref t, 0x1002), Is.Zero);
        Assert.That(Libc.TcSetAttr(handle, TermiosFlags.TCSANOW, t), Is.Zero, "tcsetattr on a pty slave");

        Assert.That(Libc.TcGetAttr(handle, out var back), Is.Zero);
        Assert.Multiple(() =>
        {
            // c_cc starts at offset 17: a struct that put it elsewhere would read other bytes here.
            Assert.That(back.c_cc[TermiosFlags.VTIME], Is.EqualTo(7));
            Assert.That(back.c_cc[TermiosFlags.VMIN], Is.EqualTo(3));
            Assert.That(back.c_cflag & TermiosFlags.CBAUD, Is.EqualTo(0x1002u), "B115200 in c_cflag");
            Assert.That(back.c_cflag & TermiosFlags.CSTOPB, Is.EqualTo(TermiosFlags.CSTOPB));
            Assert.That(Libc.CfGetOSpeed(back), Is.EqualTo(0x1002u));
            Assert.That(Libc.CfGetISpeed(back), Is.EqualTo(0x1002u));
            Assert.That(back.c_lflag & 0x8u, Is.Zero, "ECHO cleared by cfmakeraw");
        });
    }

    internal static PseudoTerminal PtyOrIgnore()
    {
        try
        {
            return PseudoTerminal.Create();
        }
        catch (SerialPortException e)
        {
            Assert.Ignore($"this machine cannot create pseudo-terminals: {e.Message}");
            throw;
        }
    }

    private static SafeFdHandle OpenRaw(string path)
    {
        var fd = Libc.Open(path, OpenFlags.O_RDWR | OpenFlags.O_NOCTTY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), $"open {path}: {Errno.Describe(Errno.Last)}");
        return SafeFdHandle.FromResult(fd);
    }
}
