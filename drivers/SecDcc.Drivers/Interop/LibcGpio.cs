using System.Runtime.InteropServices;

namespace SecDcc.Drivers.Interop;

/// <summary>The ioctl and fcntl forms the GPIO character-device backend uses.</summary>
internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeFdHandle fd, nuint request, ref GpioChipInfo argument);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeFdHandle fd, nuint request, ref GpioV2LineInfo argument);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeFdHandle fd, nuint request, ref GpioV2LineRequest argument);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeFdHandle fd, nuint request, ref GpioV2LineConfig argument);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(SafeFdHandle fd, nuint request, ref GpioV2LineValues argument);

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(SafeFdHandle fd, int command, int argument);

    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
}
