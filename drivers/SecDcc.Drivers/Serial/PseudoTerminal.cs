using System.Text;
using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Serial;

/// <summary>
/// A pseudo-terminal pair: a "wire" whose slave end (<see cref="SlavePath"/>) the real serial driver opens like
/// any tty, and whose master end (<see cref="Master"/>) an emulated device or a test reads and writes.
/// </summary>
/// <remarks>
/// <para>The pair is created raw (no echo, no line editing), so bytes written before anyone configures the
/// slave arrive unchanged.</para>
/// <para>The helper keeps a slave descriptor of its own open for as long as it lives. Without it the master
/// would see a hang-up whenever the harness closes the port and before it first opens it, and the slave's
/// settings would reset between opens; with it the device stays "on the wire" across opens, as real
/// hardware does. Disposing the helper closes the master, which hangs up the slave for whoever has it open.</para>
/// </remarks>
public sealed class PseudoTerminal : IDisposable, IAsyncDisposable
{
    private readonly SafeFdHandle _keptSlave;

    private PseudoTerminal(SerialPort master, SafeFdHandle keptSlave, string slavePath)
    {
        Master = master;
        _keptSlave = keptSlave;
        SlavePath = slavePath;
    }

    /// <summary>The device path of the slave end, such as /dev/pts/3, for <see cref="SerialPort.Open"/> or a rig file.</summary>
    public string SlavePath { get; }

    /// <summary>The master end. Its <see cref="ISerialPort.Settings"/> are the slave's, as the harness last set them.</summary>
    public SerialPort Master { get; }

    /// <summary>posix_openpt, grantpt, unlockpt and ptsname_r, then raw mode on the new pair.</summary>
    /// <exception cref="SerialPortException">The machine has no pseudo-terminals to give (no /dev/ptmx, or none free).</exception>
    public static PseudoTerminal Create()
    {
        const string Ptmx = "/dev/ptmx";
        var fd = Libc.PosixOpenPt(OpenFlags.O_RDWR | OpenFlags.O_NOCTTY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Errno.Last;
            throw new SerialPortException(
                errno == Errno.ENOENT ? SerialError.NotFound : SerialError.IoError,
                Ptmx,
                $"cannot create a pseudo-terminal (posix_openpt: {Errno.Describe(errno)}) — is devpts mounted on /dev/pts?",
                errno);
        }

        var master = SafeFdHandle.FromResult(fd);
        SafeFdHandle? kept = null;
        try
        {
            Check(Libc.GrantPt(master), "grantpt");
            Check(Libc.UnlockPt(master), "unlockpt");
            var slavePath = SlaveName(master);

            var keptFd = Libc.Open(slavePath, OpenFlags.O_RDWR | OpenFlags.O_NOCTTY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
            if (keptFd < 0)
            {
                throw SerialErrors.OpenFailed(slavePath, Errno.Last);
            }

            kept = SafeFdHandle.FromResult(keptFd);

            // On a master descriptor tcsetattr sets the slave's termios (Linux applies it to the pair's slave).
            if (Libc.TcGetAttr(master, out var t) != 0)
            {
                throw SerialErrors.Failed(Ptmx, "tcgetattr", Errno.Last);
            }

            LineSettings.Apply(ref t, new SerialSettings());
            if (Libc.TcSetAttr(master, TermiosFlags.TCSANOW, t) != 0)
            {
                throw SerialErrors.Failed(Ptmx, "tcsetattr", Errno.Last);
            }

            return new PseudoTerminal(SerialPort.FromPseudoTerminalMaster(master, $"pty master of {slavePath}"), kept, slavePath);
        }
        catch (Exception)
        {
            kept?.Dispose();
            master.Dispose();
            throw;
        }

        static void Check(int result, string call)
        {
            if (result != 0)
            {
                throw SerialErrors.Failed(Ptmx, call, Errno.Last);
            }
        }
    }

    /// <summary>Closes the master, which hangs up the slave end for whoever has it open.</summary>
    public void Dispose()
    {
        Master.Dispose();
        _keptSlave.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static string SlaveName(SafeFdHandle master)
    {
        Span<byte> buffer = stackalloc byte[128];
        var error = Libc.PtsNameR(master, ref buffer[0], (nuint)buffer.Length);
        if (error != 0)
        {
            throw SerialErrors.Failed("/dev/ptmx", "ptsname_r", error);
        }

        var end = buffer.IndexOf((byte)0);
        return Encoding.UTF8.GetString(buffer[..(end < 0 ? buffer.Length : end)]);
    }
}
