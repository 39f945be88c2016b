using SecDcc.Drivers.Interop;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Tests.Serial;

/// <summary>Each way an open can fail gives its own error, naming the port, the call, the errno and a way out.</summary>
[TestFixture]
public sealed class SerialPortErrorTests
{
    [Test]
    public void A_missing_port_says_so_and_where_to_look()
    {
        const string Path = "/dev/ttyUSB-secdcc-missing";

        var e = Assert.Throws<SerialPortException>(() => SerialPort.Open(Path, new SerialSettings()));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(SerialError.NotFound));
            Assert.That(e.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(e.PortName, Is.EqualTo(Path));
            Assert.That(e.Message, Does.StartWith($"no such serial port {Path}"));
            Assert.That(e.Message, Does.Contain("ENOENT").And.Contain("ls /dev/serial/by-id"));
        });
    }

    [Test]
    public void Dev_null_is_not_a_terminal()
    {
        var e = Assert.Throws<SerialPortException>(() => SerialPort.Open("/dev/null", new SerialSettings()));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(SerialError.NotATerminal));
            Assert.That(e.Errno, Is.EqualTo(Errno.ENOTTY));
            Assert.That(e.Message, Does.Contain("/dev/null is not a serial port").And.Contain("tcgetattr").And.Contain("ENOTTY"));
        });
    }

    [Test]
    public void A_second_opener_is_refused_and_told_who_holds_the_port()
    {
        using var pty = TermiosLayoutTests.PtyOrIgnore();
        using var first = SerialPort.Open(pty.SlavePath, new SerialSettings());

        var e = Assert.Throws<SerialPortException>(() => SerialPort.Open(pty.SlavePath, new SerialSettings()));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(SerialError.Busy));
            Assert.That(e.Errno, Is.EqualTo(Errno.EWOULDBLOCK));
            Assert.That(e.Message, Does.Contain($"serial port {pty.SlavePath} is busy").And.Contain("flock"));
            Assert.That(e.Message, Does.Contain($"pid {Environment.ProcessId}"), "the holder found in /proc/locks");
        });
    }

    [Test]
    public void The_port_can_be_opened_again_once_the_holder_closes_it()
    {
        using var pty = TermiosLayoutTests.PtyOrIgnore();
        SerialPort.Open(pty.SlavePath, new SerialSettings()).Dispose();

        using var second = SerialPort.Open(pty.SlavePath, new SerialSettings());

        Assert.That(second.Name, Is.EqualTo(pty.SlavePath));
    }

    [Test]
    public void A_shared_open_does_not_lock()
    {
        using var pty = TermiosLayoutTests.PtyOrIgnore();
        var shared = new SerialOpenOptions { Exclusive = false };
        using var sniffer = SerialPort.Open(pty.SlavePath, new SerialSettings(), shared);

        using var harness = SerialPort.Open(pty.SlavePath, new SerialSettings());

        Assert.That(harness.Name, Is.EqualTo(sniffer.Name));
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Permission_denied_is_reported_with_the_group_to_join()
    {
        if (Environment.UserName == "root")
        {
            // root is never refused, so check the text the driver builds for EACCES on a device it can stat.
            var built = SerialErrors.OpenFailed("/dev/ptmx", Errno.EACCES);
            Assert.Multiple(() =>
            {
                Assert.That(built.Error, Is.EqualTo(SerialError.PermissionDenied));
                Assert.That(built.Message, Does.Contain("permission denied opening serial port /dev/ptmx").And.Contain("EACCES"));
                Assert.That(built.Message, Does.Match("the device belongs to group '[a-z_][a-z0-9_-]*': `sudo usermod -aG [a-z_][a-z0-9_-]* \\$USER`"));
            });
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"secdcc-noaccess-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, []);
        File.SetUnixFileMode(path, UnixFileMode.None);
        try
        {
            var e = Assert.Throws<SerialPortException>(() => SerialPort.Open(path, new SerialSettings()));
            Assert.That(e!.Error, Is.EqualTo(SerialError.PermissionDenied));
            Assert.That(e.Message, Does.Contain("usermod -aG"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void An_unsupported_baud_rate_is_refused_before_the_port_is_touched()
    {
        var e = Assert.Throws<ArgumentException>(() => SerialPort.Open("/dev/ttyUSB-secdcc-missing", new SerialSettings { BaudRate = 12345 }));

        Assert.That(e!.Message, Does.Contain("baud rate 12345").And.Contain("115200").And.Contain("4000000"));
    }

    [TestCase(5)]
    [TestCase(9)]
    public void Data_bits_other_than_7_or_8_are_refused(int bits)
    {
        var e = Assert.Throws<ArgumentException>(() => new SerialSettings { DataBits = bits }.Validate("/dev/ttyS0"));

        Assert.That(e!.Message, Does.Contain($"{bits} data bits").And.Contain("only 7 and 8"));
    }

    [Test]
    public void Settings_describe_themselves_the_usual_way()
    {
        var s = new SerialSettings { BaudRate = 300, DataBits = 7, Parity = Parity.Even, FlowControl = FlowControl.XonXoff };

        Assert.That(s.Describe(), Is.EqualTo("300 7E1, XON/XOFF flow control"));
    }
}
