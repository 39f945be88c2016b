using SecDcc.Drivers.Gpio;

namespace SecDcc.Drivers.Tests.Gpio;

/// <summary>
/// What every GPIO backend must do behind the controller, written once and run over each backend by a
/// subclass: the simulated bank, the serial module through a pseudo-terminal, and a real chip with loopback
/// wires when one is declared.
/// </summary>
[CancelAfter(20_000)]
public abstract class GpioControllerContract
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private IGpioTestRig _rig = null!;

    protected IGpioTestRig Rig => _rig;

    protected GpioController Controller => _rig.Controller;

    protected abstract Task<IGpioTestRig> CreateRigAsync();

    [SetUp]
    public async Task CreateRig() => _rig = await CreateRigAsync();

    [TearDown]
    public async Task DisposeRig()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    [Test]
    public async Task An_output_drives_what_the_device_sees(CancellationToken ct)
    {
        await Controller.OpenAsync(Rig.OutputLine, GpioDirection.Output, new GpioOpenOptions { InitialLevel = GpioLevel.Low }, ct);
        var initially = await Rig.ObserveOutputAsync(ct);

        await Controller.WriteAsync(Rig.OutputLine, GpioLevel.High, ct);
        var afterHigh = await Rig.ObserveOutputAsync(ct);
        var readBack = await Controller.ReadAsync(Rig.OutputLine, ct);

        await Controller.WriteAsync(Rig.OutputLine, GpioLevel.Low, ct);
        var afterLow = await Rig.ObserveOutputAsync(ct);

        Assert.Multiple(() =>
        {
            Assert.That(initially, Is.EqualTo(GpioLevel.Low), "opened at its initial level");
            Assert.That(afterHigh, Is.EqualTo(GpioLevel.High));
            Assert.That(readBack, Is.EqualTo(GpioLevel.High), "reading an output gives the level it drives");
            Assert.That(afterLow, Is.EqualTo(GpioLevel.Low));
        });
    }

    [Test]
    public async Task An_output_opened_high_starts_high(CancellationToken ct)
    {
        await Controller.OpenAsync(Rig.OutputLine, GpioDirection.Output, new GpioOpenOptions { InitialLevel = GpioLevel.High }, ct);

        Assert.That(await Rig.ObserveOutputAsync(ct), Is.EqualTo(GpioLevel.High));
    }

    [Test]
    public async Task An_input_reads_what_the_device_drives(CancellationToken ct)
    {
        await Controller.OpenAsync(Rig.InputLine, GpioDirection.Input, cancellationToken: ct);

        await Rig.DriveInputAsync(GpioLevel.High, ct);
        var high = await Controller.ReadAsync(Rig.InputLine, ct);
        await Rig.DriveInputAsync(GpioLevel.Low, ct);
        var low = await Controller.ReadAsync(Rig.InputLine, ct);

        Assert.That((high, low), Is.EqualTo((GpioLevel.High, GpioLevel.Low)));
    }

    [Test]
    public async Task Edges_come_in_order_with_timestamps_that_do_not_go_back(CancellationToken ct)
    {
        await OpenInputAsync(GpioEdges.Both, ct);
        using var watcher = Controller.Watch(Rig.InputLine);
        var before = Controller.Now;

        var edges = new List<GpioEdgeEvent>();
        foreach (var level in new[] { GpioLevel.High, GpioLevel.Low, GpioLevel.High, GpioLevel.Low })
        {
            await Rig.DriveInputAsync(level, ct);
            edges.Add(await watcher.NextAsync(ct).AsTask().WaitAsync(Deadline, ct));
        }

        Assert.Multiple(() =>
        {
            Assert.That(edges.Select(e => e.Edge), Is.EqualTo(new[] { GpioEdges.Rising, GpioEdges.Falling, GpioEdges.Rising, GpioEdges.Falling }));
            Assert.That(edges.Select(e => e.Line), Is.All.EqualTo(Rig.InputLine));
            Assert.That(edges.Select(e => e.Timestamp), Is.Ordered);
            Assert.That(edges[0].Timestamp, Is.GreaterThanOrEqualTo(before), "stamped on the clock Controller.Now reads");
            Assert.That(edges[^1].Timestamp, Is.LessThanOrEqualTo(Controller.Now));
            Assert.That(edges.Select(e => e.Sequence), Is.Ordered.And.Unique);
        });
    }

    [Test]
    public async Task A_rising_only_watcher_does_not_see_falling_edges(CancellationToken ct)
    {
        await OpenInputAsync(GpioEdges.Both, ct);
        using var rising = Controller.Watch(Rig.InputLine, GpioEdges.Rising);
        using var all = Controller.Watch(Rig.InputLine);

        await PulseAsync(all, ct);
        await PulseAsync(all, ct);

        var seen = new List<GpioEdges>();
        while (rising.TryRead(out var e))
        {
            seen.Add(e.Edge);
        }

        Assert.That(seen, Is.EqualTo(new[] { GpioEdges.Rising, GpioEdges.Rising }));
    }

    [Test]
    public async Task A_callback_gets_each_edge(CancellationToken ct)
    {
        await OpenInputAsync(GpioEdges.Both, ct);
        using var pacer = Controller.Watch(Rig.InputLine);
        var got = new List<GpioEdges>();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (Controller.OnEdge(Rig.InputLine, GpioEdges.Both, e =>
        {
            lock (got)
            {
                got.Add(e.Edge);
                if (got.Count == 2)
                {
                    both.TrySetResult();
                }
            }
        }, ct))
        {
            await PulseAsync(pacer, ct);
            await both.Task.WaitAsync(Deadline, ct);
        }

        Assert.That(got, Is.EqualTo(new[] { GpioEdges.Rising, GpioEdges.Falling }));
    }

    [Test]
    public async Task The_pulse_counter_counts_each_pulse_the_device_gives(CancellationToken ct)
    {
        await OpenInputAsync(GpioEdges.Both, ct);
        using var pacer = Controller.Watch(Rig.InputLine);
        using var counter = PulseCounter.Start(Controller, Rig.InputLine);

        for (var i = 0; i < 5; i++)
        {
            await PulseAsync(pacer, ct);
        }

        var count = counter.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(count.Count, Is.EqualTo(5));
            Assert.That(count.Timestamps, Is.Ordered);
            Assert.That(count.Timestamps, Is.All.InRange(count.From, count.To));
            Assert.That(count.Description, Does.Contain($"line {Rig.InputLine}"));
        });
    }

    [Test]
    public async Task Writing_an_input_is_refused_naming_the_line_and_what_it_is_for(CancellationToken ct)
    {
        await Controller.OpenAsync(Rig.InputLine, GpioDirection.Input, new GpioOpenOptions { Label = "pulse input 'esme'" }, ct);

        var e = Assert.ThrowsAsync<InvalidOperationException>(async () => await Controller.WriteAsync(Rig.InputLine, GpioLevel.High, ct));

        Assert.That(e!.Message, Is.EqualTo($"cannot write line {Rig.InputLine} (pulse input 'esme'): it is not open as an output (it is an input); open it with GpioDirection.Output"));
    }

    [Test]
    public void Using_a_line_that_is_not_open_is_refused(CancellationToken ct)
    {
        var write = Assert.ThrowsAsync<InvalidOperationException>(async () => await Controller.WriteAsync(Rig.OutputLine, GpioLevel.High, ct));
        var read = Assert.ThrowsAsync<InvalidOperationException>(async () => await Controller.ReadAsync(Rig.InputLine, ct));
        var watch = Assert.Throws<InvalidOperationException>(() => Controller.Watch(Rig.InputLine));

        Assert.Multiple(() =>
        {
            Assert.That(write!.Message, Does.StartWith($"cannot write line {Rig.OutputLine}").And.Contain("it is not open"));
            Assert.That(read!.Message, Does.StartWith($"cannot read line {Rig.InputLine}").And.Contain("it is not open"));
            Assert.That(watch!.Message, Does.StartWith($"cannot watch line {Rig.InputLine}").And.Contain("it is not open"));
        });
    }

    [Test]
    public async Task Opening_a_line_twice_is_refused(CancellationToken ct)
    {
        await Controller.OpenAsync(Rig.OutputLine, GpioDirection.Output, new GpioOpenOptions { Label = "relay 'esme-power'" }, ct);

        var e = Assert.ThrowsAsync<InvalidOperationException>(async () => await Controller.OpenAsync(Rig.OutputLine, GpioDirection.Output, cancellationToken: ct));

        Assert.That(e!.Message, Does.Contain("already open as an output (line").And.Contain("relay 'esme-power'"));
    }

    [Test]
    public async Task Watching_edges_the_line_was_not_opened_for_is_refused(CancellationToken ct)
    {
        await Controller.OpenAsync(Rig.InputLine, GpioDirection.Input, new GpioOpenOptions { Label = "pulse input 'esme'" }, ct);

        var e = Assert.Throws<InvalidOperationException>(() => Controller.Watch(Rig.InputLine, GpioEdges.Rising));

        Assert.That(e!.Message, Does.Contain("opened with edge detection off").And.Contain("Edges = GpioEdges.Rising"));
    }

    [Test]
    public async Task Closing_a_line_ends_its_watchers_and_frees_it(CancellationToken ct)
    {
        await OpenInputAsync(GpioEdges.Both, ct);
        using var watcher = Controller.Watch(Rig.InputLine);

        await Controller.CloseAsync(Rig.InputLine, ct);
        var next = Assert.ThrowsAsync<InvalidOperationException>(async () => await watcher.NextAsync(ct));
        await Controller.OpenAsync(Rig.InputLine, GpioDirection.Input, cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(next!.Message, Does.Contain("the line was closed"));
            Assert.That(Controller.IsOpen(Rig.InputLine), Is.True, "open again after the close");
        });
    }

    [Test]
    public async Task A_relay_power_switch_switches_and_cycles_with_active_low_wiring(CancellationToken ct)
    {
        var seen = new List<GpioLevel>();
        await using var power = await RelayPowerSwitch.OpenAsync(Controller, Rig.OutputLine, "esme", new RelayWiring { ActiveLow = true, Initial = PowerState.On }, ct);
        seen.Add(await Rig.ObserveOutputAsync(ct));

        await power.OffAsync(ct);
        seen.Add(await Rig.ObserveOutputAsync(ct));
        await power.OnAsync(ct);
        seen.Add(await Rig.ObserveOutputAsync(ct));
        await power.CycleAsync(TimeSpan.FromMilliseconds(1), ct);
        seen.Add(await Rig.ObserveOutputAsync(ct));

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(new[] { GpioLevel.Low, GpioLevel.High, GpioLevel.Low, GpioLevel.Low }), "active-low: on is low");
            Assert.That(power.State, Is.EqualTo(PowerState.On));
            Assert.That(Controller.Describe(Rig.OutputLine), Is.EqualTo($"line {Rig.OutputLine} (relay 'esme-power')"));
        });
    }

    [Test]
    public async Task A_relay_button_is_released_after_the_press(CancellationToken ct)
    {
        await using var button = await RelayButton.OpenAsync(Controller, Rig.OutputLine, "esme display button", cancellationToken: ct);
        var before = await Rig.ObserveOutputAsync(ct);

        await button.PressAsync(TimeSpan.FromMilliseconds(1), ct);

        Assert.Multiple(async () =>
        {
            Assert.That(before, Is.EqualTo(GpioLevel.Low), "opened released");
            Assert.That(await Rig.ObserveOutputAsync(ct), Is.EqualTo(GpioLevel.Low), "released after the press");
        });
    }

    [Test]
    public async Task A_line_can_be_turned_round(CancellationToken ct)
    {
        var line = Controller.Lines.First(l => l.Can(GpioCapabilities.Input | GpioCapabilities.Output)).Number;
        await Controller.OpenAsync(line, GpioDirection.Output, cancellationToken: ct);

        await Controller.SetDirectionAsync(line, GpioDirection.Input, cancellationToken: ct);

        Assert.That(Controller.DirectionOf(line), Is.EqualTo(GpioDirection.Input));
    }

    protected ValueTask OpenInputAsync(GpioEdges edges, CancellationToken ct) =>
        Controller.OpenAsync(Rig.InputLine, GpioDirection.Input, new GpioOpenOptions { Label = "pulse input 'esme'", Edges = edges }, ct);

    /// <summary>
    /// One pulse from the device, paced by the edges the harness reports: a polling backend needs the level to
    /// last until its next poll, and this waits for exactly that rather than for a fixed time.
    /// </summary>
    protected async Task PulseAsync(GpioEdgeWatcher pacer, CancellationToken ct)
    {
        await Rig.DriveInputAsync(GpioLevel.High, ct);
        Assert.That((await pacer.NextAsync(ct).AsTask().WaitAsync(Deadline, ct)).Edge, Is.EqualTo(GpioEdges.Rising));
        await Rig.DriveInputAsync(GpioLevel.Low, ct);
        Assert.That((await pacer.NextAsync(ct).AsTask().WaitAsync(Deadline, ct)).Edge, Is.EqualTo(GpioEdges.Falling));
    }
}

[TestFixture]
public sealed class SimulatedBankContractTests : GpioControllerContract
{
    protected override Task<IGpioTestRig> CreateRigAsync() => Task.FromResult<IGpioTestRig>(new SimulatedRig());
}

[TestFixture]
public sealed class SerialModuleContractTests : GpioControllerContract
{
    protected override async Task<IGpioTestRig> CreateRigAsync() => await SerialModuleRig.CreateAsync();
}

/// <summary>Needs a GPIO chip and two loopback wires; ignored with the reason otherwise.</summary>
[TestFixture]
[Category("needs-gpio-chip")]
public sealed class CharacterDeviceContractTests : GpioControllerContract
{
    protected override async Task<IGpioTestRig> CreateRigAsync() => await ChipLoopbackRig.CreateOrIgnoreAsync();
}
