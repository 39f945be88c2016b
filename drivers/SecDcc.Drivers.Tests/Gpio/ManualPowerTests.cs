using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Tests.Fakes;

namespace SecDcc.Drivers.Tests.Gpio;

/// <summary>The manual drivers: same protocols as the relays, with a person confirming each step.</summary>
[TestFixture]
public sealed class ManualPowerTests
{
    [Test]
    public async Task Each_step_is_asked_and_the_off_time_starts_after_off_is_confirmed()
    {
        var time = new ManualTimeProvider();
        var asked = new List<(string Instruction, TimeSpan At)>();
        var power = new ManualPowerSwitch("esme", (instruction, _) =>
        {
            asked.Add((instruction, time.Elapsed));
            return ValueTask.FromResult(true);
        }, time);

        var cycling = power.CycleAsync(TimeSpan.FromSeconds(5)).AsTask();
        Assert.That(asked, Has.Count.EqualTo(1), "off asked at once; on waits for the off-time");
        time.Advance(TimeSpan.FromSeconds(5));
        await cycling.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(asked, Is.EqualTo(new[]
        {
            ("Switch the power of esme OFF, then confirm.", TimeSpan.Zero),
            ("Switch the power of esme ON, then confirm.", TimeSpan.FromSeconds(5)),
        }));
    }

    [Test]
    public void A_step_the_operator_declines_fails_quoting_it()
    {
        var power = new ManualPowerSwitch("esme", (_, _) => ValueTask.FromResult(false));

        Assert.That(
            async () => await power.OnAsync(),
            Throws.InstanceOf<OperatorDeclinedException>().With.Message.EqualTo("the operator did not confirm: \"Switch the power of esme ON, then confirm.\""));
    }

    [Test]
    public async Task A_manual_button_asks_for_the_press_and_its_duration()
    {
        string? asked = null;
        var button = new ManualButton("the ESME's display button", (instruction, _) =>
        {
            asked = instruction;
            return ValueTask.FromResult(true);
        });

        await button.PressAsync(TimeSpan.FromSeconds(3));

        Assert.That(asked, Is.EqualTo("Press the ESME's display button and hold it for 3 s, then confirm."));
    }

    [Test]
    public void The_prompt_gets_the_callers_token()
    {
        using var cts = new CancellationTokenSource();
        var power = new ManualPowerSwitch("esme", async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return true;
        });

        var off = power.OffAsync(cts.Token).AsTask();
        cts.Cancel();

        Assert.That(async () => await off, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_relay_press_cancelled_midway_still_lets_go()
    {
        var time = new ManualTimeProvider();
        await using var rig = new SimulatedRig();
        await using var button = await RelayButton.OpenAsync(rig.Controller, 1, "esme button", new RelayWiring { TimeProvider = time });
        using var cts = new CancellationTokenSource();

        var pressing = button.PressAsync(TimeSpan.FromSeconds(2), cts.Token).AsTask();
        var heldDown = rig.Bank.GetOutput(1);
        await cts.CancelAsync();

        Assert.That(async () => await pressing, Throws.InstanceOf<OperationCanceledException>());
        Assert.That((heldDown, rig.Bank.GetOutput(1)), Is.EqualTo((GpioLevel.High, GpioLevel.Low)));
    }
}
