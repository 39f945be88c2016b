namespace SecDcc.Drivers.Interop;

/// <summary>
/// The kernel's _IOC macros (asm-generic/ioctl.h), so ioctl numbers are computed from the struct sizes they
/// carry rather than copied as magic numbers.
/// </summary>
/// <remarks>
/// This encoding (2 direction bits at 30, 14 size bits at 16, type at 8, number at 0; write = 1, read = 2)
/// holds on x86, x86_64, arm and arm64, the architectures the drivers support. Alpha, MIPS, PowerPC and
/// SPARC encode differently.
/// </remarks>
internal static class IoctlNumbers
{
    public const uint None = 0;
    public const uint Write = 1;
    public const uint Read = 2;

    private const int NumberShift = 0;
    private const int TypeShift = 8;
    private const int SizeShift = 16;
    private const int DirectionShift = 30;
    private const int SizeBits = 14;

    public static uint Ioc(uint direction, uint type, uint number, int size)
    {
        if (size < 0 || size >= 1 << SizeBits)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"an ioctl argument must be under {1 << SizeBits} bytes");
        }

        return (direction << DirectionShift) | ((uint)size << SizeShift) | (type << TypeShift) | (number << NumberShift);
    }

    /// <summary>_IOR: the kernel writes the argument.</summary>
    public static uint IoR(uint type, uint number, int size) => Ioc(Read, type, number, size);

    /// <summary>_IOW: the kernel reads the argument.</summary>
    public static uint IoW(uint type, uint number, int size) => Ioc(Write, type, number, size);

    /// <summary>_IOWR: the kernel reads and writes the argument.</summary>
    public static uint IoWR(uint type, uint number, int size) => Ioc(Read | Write, type, number, size);
}
