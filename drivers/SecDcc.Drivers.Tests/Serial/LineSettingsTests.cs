using SecDcc.Drivers.Interop;
using SecDcc.Drivers.Serial;
using static SecDcc.Drivers.Interop.TermiosFlags;

namespace SecDcc.Drivers.Tests.Serial;

/// <summary>Settings become the right termios bits, and a driver that keeps other bits is caught.</summary>
[TestFixture]
public sealed class LineSettingsTests
{
    [Test]
    public void Seven_even_two_with_rts_cts_at_9600()
    {
        var t = default(Termios);
        LineSettings.Apply(ref t, new SerialSettings
        {
            BaudRate = 9600, DataBits = 7, Parity = Parity.Even, StopBits = StopBits.Two, FlowControl = FlowControl.RtsCts,
        });

        Assert.Multiple(() =>
        {
            Assert.That(t.c_cflag & CSIZE, Is.EqualTo(CS7));
            Assert.That(t.c_cflag & (PARENB | PARODD), Is.EqualTo(PARENB));
            Assert.That(t.c_cflag & CSTOPB, Is.EqualTo(CSTOPB));
            Assert.That(t.c_cflag & CRTSCTS, Is.EqualTo(CRTSCTS));
            Assert.That(t.c_cflag & (CLOCAL | CREAD), Is.EqualTo(CLOCAL | CREAD));
            Assert.That(t.c_iflag & (IXON | IXOFF), Is.Zero);
            Assert.That(t.c_iflag & INPCK, Is.EqualTo(INPCK), "parity is checked on input");
            Assert.That(Libc.CfGetOSpeed(t), Is.EqualTo(0xDu), "B9600");
            Assert.That(Libc.CfGetISpeed(t), Is.EqualTo(0xDu));
            Assert.That(t.c_cc[VMIN], Is.EqualTo(1));
            Assert.That(t.c_cc[VTIME], Is.Zero);
        });
    }

    [Test]
    public void Eight_odd_one_with_xon_xoff()
    {
        var t = default(Termios);
        LineSettings.Apply(ref t, new SerialSettings { DataBits = 8, Parity = Parity.Odd, FlowControl = FlowControl.XonXoff });

        Assert.Multiple(() =>
        {
            Assert.That(t.c_cflag & CSIZE, Is.EqualTo(CS8));
            Assert.That(t.c_cflag & (PARENB | PARODD), Is.EqualTo(PARENB | PARODD));
            Assert.That(t.c_cflag & (CSTOPB | CRTSCTS), Is.Zero);
            Assert.That(t.c_iflag & (IXON | IXOFF), Is.EqualTo(IXON | IXOFF));
            Assert.That(t.c_cc[VSTART], Is.EqualTo(XON));
            Assert.That(t.c_cc[VSTOP], Is.EqualTo(XOFF));
        });
    }

    [Test]
    public void A_driver_that_keeps_eight_bits_when_seven_were_asked_is_caught()
    {
        var asked = default(Termios);
        LineSettings.Apply(ref asked, new SerialSettings { DataBits = 7, Parity = Parity.Even });
        var got = asked;
        got.c_cflag = (got.c_cflag & ~(CSIZE | PARENB)) | CS8;

        Assert.That(LineSettings.Mismatch(asked, got, pseudoTerminal: false), Does.Contain("character size is 8 bits").And.Contain("parity differs"));
        Assert.That(LineSettings.Mismatch(asked, got, pseudoTerminal: true), Is.Null, "a pty forces CS8 and no parity, as Linux does");
    }

    [Test]
    public void A_speed_or_flow_control_that_did_not_stick_is_caught_even_on_a_pty()
    {
        var asked = default(Termios);
        LineSettings.Apply(ref asked, new SerialSettings { BaudRate = 921600, FlowControl = FlowControl.RtsCts });
        var got = asked;
        Libc.CfSetOSpeed(ref got, 0x1002);
        got.c_cflag &= ~CRTSCTS;

        var mismatch = LineSettings.Mismatch(asked, got, pseudoTerminal: true);

        Assert.That(mismatch, Does.Contain("the speed is 115200 baud").And.Contain("RTS/CTS flow control was not turned on"));
    }

    [Test]
    public void Settings_read_back_from_termios()
    {
        var t = default(Termios);
        var asked = new SerialSettings { BaudRate = 300, DataBits = 7, Parity = Parity.Odd, StopBits = StopBits.Two, FlowControl = FlowControl.XonXoff };
        LineSettings.Apply(ref t, asked);

        Assert.That(LineSettings.Read(t, new SerialSettings()), Is.EqualTo(asked));
    }
}
