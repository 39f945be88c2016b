using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Serial;

/// <summary>Builds the exceptions of the serial driver, so every message has the same shape: port, action, errno, fix.</summary>
internal static class SerialErrors
{
    public static SerialPortException OpenFailed(string path, int errno) => errno switch
    {
        Errno.ENOENT or Errno.ENOTDIR => new SerialPortException(
            SerialError.NotFound,
            path,
            $"no such serial port {path} (open: {Errno.Describe(errno)}) — check the rig file and `ls /dev/serial/by-id`",
            errno),
        Errno.ENODEV or Errno.ENXIO => new SerialPortException(
            SerialError.NotFound,
            path,
            $"serial port {path} exists but no device answers behind it (open: {Errno.Describe(errno)}) — the adapter may have been unplugged; check `ls /dev/serial/by-id`",
            errno),
        Errno.EACCES or Errno.EPERM => new SerialPortException(
            SerialError.PermissionDenied,
            path,
            $"permission denied opening serial port {path} (open: {Errno.Describe(errno)}){GroupHint(path)}",
            errno),
        Errno.EBUSY => new SerialPortException(
            SerialError.Busy,
            path,
            $"serial port {path} is busy: another program has it open in exclusive mode (open: {Errno.Describe(errno)}); {PortHolders.Describe(path)} — close it or pick another port",
            errno),
        _ => new SerialPortException(SerialError.IoError, path, $"cannot open serial port {path} (open: {Errno.Describe(errno)})", errno),
    };

    public static SerialPortException NotATerminal(string path, int errno) => new(
        SerialError.NotATerminal,
        path,
        $"{path} is not a serial port or terminal (tcgetattr: {Errno.Describe(errno)}) — check that the rig file names a tty device such as /dev/ttyUSB0",
        errno);

    public static SerialPortException Locked(string path, int errno, string holders) => new(
        SerialError.Busy,
        path,
        $"serial port {path} is busy: another opener holds its lock (flock: {Errno.Describe(errno)}); {holders} — stop that run or pick another port",
        errno);

    public static SerialPortException HungUp(string path, string action, string how) => new(
        SerialError.HungUp,
        path,
        $"serial port {path} hung up during {action} ({how}): the other end closed, or the adapter was unplugged — reopen the port");

    public static SerialPortException AlreadyHungUp(string path, string action) => new(
        SerialError.HungUp,
        path,
        $"serial port {path} has hung up; cannot {action} — dispose it and open it again");

    public static SerialPortException Failed(string path, string action, int errno) => new(
        SerialError.IoError,
        path,
        $"{action} on serial port {path} failed ({Errno.Describe(errno)})",
        errno);

    public static SerialPortException SettingsRejected(string path, SerialSettings asked, string what) => new(
        SerialError.SettingsRejected,
        path,
        $"the driver of serial port {path} did not take {asked.Describe()}: {what} — the adapter may not support it");

    public static TimeoutException ReadTimedOut(string path, TimeSpan timeout) =>
        new($"no byte arrived on serial port {path} within the read timeout of {Format(timeout)}");

    public static TimeoutException WriteTimedOut(string path, TimeSpan timeout, int written, int total, FlowControl flow) =>
        new($"serial port {path} took no byte for {Format(timeout)} after {written} of {total} bytes were written{FlowHint(flow)}");

    public static TimeoutException DrainTimedOut(string path, TimeSpan timeout, int queued, FlowControl flow) =>
        new($"serial port {path} still had {queued} bytes to send after {Format(timeout)}{FlowHint(flow)}");

    private static string FlowHint(FlowControl flow) => flow switch
    {
        FlowControl.RtsCts => " — RTS/CTS flow control is on: is the device holding CTS low, or is CTS not wired?",
        FlowControl.XonXoff => " — XON/XOFF flow control is on: did the device send XOFF and never XON?",
        _ => " — is the device reading, and is the cable connected?",
    };

    private static string Format(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.###} s" : $"{t.TotalMilliseconds:0} ms";

    private static string GroupHint(string path)
    {
        if (Libc.StatxPath(Statx.AT_FDCWD, path, 0, Statx.STATX_BASIC_STATS, out var st) != 0)
        {
            return " — add the user to the group that owns the device (usually dialout) and log in again";
        }

        var group = GroupName(st.stx_gid) ?? $"gid {st.stx_gid}";
        return $" — the device belongs to group '{group}': `sudo usermod -aG {group} $USER`, then log in again";
    }

    private static string? GroupName(uint gid)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/group"))
            {
                var fields = line.Split(':');
                if (fields.Length >= 3 && uint.TryParse(fields[2], out var id) && id == gid)
                {
                    return fields[0];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No readable group file: the caller falls back to the number.
        }

        return null;
    }
}
