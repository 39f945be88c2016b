using System.Runtime.InteropServices;

namespace SecDcc.Drivers.Interop;

/// <summary>Every libc call the drivers make. Nothing outside this folder calls native code.</summary>
/// <remarks>
/// Calls that can fail are declared with SetLastError so <see cref="Errno.Last"/> reads their errno. The
/// variadic ones (open, ioctl) are declared with the fixed arguments they are used with; on the Linux ABIs
/// supported (x86_64, aarch64, armhf) integer variadic arguments are passed like fixed ones.
/// </remarks>
internal static partial class Libc
{
    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(SafeFdHandle fd, ref byte buffer, nint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(SafeFdHandle fd, ref byte buffer, nint count);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Lib, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(SafeFdHandle fd, out Termios termios);

    [LibraryImport(Lib, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(SafeFdHandle fd, int optionalActions, in Termios termios);

    [LibraryImport(Lib, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(ref Termios termios);

    [LibraryImport(Lib, EntryPoint = "cfsetispeed", SetLastError = true)]
    public static partial int CfSetISpeed(ref Termios termios, uint speed);

    [LibraryImport(Lib, EntryPoint = "cfsetospeed", SetLastError = true)]
    public static partial int CfSetOSpeed(ref Termios termios, uint speed);

    [LibraryImport(Lib, EntryPoint = "cfgetispeed")]
    public static partial uint CfGetISpeed(in Termios termios);

    [LibraryImport(Lib, EntryPoint = "cfgetospeed")]
    public static partial uint CfGetOSpeed(in Termios termios);

    [LibraryImport(Lib, EntryPoint = "tcflush", SetLastError = true)]
    public static partial int TcFlush(SafeFdHandle fd, int queueSelector);

    [LibraryImport(Lib, EntryPoint = "tcdrain", SetLastError = true)]
    public static partial int TcDrain(SafeFdHandle fd);

    [LibraryImport(Lib, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(SafeFdHandle fd, int operation);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeFdHandle fd, nuint request, nint argument);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeFdHandle fd, nuint request, out int argument);

    [LibraryImport(Lib, EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int PosixOpenPt(int flags);

    [LibraryImport(Lib, EntryPoint = "grantpt", SetLastError = true)]
    public static partial int GrantPt(SafeFdHandle fd);

    [LibraryImport(Lib, EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int UnlockPt(SafeFdHandle fd);

    /// <summary>Returns 0, or the error number itself (ptsname_r does not use errno for its result).</summary>
    [LibraryImport(Lib, EntryPoint = "ptsname_r")]
    public static partial int PtsNameR(SafeFdHandle fd, ref byte buffer, nuint length);

    [LibraryImport(Lib, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatxPath(int dirFd, string path, int flags, uint mask, out Statx result);

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatxFd(SafeFdHandle dirFd, string emptyPath, int flags, uint mask, out Statx result);
}
