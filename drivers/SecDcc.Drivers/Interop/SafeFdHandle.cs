using System.Runtime.InteropServices;

namespace SecDcc.Drivers.Interop;

/// <summary>A POSIX file descriptor that is closed exactly once, and not while a native call is using it.</summary>
/// <remarks>
/// Native calls that take this handle add a reference for the length of the call, so a Dispose from another
/// thread cannot close the descriptor (and let the kernel hand its number to some other file) under a read
/// or a poll that is still running.
/// </remarks>
internal sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    public SafeFdHandle(int fd, bool ownsHandle)
        : base(invalidHandleValue: -1, ownsHandle)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>The descriptor number, for calls such as poll that take it inside a struct.</summary>
    /// <remarks>Only use it between DangerousAddRef and DangerousRelease.</remarks>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;

    /// <summary>Wraps the result of a call that returns a new descriptor, or -1 with errno set.</summary>
    public static SafeFdHandle FromResult(int fd) => new(fd, ownsHandle: true);
}
