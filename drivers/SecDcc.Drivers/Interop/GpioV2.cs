using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecDcc.Drivers.Interop;

// The Linux GPIO character device, uAPI v2 (linux/gpio.h, kernel 5.10 and later). Every struct is laid out
// with explicit padding so it is the same on 32- and 64-bit architectures; the sizes and offsets are checked
// by tests against the values of the kernel header.

/// <summary><c>struct gpiochip_info</c> (68 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioChipInfo
{
    public GpioName name;
    public GpioName label;
    public uint lines;
}

/// <summary>A NUL-terminated name of GPIO_MAX_NAME_SIZE (32) bytes.</summary>
[InlineArray(GpioV2.MaxNameSize)]
internal struct GpioName
{
    private byte _element0;
}

/// <summary><c>struct gpio_v2_line_attribute</c> (16 bytes): an id and a union of flags, output values or a debounce period.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct GpioV2LineAttribute
{
    [FieldOffset(0)] public uint id;
    [FieldOffset(4)] public uint padding;
    [FieldOffset(8)] public ulong flags;
    [FieldOffset(8)] public ulong values;
    [FieldOffset(8)] public uint debounce_period_us;
}

/// <summary><c>struct gpio_v2_line_config_attribute</c> (24 bytes): an attribute and the lines (bits of the request's offsets) it applies to.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineConfigAttribute
{
    public GpioV2LineAttribute attr;
    public ulong mask;
}

[InlineArray(GpioV2.NumAttrsMax)]
internal struct GpioV2ConfigAttributes
{
    private GpioV2LineConfigAttribute _element0;
}

[InlineArray(5)]
internal struct GpioV2ConfigPadding
{
    private uint _element0;
}

/// <summary><c>struct gpio_v2_line_config</c> (272 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineConfig
{
    /// <summary>GPIO_V2_LINE_FLAG_* for every line without an attribute saying otherwise.</summary>
    public ulong flags;
    public uint num_attrs;
    public GpioV2ConfigPadding padding;
    public GpioV2ConfigAttributes attrs;
}

[InlineArray(GpioV2.LinesMax)]
internal struct GpioV2Offsets
{
    private uint _element0;
}

[InlineArray(5)]
internal struct GpioV2RequestPadding
{
    private uint _element0;
}

/// <summary><c>struct gpio_v2_line_request</c> (592 bytes), the argument of GPIO_V2_GET_LINE_IOCTL.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineRequest
{
    public GpioV2Offsets offsets;
    public GpioName consumer;
    public GpioV2LineConfig config;
    public uint num_lines;

    /// <summary>Events the kernel may queue before it drops some; 0 lets it choose (16 per line).</summary>
    public uint event_buffer_size;
    public GpioV2RequestPadding padding;

    /// <summary>Set by the kernel: the descriptor of the new line request.</summary>
    public int fd;
}

/// <summary><c>struct gpio_v2_line_values</c> (16 bytes): bit i is line i of the request.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineValues
{
    public ulong bits;
    public ulong mask;
}

[InlineArray(6)]
internal struct GpioV2EventPadding
{
    private uint _element0;
}

/// <summary><c>struct gpio_v2_line_event</c> (48 bytes), read from a line request's descriptor.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineEvent
{
    /// <summary>CLOCK_MONOTONIC unless the request asked for the realtime or HTE clock.</summary>
    public ulong timestamp_ns;

    /// <summary>GPIO_V2_LINE_EVENT_RISING_EDGE or _FALLING_EDGE.</summary>
    public uint id;
    public uint offset;

    /// <summary>Across all lines of the request, from 1.</summary>
    public uint seqno;

    /// <summary>For this line, from 1.</summary>
    public uint line_seqno;
    public GpioV2EventPadding padding;
}

[InlineArray(GpioV2.NumAttrsMax)]
internal struct GpioV2InfoAttributes
{
    private GpioV2LineAttribute _element0;
}

[InlineArray(4)]
internal struct GpioV2InfoPadding
{
    private uint _element0;
}

/// <summary><c>struct gpio_v2_line_info</c> (256 bytes), the argument of GPIO_V2_GET_LINEINFO_IOCTL.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioV2LineInfo
{
    public GpioName name;
    public GpioName consumer;
    public uint offset;
    public uint num_attrs;
    public ulong flags;
    public GpioV2InfoAttributes attrs;
    public GpioV2InfoPadding padding;
}

/// <summary>Constants and ioctl numbers of linux/gpio.h.</summary>
internal static class GpioV2
{
    public const int MaxNameSize = 32;
    public const int LinesMax = 64;
    public const int NumAttrsMax = 10;

    public const ulong FlagUsed = 1UL << 0;
    public const ulong FlagActiveLow = 1UL << 1;
    public const ulong FlagInput = 1UL << 2;
    public const ulong FlagOutput = 1UL << 3;
    public const ulong FlagEdgeRising = 1UL << 4;
    public const ulong FlagEdgeFalling = 1UL << 5;
    public const ulong FlagOpenDrain = 1UL << 6;
    public const ulong FlagOpenSource = 1UL << 7;
    public const ulong FlagBiasPullUp = 1UL << 8;
    public const ulong FlagBiasPullDown = 1UL << 9;
    public const ulong FlagBiasDisabled = 1UL << 10;
    public const ulong FlagEventClockRealtime = 1UL << 11;
    public const ulong FlagEventClockHte = 1UL << 12;

    public const uint AttrIdFlags = 1;
    public const uint AttrIdOutputValues = 2;
    public const uint AttrIdDebounce = 3;

    public const uint EventRisingEdge = 1;
    public const uint EventFallingEdge = 2;

    private const uint Type = 0xB4;

    public static uint GetChipInfoIoctl { get; } = IoctlNumbers.IoR(Type, 0x01, Unsafe.SizeOf<GpioChipInfo>());

    public static uint GetLineInfoIoctl { get; } = IoctlNumbers.IoWR(Type, 0x05, Unsafe.SizeOf<GpioV2LineInfo>());

    public static uint GetLineIoctl { get; } = IoctlNumbers.IoWR(Type, 0x07, Unsafe.SizeOf<GpioV2LineRequest>());

    public static uint LineSetConfigIoctl { get; } = IoctlNumbers.IoWR(Type, 0x0D, Unsafe.SizeOf<GpioV2LineConfig>());

    public static uint LineGetValuesIoctl { get; } = IoctlNumbers.IoWR(Type, 0x0E, Unsafe.SizeOf<GpioV2LineValues>());

    public static uint LineSetValuesIoctl { get; } = IoctlNumbers.IoWR(Type, 0x0F, Unsafe.SizeOf<GpioV2LineValues>());

    /// <summary>The text of a NUL-terminated name.</summary>
    public static string Text(in GpioName name)
    {
        ReadOnlySpan<byte> bytes = name;
        var end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>Copies <paramref name="text"/> in, cut to 31 bytes so the terminating NUL always fits.</summary>
    public static void SetText(ref GpioName name, string text)
    {
        Span<byte> bytes = name;
        bytes.Clear();
        var encoded = System.Text.Encoding.UTF8.GetBytes(text);
        encoded.AsSpan(0, Math.Min(encoded.Length, MaxNameSize - 1)).CopyTo(bytes);
    }
}
