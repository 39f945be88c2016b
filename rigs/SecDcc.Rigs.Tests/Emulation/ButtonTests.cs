using SecDcc.Drivers.Tests.Fakes;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>A Device Model whose join window opens only when its button is pressed ('joinWindow: button, 60s').</summary>
public sealed class ButtonTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Test]
    [CancelAfter(30_000)]
    public async Task A_join_is_refused_until_the_button_opens_the_window_and_again_once_it_has_closed(CancellationToken ct)
    {
        var clock = new ManualTimeProvider();
        await using var connected = await ConnectedRig.StartAsync((state, wan) => WithBench(ButtonRig(state, wan)), ct, clock);
        var (rig, session) = (connected.Rig, connected.Session);
        await ConnectedRig.SucceedsAsync(session, Chf, id => new UpdateHanDeviceLog(id, HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty), ct);
        await Eventually.GetAsync(_ => Task.FromResult(rig.Hub.Reachable), r => r.Contains(Esme), Within, "the CHF hearing the ESME");

        var closed = await session.SendAsync(Esme, new JoinDevice(session.NewRequestId(Esme), Ihd, DeviceType.IHD), ct);
        Assert.Multiple(() =>
        {
            Assert.That(closed.Response.Succeeded, Is.False);
            Assert.That(closed.Response.Reason, Is.EqualTo(ResponseReason.Refused));
            Assert.That(closed.Response.Detail, Does.Contain("join window").And.Contain("press its button"));
        });

        await using var bench = new BenchHardware(rig.Definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
        var button = await bench.ButtonAsync("esme", ct);
        var pressing = button.PressAsync(TimeSpan.FromMilliseconds(200), ct);
        await Eventually.GetAsync(_ => Task.FromResult(rig["esme"].JoinWindowOpen), open => open, Within, "the button press opening the window");
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await pressing;
        await ConnectedRig.SucceedsAsync(session, Esme, id => new JoinDevice(id, Ihd, DeviceType.IHD), ct);

        clock.Advance(TimeSpan.FromSeconds(61));
        var late = await session.SendAsync(Esme, new JoinDevice(session.NewRequestId(Esme), Ppmid, DeviceType.PPMID), ct);
        Assert.That(late.Response.Reason, Is.EqualTo(ResponseReason.Refused), "the window closes 60 s after the press");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_power_cut_closes_an_open_window_and_a_press_without_power_does_nothing(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var rig = await EmulatedRig.StartAsync(WithBench(ButtonRig(folder.Path, null)), new EmulatorOptions(), ct);
        var esme = rig["esme"];
        esme.PressButton();
        Assert.That(esme.JoinWindowOpen, Is.True);

        await rig.PowerOffAsync("esme");
        esme.PressButton();
        await rig.PowerOnAsync("esme", ct);
        Assert.That(esme.JoinWindowOpen, Is.False, "the window is volatile, and the press without power was not seen");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_model_without_a_join_window_admits_joins_whether_or_not_the_button_was_pressed(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var rig = await EmulatedRig.StartAsync(WithBench(Small(folder.Path)), new EmulatorOptions(), ct);
        Assert.That(rig["esme"].JoinWindowOpen, Is.True);
    }

    private static RigDefinition ButtonRig(string state, WanConnection? wan)
    {
        var rig = Small(state, wan: wan);
        return rig with
        {
            Devices = rig.Devices.Select(d => d.Type == DeviceType.ESME ? d with { Model = d.Model with { JoinWindow = new JoinWindowPolicy(TimeSpan.FromSeconds(60)) } } : d).ToList(),
        };
    }
}
