using System.Runtime.InteropServices;

namespace SecDcc.Drivers.Interop;

/// <summary>Linux errno values that the drivers react to, and their names for error text.</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EWOULDBLOCK = EAGAIN;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int EROFS = 30;
    public const int ELOOP = 40;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM",
        [ENOENT] = "ENOENT",
        [EINTR] = "EINTR",
        [EIO] = "EIO",
        [ENXIO] = "ENXIO",
        [EBADF] = "EBADF",
        [EAGAIN] = "EAGAIN",
        [EACCES] = "EACCES",
        [EBUSY] = "EBUSY",
        [ENODEV] = "ENODEV",
        [ENOTDIR] = "ENOTDIR",
        [EISDIR] = "EISDIR",
        [EINVAL] = "EINVAL",
        [ENOTTY] = "ENOTTY",
        [EROFS] = "EROFS",
        [ELOOP] = "ELOOP",
    };

    /// <summary>The errno of the last source-generated import declared with SetLastError.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>"errno 2 ENOENT, No such file or directory": the number, the name, and what libc says it means.</summary>
    public static string Describe(int errno)
    {
        var name = Names.TryGetValue(errno, out var n) ? n + ", " : string.Empty;
        return $"errno {errno} {name}{Marshal.GetPInvokeErrorMessage(errno)}";
    }
}
