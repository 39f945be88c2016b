using System.Runtime.InteropServices;

namespace SecDcc.Drivers.Interop;

/// <summary><c>struct pollfd</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int fd;
    public short events;
    public short revents;
}

internal static class PollEvents
{
    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;
}

/// <summary>The fields of Linux's 256-byte <c>struct statx</c> that the drivers read.</summary>
/// <remarks>statx has one layout on every architecture, unlike <c>struct stat</c>, and glibc has had it since 2.28.</remarks>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct Statx
{
    [FieldOffset(0)] public uint stx_mask;
    [FieldOffset(20)] public uint stx_uid;
    [FieldOffset(24)] public uint stx_gid;
    [FieldOffset(28)] public ushort stx_mode;
    [FieldOffset(32)] public ulong stx_ino;
    [FieldOffset(128)] public uint stx_rdev_major;
    [FieldOffset(132)] public uint stx_rdev_minor;
    [FieldOffset(136)] public uint stx_dev_major;
    [FieldOffset(140)] public uint stx_dev_minor;

    public const int AT_FDCWD = -100;
    public const int AT_EMPTY_PATH = 0x1000;
    public const uint STATX_BASIC_STATS = 0x7FF;
    public const ushort S_IFMT = 0xF000;
    public const ushort S_IFCHR = 0x2000;

    public readonly bool IsCharacterDevice => (stx_mode & S_IFMT) == S_IFCHR;
}

internal static class OpenFlags
{
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
}

internal static class FlockOps
{
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;
}

internal static class EventFdFlags
{
    public const int EFD_NONBLOCK = 0x800;
    public const int EFD_CLOEXEC = 0x80000;
}
