using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Gpio.CharacterDevice;

/// <summary>One line of a request: its offset on the chip and how it is to be set up.</summary>
internal readonly record struct RequestedLine(uint Offset, GpioLineConfig Config);

/// <summary>
/// Turns lines and their configurations into the kernel's <c>struct gpio_v2_line_request</c> and
/// <c>struct gpio_v2_line_config</c>. Pure, so it is tested without a chip.
/// </summary>
/// <remarks>
/// The kernel takes one set of flags for the whole request and up to ten attributes, each with a mask of the
/// request's lines (bit i is <c>offsets[i]</c>). The flags most lines share go in <c>config.flags</c>; each
/// other set of flags, the initial output levels and each debounce period take one attribute.
/// </remarks>
internal static class LineRequestEncoder
{
    public static GpioV2LineRequest Request(IReadOnlyList<RequestedLine> lines, string consumer, uint eventBufferSize = 0)
    {
        if (lines.Count is 0 or > GpioV2.LinesMax)
        {
            throw new ArgumentException($"a line request takes 1 to {GpioV2.LinesMax} lines; {lines.Count} given", nameof(lines));
        }

        var duplicate = lines.GroupBy(l => l.Offset).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"line {duplicate.Key} is in the request twice", nameof(lines));
        }

        var request = default(GpioV2LineRequest);
        for (var i = 0; i < lines.Count; i++)
        {
            request.offsets[i] = lines[i].Offset;
        }

        GpioV2.SetText(ref request.consumer, consumer);
        request.config = Config(lines.Select(l => l.Config).ToArray());
        request.num_lines = (uint)lines.Count;
        request.event_buffer_size = eventBufferSize;
        return request;
    }

    /// <summary>The configuration for lines in request order (bit i of every mask is <paramref name="configs"/>[i]).</summary>
    public static GpioV2LineConfig Config(IReadOnlyList<GpioLineConfig> configs)
    {
        var flags = configs.Select(Flags).ToArray();
        var common = flags.GroupBy(f => f).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var config = default(GpioV2LineConfig);
        config.flags = common;
        var count = 0;

        foreach (var group in flags.Select((f, i) => (f, i)).Where(x => x.f != common).GroupBy(x => x.f))
        {
            Add(ref config, ref count, new GpioV2LineAttribute { id = GpioV2.AttrIdFlags, flags = group.Key }, Mask(group.Select(x => x.i)));
        }

        var outputs = configs.Select((c, i) => (c, i)).Where(x => x.c.Direction == GpioDirection.Output).ToArray();
        if (outputs.Length > 0)
        {
            var values = Mask(outputs.Where(x => x.c.InitialLevel == GpioLevel.High).Select(x => x.i));
            Add(ref config, ref count, new GpioV2LineAttribute { id = GpioV2.AttrIdOutputValues, values = values }, Mask(outputs.Select(x => x.i)));
        }

        foreach (var group in configs.Select((c, i) => (c, i)).Where(x => x.c.Debounce > TimeSpan.Zero).GroupBy(x => Microseconds(x.c.Debounce)))
        {
            Add(ref config, ref count, new GpioV2LineAttribute { id = GpioV2.AttrIdDebounce, debounce_period_us = group.Key }, Mask(group.Select(x => x.i)));
        }

        config.num_attrs = (uint)count;
        return config;
    }

    /// <summary>GPIO_V2_LINE_FLAG_* for one line.</summary>
    public static ulong Flags(GpioLineConfig config)
    {
        ulong flags = config.Direction == GpioDirection.Output ? GpioV2.FlagOutput : GpioV2.FlagInput;
        if (config.Direction == GpioDirection.Input)
        {
            if ((config.Edges & GpioEdges.Rising) != 0)
            {
                flags |= GpioV2.FlagEdgeRising;
            }

            if ((config.Edges & GpioEdges.Falling) != 0)
            {
                flags |= GpioV2.FlagEdgeFalling;
            }
        }
        else if (config.Edges != GpioEdges.None)
        {
            throw new ArgumentException("edge detection is for inputs only; the kernel refuses it on an output with EINVAL");
        }

        flags |= config.Bias switch
        {
            GpioBias.PullUp => GpioV2.FlagBiasPullUp,
            GpioBias.PullDown => GpioV2.FlagBiasPullDown,
            GpioBias.Disabled => GpioV2.FlagBiasDisabled,
            _ => 0UL,
        };
        return flags;
    }

    /// <summary>The debounce period in whole microseconds, rounded up so a period is never shortened.</summary>
    public static uint Microseconds(TimeSpan period)
    {
        var us = Math.Ceiling(period.TotalMicroseconds);
        return us is > 0 and <= uint.MaxValue
            ? (uint)us
            : throw new ArgumentOutOfRangeException(nameof(period), period, "a debounce period is 1 µs to about 71 minutes");
    }

    private static ulong Mask(IEnumerable<int> indexes) => indexes.Aggregate(0UL, (m, i) => m | (1UL << i));

    private static void Add(ref GpioV2LineConfig config, ref int count, GpioV2LineAttribute attribute, ulong mask)
    {
        if (count == GpioV2.NumAttrsMax)
        {
            throw new ArgumentException(
                $"the lines need more than {GpioV2.NumAttrsMax} attributes (kinds of flags, initial levels, debounce periods); split them into several requests");
        }

        config.attrs[count] = new GpioV2LineConfigAttribute { attr = attribute, mask = mask };
        count++;
    }
}
