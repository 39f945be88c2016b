using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Gpio.CharacterDevice;
using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Tests.Gpio;

/// <summary>
/// The v2 uAPI structs, ioctl numbers and request encoding, checked without a chip. The expected numbers are
/// those of linux/gpio.h (linux-libc-dev 6.x, x86_64; the uAPI structs are the same on every architecture).
/// </summary>
[TestFixture]
public sealed class CharacterDeviceLayoutTests
{
    [Test]
    public void Structs_have_the_kernels_sizes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<GpioChipInfo>(), Is.EqualTo(68));
            Assert.That(Unsafe.SizeOf<GpioV2LineAttribute>(), Is.EqualTo(16));
            Assert.That(Unsafe.SizeOf<GpioV2LineConfigAttribute>(), Is.EqualTo(24));
            Assert.That(Unsafe.SizeOf<GpioV2LineConfig>(), Is.EqualTo(272));
            Assert.That(Unsafe.SizeOf<GpioV2LineRequest>(), Is.EqualTo(592));
            Assert.That(Unsafe.SizeOf<GpioV2LineValues>(), Is.EqualTo(16));
            Assert.That(Unsafe.SizeOf<GpioV2LineEvent>(), Is.EqualTo(48));
            Assert.That(Unsafe.SizeOf<GpioV2LineInfo>(), Is.EqualTo(256));
            Assert.That(Marshal.SizeOf<GpioV2LineRequest>(), Is.EqualTo(592), "Marshal agrees with the runtime layout");
            Assert.That(Marshal.SizeOf<GpioV2LineEvent>(), Is.EqualTo(48));
        });
    }

    [Test]
    public void Fields_are_where_the_kernel_puts_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Marshal.OffsetOf<GpioChipInfo>(nameof(GpioChipInfo.label)), Is.EqualTo((nint)32));
            Assert.That(Marshal.OffsetOf<GpioChipInfo>(nameof(GpioChipInfo.lines)), Is.EqualTo((nint)64));

            Assert.That(Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.offsets)), Is.EqualTo((nint)0));
            Assert.That(Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.consumer)), Is.EqualTo((nint)256));
            Assert.That(Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.config)), Is.EqualTo((nint)288));
            Assert.That(Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.num_lines)), Is.EqualTo((nint)560));
            Assert.That(Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.event_buffer_size)), Is.EqualTo((nint)564));
            Assert.That(Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.padding)), Is.EqualTo((nint)568));
            Assert.That(Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.fd)), Is.EqualTo((nint)588));

            Assert.That(Marshal.OffsetOf<GpioV2LineConfig>(nameof(GpioV2LineConfig.flags)), Is.EqualTo((nint)0));
            Assert.That(Marshal.OffsetOf<GpioV2LineConfig>(nameof(GpioV2LineConfig.num_attrs)), Is.EqualTo((nint)8));
            Assert.That(Marshal.OffsetOf<GpioV2LineConfig>(nameof(GpioV2LineConfig.padding)), Is.EqualTo((nint)12));
            Assert.That(Marshal.OffsetOf<GpioV2LineConfig>(nameof(GpioV2LineConfig.attrs)), Is.EqualTo((nint)32));

            Assert.That(Marshal.OffsetOf<GpioV2LineConfigAttribute>(nameof(GpioV2LineConfigAttribute.mask)), Is.EqualTo((nint)16));
            Assert.That(Marshal.OffsetOf<GpioV2LineAttribute>(nameof(GpioV2LineAttribute.flags)), Is.EqualTo((nint)8));
            Assert.That(Marshal.OffsetOf<GpioV2LineAttribute>(nameof(GpioV2LineAttribute.values)), Is.EqualTo((nint)8));
            Assert.That(Marshal.OffsetOf<GpioV2LineAttribute>(nameof(GpioV2LineAttribute.debounce_period_us)), Is.EqualTo((nint)8));

            Assert.That(Marshal.OffsetOf<GpioV2LineValues>(nameof(GpioV2LineValues.mask)), Is.EqualTo((nint)8));

            Assert.That(Marshal.OffsetOf<GpioV2LineEvent>(nameof(GpioV2LineEvent.id)), Is.EqualTo((nint)8));
            Assert.That(Marshal.OffsetOf<GpioV2LineEvent>(nameof(GpioV2LineEvent.offset)), Is.EqualTo((nint)12));
            Assert.That(Marshal.OffsetOf<GpioV2LineEvent>(nameof(GpioV2LineEvent.seqno)), Is.EqualTo((nint)16));
            Assert.That(Marshal.OffsetOf<GpioV2LineEvent>(nameof(GpioV2LineEvent.line_seqno)), Is.EqualTo((nint)20));
            Assert.That(Marshal.OffsetOf<GpioV2LineEvent>(nameof(GpioV2LineEvent.padding)), Is.EqualTo((nint)24));

            Assert.That(Marshal.OffsetOf<GpioV2LineInfo>(nameof(GpioV2LineInfo.consumer)), Is.EqualTo((nint)32));
            Assert.That(Marshal.OffsetOf<GpioV2LineInfo>(nameof(GpioV2LineInfo.offset)), Is.EqualTo((nint)64));
            Assert.That(Marshal.OffsetOf<GpioV2LineInfo>(nameof(GpioV2LineInfo.flags)), Is.EqualTo((nint)72));
            Assert.That(Marshal.OffsetOf<GpioV2LineInfo>(nameof(GpioV2LineInfo.attrs)), Is.EqualTo((nint)80));
            Assert.That(Marshal.OffsetOf<GpioV2LineInfo>(nameof(GpioV2LineInfo.padding)), Is.EqualTo((nint)240));
        });
    }

    [Test]
    public void Ioctl_numbers_match_linux_gpio_h()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GpioV2.GetChipInfoIoctl, Is.EqualTo(0x8044B401u), "GPIO_GET_CHIPINFO_IOCTL");
            Assert.That(GpioV2.GetLineInfoIoctl, Is.EqualTo(0xC100B405u), "GPIO_V2_GET_LINEINFO_IOCTL");
            Assert.That(GpioV2.GetLineIoctl, Is.EqualTo(0xC250B407u), "GPIO_V2_GET_LINE_IOCTL");
            Assert.That(GpioV2.LineSetConfigIoctl, Is.EqualTo(0xC110B40Du), "GPIO_V2_LINE_SET_CONFIG_IOCTL");
            Assert.That(GpioV2.LineGetValuesIoctl, Is.EqualTo(0xC010B40Eu), "GPIO_V2_LINE_GET_VALUES_IOCTL");
            Assert.That(GpioV2.LineSetValuesIoctl, Is.EqualTo(0xC010B40Fu), "GPIO_V2_LINE_SET_VALUES_IOCTL");
        });
    }

    [Test]
    public void The_ioc_macros_place_direction_size_type_and_number()
    {
        Assert.Multiple(() =>
        {
            Assert.That(IoctlNumbers.IoR(0xB4, 0x01, 68), Is.EqualTo((2u << 30) | (68u << 16) | (0xB4u << 8) | 0x01u));
            Assert.That(IoctlNumbers.IoW(0x54, 0x02, 4), Is.EqualTo(0x40045402u));
            Assert.That(IoctlNumbers.IoWR(0xB4, 0x0C, 4), Is.EqualTo(0xC004B40Cu), "GPIO_GET_LINEINFO_UNWATCH_IOCTL, _IOWR with a __u32");
            Assert.That(() => IoctlNumbers.IoWR(0xB4, 0x07, 1 << 14), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    /// <summary>Compiles a few lines of C against the installed kernel header and compares its numbers with ours.</summary>
    [Test]
    [CancelAfter(60_000)]
    public async Task The_installed_kernel_header_agrees(CancellationToken ct)
    {
        const string Header = "/usr/include/linux/gpio.h";
        var cc = new[] { "/usr/bin/cc", "/usr/bin/gcc" }.FirstOrDefault(File.Exists);
        if (!File.Exists(Header) || cc is null)
        {
            Assert.Ignore($"needs {Header} (linux-libc-dev) and a C compiler; the constants above are checked against the header's values either way");
        }

        var dir = Directory.CreateTempSubdirectory("secdcc-gpioh-");
        try
        {
            var source = Path.Combine(dir.FullName, "probe.c");
            var binary = Path.Combine(dir.FullName, "probe");
            await File.WriteAllTextAsync(source, """
                #include <stdio.h>
                #include <stddef.h>
                #include <linux/gpio.h>
                int main(void) {
                  printf("%lu %lu %lu %lu %lu %lu\n",
                    (unsigned long)GPIO_GET_CHIPINFO_IOCTL, (unsigned long)GPIO_V2_GET_LINEINFO_IOCTL,
                    (unsigned long)GPIO_V2_GET_LINE_IOCTL, (unsigned long)GPIO_V2_LINE_SET_CONFIG_IOCTL,
                    (unsigned long)GPIO_V2_LINE_GET_VALUES_IOCTL, (unsigned long)GPIO_V2_LINE_SET_VALUES_IOCTL);
                  printf("%zu %zu %zu %zu\n", sizeof(struct gpio_v2_line_request), sizeof(struct gpio_v2_line_event),
                    offsetof(struct gpio_v2_line_request, fd), offsetof(struct gpio_v2_line_request, config));
                  return 0;
                }
                """, ct);
            await RunAsync(cc, [source, "-o", binary], ct);
            var output = (await RunAsync(binary, [], ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

            Assert.Multiple(() =>
            {
                Assert.That(output[0].Split(' ').Select(uint.Parse), Is.EqualTo(new[]
                {
                    GpioV2.GetChipInfoIoctl, GpioV2.GetLineInfoIoctl, GpioV2.GetLineIoctl,
                    GpioV2.LineSetConfigIoctl, GpioV2.LineGetValuesIoctl, GpioV2.LineSetValuesIoctl,
                }));
                Assert.That(output[1].Split(' ').Select(int.Parse), Is.EqualTo(new[]
                {
                    Unsafe.SizeOf<GpioV2LineRequest>(), Unsafe.SizeOf<GpioV2LineEvent>(),
                    (int)Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.fd)),
                    (int)Marshal.OffsetOf<GpioV2LineRequest>(nameof(GpioV2LineRequest.config)),
                }));
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void An_output_opened_high_asks_for_its_initial_value_in_an_attribute()
    {
        var request = LineRequestEncoder.Request(
            [new RequestedLine(17, new GpioLineConfig { Direction = GpioDirection.Output, InitialLevel = GpioLevel.High })],
            "secdcc relay esme-power");

        Assert.Multiple(() =>
        {
            Assert.That(request.num_lines, Is.EqualTo(1u));
            Assert.That(request.offsets[0], Is.EqualTo(17u));
            Assert.That(GpioV2.Text(request.consumer), Is.EqualTo("secdcc relay esme-power"));
            Assert.That(request.config.flags, Is.EqualTo(GpioV2.FlagOutput));
            Assert.That(request.config.num_attrs, Is.EqualTo(1u));
            Assert.That(request.config.attrs[0].attr.id, Is.EqualTo(GpioV2.AttrIdOutputValues));
            Assert.That(request.config.attrs[0].attr.values, Is.EqualTo(1UL));
            Assert.That(request.config.attrs[0].mask, Is.EqualTo(1UL));
            Assert.That(request.event_buffer_size, Is.Zero);
        });
    }

    [Test]
    public void An_input_with_edges_bias_and_debounce_sets_flags_and_a_debounce_attribute()
    {
        var request = LineRequestEncoder.Request(
            [new RequestedLine(4, new GpioLineConfig { Direction = GpioDirection.Input, Edges = GpioEdges.Both, Bias = GpioBias.PullUp, Debounce = TimeSpan.FromTicks(15_001) })],
            "secdcc pulse input esme",
            eventBufferSize: 64);

        Assert.Multiple(() =>
        {
            Assert.That(request.config.flags, Is.EqualTo(GpioV2.FlagInput | GpioV2.FlagEdgeRising | GpioV2.FlagEdgeFalling | GpioV2.FlagBiasPullUp));
            Assert.That(request.config.num_attrs, Is.EqualTo(1u));
            Assert.That(request.config.attrs[0].attr.id, Is.EqualTo(GpioV2.AttrIdDebounce));
            Assert.That(request.config.attrs[0].attr.debounce_period_us, Is.EqualTo(1501u), "1500.1 µs rounds up, never down");
            Assert.That(request.event_buffer_size, Is.EqualTo(64u));
        });
    }

    [Test]
    public void Lines_with_other_flags_than_most_get_a_flags_attribute_each_kind()
    {
        var output = new GpioLineConfig { Direction = GpioDirection.Output };
        var request = LineRequestEncoder.Request(
            [
                new RequestedLine(5, output),
                new RequestedLine(6, output with { InitialLevel = GpioLevel.High }),
                new RequestedLine(7, new GpioLineConfig { Direction = GpioDirection.Input, Edges = GpioEdges.Rising }),
                new RequestedLine(8, output),
                new RequestedLine(9, new GpioLineConfig { Direction = GpioDirection.Input, Edges = GpioEdges.Rising, Debounce = TimeSpan.FromMilliseconds(5) }),
            ],
            "secdcc");

        var attrs = Enumerable.Range(0, (int)request.config.num_attrs).Select(i => request.config.attrs[i]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(request.config.flags, Is.EqualTo(GpioV2.FlagOutput), "three of five lines are plain outputs");
            Assert.That(attrs, Has.Length.EqualTo(3));
            Assert.That((attrs[0].attr.id, attrs[0].attr.flags, attrs[0].mask), Is.EqualTo((GpioV2.AttrIdFlags, GpioV2.FlagInput | GpioV2.FlagEdgeRising, 0b10100UL)));
            Assert.That((attrs[1].attr.id, attrs[1].attr.values, attrs[1].mask), Is.EqualTo((GpioV2.AttrIdOutputValues, 0b00010UL, 0b01011UL)));
            Assert.That((attrs[2].attr.id, attrs[2].attr.debounce_period_us, attrs[2].mask), Is.EqualTo((GpioV2.AttrIdDebounce, 5000u, 0b10000UL)));
        });
    }

    [Test]
    public void More_than_ten_attributes_is_refused_with_the_fix()
    {
        var lines = Enumerable.Range(0, 12)
            .Select(i => new RequestedLine((uint)i, new GpioLineConfig { Direction = GpioDirection.Input, Debounce = TimeSpan.FromMilliseconds(i + 1) }))
            .ToArray();

        Assert.That(() => LineRequestEncoder.Request(lines, "secdcc"), Throws.ArgumentException.With.Message.Contains("split them into several requests"));
    }

    [Test]
    public void Edges_on_an_output_and_duplicate_lines_are_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(
                () => LineRequestEncoder.Flags(new GpioLineConfig { Direction = GpioDirection.Output, Edges = GpioEdges.Rising }),
                Throws.ArgumentException.With.Message.Contains("edge detection is for inputs only"));
            Assert.That(
                () => LineRequestEncoder.Request([new RequestedLine(3, new GpioLineConfig()), new RequestedLine(3, new GpioLineConfig())], "secdcc"),
                Throws.ArgumentException.With.Message.Contains("line 3 is in the request twice"));
        });
    }

    [Test]
    public void The_consumer_label_is_cut_to_leave_room_for_the_nul()
    {
        var request = LineRequestEncoder.Request([new RequestedLine(0, new GpioLineConfig())], new string('x', 40));
        var last = ((ReadOnlySpan<byte>)request.consumer)[31];

        Assert.Multiple(() =>
        {
            Assert.That(GpioV2.Text(request.consumer), Has.Length.EqualTo(31));
            Assert.That(last, Is.Zero);
        });
    }

    [Test]
    public void An_event_from_the_line_descriptor_decodes_to_an_edge_with_its_timestamp()
    {
        var e = new GpioV2LineEvent { timestamp_ns = 1_234_567_891_234, id = GpioV2.EventFallingEdge, offset = 27, seqno = 9, line_seqno = 4 };

        var edge = GpioChipBackend.Decode(e);

        Assert.That(edge, Is.EqualTo(new GpioEdgeEvent(27, GpioEdges.Falling, TimeSpan.FromTicks(12_345_678_912), 4)));
    }

    private static async Task<string> RunAsync(string file, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.That(process.ExitCode, Is.Zero, $"{file} {string.Join(' ', args)}: {await errors}");
        return await output;
    }
}
