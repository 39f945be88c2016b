using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Gpio.Simulated;
using SecDcc.Drivers.Tests.Fakes;

namespace SecDcc.Drivers.Tests.Gpio;

/// <summary>What an emulator relies on in the simulated bank: its clock, its output events, its idle levels.</summary>
[TestFixture]
public sealed class SimulatedBankTests
{
    [Test]
    public async Task Edges_are_stamped_by_the_banks_time_provider()
    {
        var time = new ManualTimeProvider(TimeSpan.FromSeconds(100));
        await using var rig = new SimulatedRig(time);
        await rig.Controller.OpenAsync(rig.InputLine, GpioDirection.Input, new GpioOpenOptions { Edges = GpioEdges.Both });
        using var watcher = rig.Controller.Watch(rig.InputLine);

        rig.Bank.DriveInput(rig.InputLine, GpioLevel.High);
        time.Advance(TimeSpan.FromMilliseconds(40));
        rig.Bank.DriveInput(rig.InputLine, GpioLevel.Low);

        var gotRise = watcher.TryRead(out var rise);
        var gotFall = watcher.TryRead(out var fall);
        Assert.That(gotRise && gotFall, Is.True, "both edges reported at once");
        Assert.Multiple(() =>
        {
            Assert.That(rise.Timestamp, Is.EqualTo(TimeSpan.FromSeconds(100)));
            Assert.That(fall.Timestamp, Is.EqualTo(TimeSpan.FromSeconds(100.04)));
            Assert.That((rise.Sequence, fall.Sequence), Is.EqualTo((1L, 2L)));
        });
    }

    [Test]
    public async Task Driving_an_input_to_the_level_it_has_is_no_edge()
    {
        await using var rig = new SimulatedRig();
        await rig.Controller.OpenAsync(rig.InputLine, GpioDirection.Input, new GpioOpenOptions { Edges = GpioEdges.Both });
        using var watcher = rig.Controller.Watch(rig.InputLine);

        rig.Bank.DriveInput(rig.InputLine, GpioLevel.Low);
        rig.Bank.DriveInput(rig.InputLine, GpioLevel.High);
        rig.Bank.DriveInput(rig.InputLine, GpioLevel.High);

        var edges = new List<GpioEdges>();
        while (watcher.TryRead(out var e))
        {
            edges.Add(e.Edge);
        }

        Assert.That(edges, Is.EqualTo(new[] { GpioEdges.Rising }));
    }

    [Test]
    public async Task The_emulator_is_told_of_every_output_change_by_line_name()
    {
        await using var rig = new SimulatedRig();
        var changes = new List<SimulatedOutputChange>();
        rig.Bank.OutputChanged += changes.Add;

        var power = await rig.Controller.OpenAsync("esme-power", GpioDirection.Output, new GpioOpenOptions { InitialLevel = GpioLevel.High });
        await rig.Controller.WriteAsync(power, GpioLevel.High);
        await rig.Controller.WriteAsync(power, GpioLevel.Low);

        Assert.Multiple(() =>
        {
            Assert.That(changes.Select(c => (c.Name, c.Level)), Is.EqualTo(new[] { ("esme-power", GpioLevel.High), ("esme-power", GpioLevel.Low) }), "writing the level it has is no change");
            Assert.That(rig.Bank.GetOutput("esme-power"), Is.EqualTo(GpioLevel.Low));
        });
    }

    [Test]
    public async Task An_undriven_input_reads_as_its_bias()
    {
        await using var rig = new SimulatedRig();
        await rig.Controller.OpenAsync(1, GpioDirection.Input, new GpioOpenOptions { Bias = GpioBias.PullUp });
        await rig.Controller.OpenAsync(3, GpioDirection.Input, new GpioOpenOptions { Bias = GpioBias.PullDown });

        Assert.That((await rig.Controller.ReadAsync(1), await rig.Controller.ReadAsync(3)), Is.EqualTo((GpioLevel.High, GpioLevel.Low)));
    }

    [Test]
    public async Task Lines_are_found_by_number_or_name_and_unknown_ones_are_listed()
    {
        await using var rig = new SimulatedRig();

        var unknown = Assert.Throws<ArgumentException>(() => rig.Controller.ResolveLine("gsme-power"));

        Assert.Multiple(() =>
        {
            Assert.That(rig.Controller.ResolveLine("ESME-PULSE"), Is.EqualTo(2));
            Assert.That(rig.Controller.ResolveLine("3"), Is.EqualTo(3));
            Assert.That(unknown!.Message, Does.StartWith("simulated GPIO bank 'bench' has no line named 'gsme-power'; its lines are 0 esme-power, 1 esme-button, 2 esme-pulse, 3"));
            Assert.That(() => rig.Controller.ResolveLine("9"), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("has no line 9"));
        });
    }

    [Test]
    public void Duplicate_line_names_are_refused() =>
        Assert.That(
            () => new SimulatedGpioBank("bench", ["power", "POWER"]),
            Throws.ArgumentException.With.Message.Contains("line name 'power' is given twice"));

    [Test]
    public async Task Counting_for_a_window_counts_only_pulses_inside_it()
    {
        var time = new ManualTimeProvider();
        await using var rig = new SimulatedRig(time);
        await rig.Controller.OpenAsync(rig.InputLine, GpioDirection.Input, new GpioOpenOptions { Edges = GpioEdges.Rising });
        rig.Bank.Pulse(rig.InputLine);

        var counting = PulseCounter.CountAsync(rig.Controller, rig.InputLine, TimeSpan.FromSeconds(10), time);
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            rig.Bank.Pulse(rig.InputLine);
        }

        time.Advance(TimeSpan.FromSeconds(7));
        var count = await counting.WaitAsync(TimeSpan.FromSeconds(10));
        rig.Bank.Pulse(rig.InputLine);

        Assert.Multiple(() =>
        {
            Assert.That(count.Count, Is.EqualTo(3), "the pulse before the window and the one after are not counted");
            Assert.That(count.Timestamps, Is.EqualTo(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3) }));
            Assert.That(count.Window, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(count.ToString(), Is.EqualTo("3 pulses on line 2 (esme-pulse) in 10 s"));
        });
    }

    [Test]
    public async Task A_pulse_counter_needs_rising_edge_detection()
    {
        await using var rig = new SimulatedRig();
        await rig.Controller.OpenAsync(rig.InputLine, GpioDirection.Input, new GpioOpenOptions { Label = "pulse input 'esme'", Edges = GpioEdges.Falling });

        Assert.That(
            () => PulseCounter.Start(rig.Controller, rig.InputLine),
            Throws.InvalidOperationException.With.Message.EqualTo(
                "cannot watch line 2 (pulse input 'esme') for rising edges: it was opened with edge detection falling; open it with Edges = GpioEdges.Rising"));
    }
}
