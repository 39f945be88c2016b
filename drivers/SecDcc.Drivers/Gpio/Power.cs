namespace SecDcc.Drivers.Gpio;

public enum PowerState
{
    Off,
    On,
}

/// <summary>Switches a device's power: a relay on a GPIO line, or a person at the bench.</summary>
public interface IPowerSwitch
{
    /// <summary>What is switched ("esme"), for messages and reports.</summary>
    string Name { get; }

    ValueTask OnAsync(CancellationToken cancellationToken = default);

    ValueTask OffAsync(CancellationToken cancellationToken = default);

    /// <summary>Off, <paramref name="offTime"/> with the power off, then on. A cancelled cycle leaves the power off.</summary>
    ValueTask CycleAsync(TimeSpan offTime, CancellationToken cancellationToken = default);
}

/// <summary>Presses a device's button: a relay across its contacts, or a person at the bench.</summary>
public interface IButton
{
    string Name { get; }

    /// <summary>Holds the button down for <paramref name="duration"/>, then lets go (also when cancelled).</summary>
    ValueTask PressAsync(TimeSpan duration, CancellationToken cancellationToken = default);
}

/// <summary>Asks a person at the bench to do something and waits for them to confirm it is done.</summary>
/// <returns>True when they did it; false when they say they cannot.</returns>
public delegate ValueTask<bool> OperatorPrompt(string instruction, CancellationToken cancellationToken);

/// <summary>The person at the bench said they could not do what was asked.</summary>
public sealed class OperatorDeclinedException(string message) : InvalidOperationException(message);

/// <summary>How a relay is wired.</summary>
public sealed record RelayWiring
{
    /// <summary>The relay closes when the line is low (many relay boards' inputs are active-low).</summary>
    public bool ActiveLow { get; init; }

    /// <summary>The state the relay is put in when the line is opened; a line cannot be claimed as an output without one.</summary>
    public PowerState Initial { get; init; } = PowerState.Off;

    /// <summary>The clock for off-times and press durations.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>A device's power through a relay on a GPIO line. It opens the line, and closes it when disposed.</summary>
public sealed class RelayPowerSwitch : IPowerSwitch, IAsyncDisposable
{
    private readonly GpioController _controller;
    private readonly RelayWiring _wiring;

    private RelayPowerSwitch(GpioController controller, int line, string name, RelayWiring wiring)
    {
        _controller = controller;
        Line = line;
        Name = name;
        _wiring = wiring;
    }

    public string Name { get; }

    public int Line { get; }

    /// <summary>The state last switched to.</summary>
    public PowerState State { get; private set; }

    /// <summary>Opens <paramref name="line"/> as the relay of <paramref name="name"/>'s power, in <see cref="RelayWiring.Initial"/> state.</summary>
    public static async Task<RelayPowerSwitch> OpenAsync(GpioController controller, int line, string name, RelayWiring? wiring = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        wiring ??= new RelayWiring();
        var relay = new RelayPowerSwitch(controller, line, name, wiring);
        await controller.OpenAsync(
            line,
            GpioDirection.Output,
            new GpioOpenOptions { Label = $"relay '{name}-power'", InitialLevel = Relay.LevelFor(wiring.Initial == PowerState.On, wiring.ActiveLow) },
            cancellationToken).ConfigureAwait(false);
        relay.State = wiring.Initial;
        return relay;
    }

    public ValueTask OnAsync(CancellationToken cancellationToken = default) => SwitchAsync(PowerState.On, cancellationToken);

    public ValueTask OffAsync(CancellationToken cancellationToken = default) => SwitchAsync(PowerState.Off, cancellationToken);

    public async ValueTask CycleAsync(TimeSpan offTime, CancellationToken cancellationToken = default)
    {
        Relay.CheckDuration(offTime, Name, "off-time");
        await OffAsync(cancellationToken).ConfigureAwait(false);
        await Task.Delay(offTime, _wiring.TimeProvider, cancellationToken).ConfigureAwait(false);
        await OnAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _controller.CloseAsync(Line, CancellationToken.None);

    private async ValueTask SwitchAsync(PowerState state, CancellationToken cancellationToken)
    {
        await _controller.WriteAsync(Line, Relay.LevelFor(state == PowerState.On, _wiring.ActiveLow), cancellationToken).ConfigureAwait(false);
        State = state;
    }
}

/// <summary>A button pressed by a relay across its contacts. It opens the line released, and closes it when disposed.</summary>
public sealed class RelayButton : IButton, IAsyncDisposable
{
    private readonly GpioController _controller;
    private readonly RelayWiring _wiring;

    private RelayButton(GpioController controller, int line, string name, RelayWiring wiring)
    {
        _controller = controller;
        Line = line;
        Name = name;
        _wiring = wiring;
    }

    public string Name { get; }

    public int Line { get; }

    public static async Task<RelayButton> OpenAsync(GpioController controller, int line, string name, RelayWiring? wiring = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        wiring ??= new RelayWiring();
        await controller.OpenAsync(
            line,
            GpioDirection.Output,
            new GpioOpenOptions { Label = $"button '{name}'", InitialLevel = Relay.LevelFor(closed: false, wiring.ActiveLow) },
            cancellationToken).ConfigureAwait(false);
        return new RelayButton(controller, line, name, wiring);
    }

    public async ValueTask PressAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        Relay.CheckDuration(duration, Name, "press duration");
        await _controller.WriteAsync(Line, Relay.LevelFor(closed: true, _wiring.ActiveLow), cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(duration, _wiring.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Let go even when cancelled: a button left held would keep the device in whatever mode it enters.
            await _controller.WriteAsync(Line, Relay.LevelFor(closed: false, _wiring.ActiveLow), CancellationToken.None).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _controller.CloseAsync(Line, CancellationToken.None);
}

/// <summary>Power switched by a person: each step is asked through an <see cref="OperatorPrompt"/> and waits for their confirmation.</summary>
public sealed class ManualPowerSwitch(string name, OperatorPrompt prompt, TimeProvider? timeProvider = null) : IPowerSwitch
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Name { get; } = !string.IsNullOrWhiteSpace(name) ? name : throw new ArgumentException("a manual power switch needs the name of what it switches", nameof(name));

    public ValueTask OnAsync(CancellationToken cancellationToken = default) =>
        Manual.AskAsync(prompt, $"Switch the power of {Name} ON, then confirm.", cancellationToken);

    public ValueTask OffAsync(CancellationToken cancellationToken = default) =>
        Manual.AskAsync(prompt, $"Switch the power of {Name} OFF, then confirm.", cancellationToken);

    public async ValueTask CycleAsync(TimeSpan offTime, CancellationToken cancellationToken = default)
    {
        Relay.CheckDuration(offTime, Name, "off-time");
        await OffAsync(cancellationToken).ConfigureAwait(false);

        // The person confirms "off" once it is done, so the off-time counts from then.
        await Task.Delay(offTime, _time, cancellationToken).ConfigureAwait(false);
        await OnAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A button pressed by a person, asked through an <see cref="OperatorPrompt"/>.</summary>
public sealed class ManualButton(string name, OperatorPrompt prompt) : IButton
{
    public string Name { get; } = !string.IsNullOrWhiteSpace(name) ? name : throw new ArgumentException("a manual button needs a name", nameof(name));

    public ValueTask PressAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        Relay.CheckDuration(duration, Name, "press duration");
        return Manual.AskAsync(prompt, $"Press {Name} and hold it for {duration.TotalSeconds:0.#} s, then confirm.", cancellationToken);
    }
}

internal static class Manual
{
    public static async ValueTask AskAsync(OperatorPrompt prompt, string instruction, CancellationToken cancellationToken)
    {
        if (!await prompt(instruction, cancellationToken).ConfigureAwait(false))
        {
            throw new OperatorDeclinedException($"the operator did not confirm: \"{instruction}\"");
        }
    }
}

internal static class Relay
{
    public static GpioLevel LevelFor(bool closed, bool activeLow) => closed != activeLow ? GpioLevel.High : GpioLevel.Low;

    public static void CheckDuration(TimeSpan duration, string name, string what)
    {
        if (duration < TimeSpan.Zero || duration.TotalHours > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"{name}: a {what} of {duration} is not between zero and an hour");
        }
    }
}
