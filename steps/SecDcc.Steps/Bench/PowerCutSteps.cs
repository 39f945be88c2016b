using NUnit.Framework;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Emulation.State;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Bench;

/// <summary>
/// Commissioning steps driven through the bench's own gateway, with a device's supply cut through its relay while
/// it carries them out; afterwards what it reports and what its state file holds must agree, with nothing half done.
/// </summary>
[Binding]
public sealed class PowerCutSteps(BenchWorld bench)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private Task<string>? _inFlight;
    private int _eventsBefore;
    private ulong _hubPowerUps;

    [Given("^the power of \"([^\"]+)\" is cut$")]
    public async Task GivenCut(string device) => await CutAsync(device);

    [When("^the power of \"([^\"]+)\" is cut and restored$")]
    public async Task WhenCutAndRestored(string device)
    {
        _hubPowerUps = (await StateAsync("chf")).PowerUpCount;
        _eventsBefore = bench.EventCount;
        await CutAsync(device);
        await RestoreAsync(device);
    }

    [When("^the power of \"([^\"]+)\" is restored$")]
    public Task WhenRestored(string device) => RestoreAsync(device);

    [Given("^\"([^\"]+)\" is on the hub's HAN$")]
    public async Task GivenOnHan(string device)
    {
        await SucceedsAsync("chf", Whitelist(device));
        var id = bench.Rig[device].Id;
        await bench.WaitForEventAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == id, $"the hub's HAN alert for {device} (AC 4.4)");
    }

    private const string CutAtOnce = " and the power of \"([^\"]+)\" is cut at once$";

    [When("^the gateway sends 'Update HAN Device Log' adding \"([^\"]+)\" to \"([^\"]+)\"$")]
    public Task WhenWhitelist(string device, string chf) => SendAsync(chf, Whitelist(device), cut: null);

    [When("^the gateway sends 'Update HAN Device Log' adding \"([^\"]+)\" to \"([^\"]+)\"" + CutAtOnce)]
    public Task WhenWhitelistCut(string device, string chf, string cut) => SendAsync(chf, Whitelist(device), cut);

    [When("^the gateway sends 'Join Service' joining \"([^\"]+)\" to \"([^\"]+)\"$")]
    public Task WhenJoin(string device, string meter) => SendAsync(meter, Join(device), cut: null);

    [When("^the gateway sends 'Join Service' joining \"([^\"]+)\" to \"([^\"]+)\"" + CutAtOnce)]
    public Task WhenJoinCut(string device, string meter, string cut) => SendAsync(meter, Join(device), cut);

    [When("^the gateway sends 'Commission Device' to \"([^\"]+)\"$")]
    public Task WhenCommission(string meter) => SendAsync(meter, id => new CommissionDevice(id), cut: null);

    [When("^the gateway sends 'Commission Device' to \"([^\"]+)\"" + CutAtOnce)]
    public Task WhenCommissionCut(string meter, string cut) => SendAsync(meter, id => new CommissionDevice(id), cut);

    [Then("^the hub connects again with its 'connected' communication, counting one more power-up$")]
    public async Task ThenHubReconnects()
    {
        var connected = await bench.WaitForEventAsync<HubConnectedEvent>(e => true, "the restarted hub's 'connected' communication", _eventsBefore);
        Assert.That(connected.Alert.PowerUpCount, Is.EqualTo(_hubPowerUps + 1));
    }

    [Then("^what \"([^\"]+)\" reports over its local port is what its state file holds$")]
    public async Task ThenConsistent(string device)
    {
        var reported = await StateAsync(device);
        var file = new StateFile(bench.Rig[device].StatePath);
        var held = file.Load() ?? throw new AssertionException($"{device} has no state file at {file.Path} after its restart");
        var logInFile = held.DeviceLog.Select(r => $"{r.DeviceType} {r.DeviceId}").ToList();
        var logReported = reported.JoinedDevices.Select(e => $"{e.DeviceType} {e.DeviceId}").ToList();
        bench.Context.Attach($"{device} after the cut", $"in flight: {(_inFlight is { IsCompleted: true } f ? await f : "(nothing)")}{Environment.NewLine}reported: commissioned {reported.Commissioned}, power-ups {reported.PowerUpCount}, log [{string.Join(", ", logReported)}]{Environment.NewLine}state file: commissioned {held.Commissioned}, power-ups {held.PowerUpCount}, log [{string.Join(", ", logInFile)}]");
        Assert.Multiple(() =>
        {
            Assert.That(reported.Commissioned, Is.EqualTo(held.Commissioned), "commissioned flag");
            Assert.That(reported.PowerUpCount, Is.EqualTo(held.PowerUpCount), "power-up count");
            Assert.That(logReported, Is.EqualTo(logInFile), "Device Log");
            Assert.That(logReported, Is.Unique, "no entry half-added twice");
            Assert.That(file.InterruptedWrites(), Is.Empty, "no part-written state left beside the file");
        });
    }

    [Then("^the Device Log of \"([^\"]+)\" holds \"([^\"]+)\" exactly once$")]
    public async Task ThenLogHoldsOnce(string owner, string device)
    {
        var id = bench.Rig[device].Id;
        var reported = await StateAsync(owner);
        Assert.That(reported.JoinedDevices.Count(e => e.DeviceId == id), Is.EqualTo(1), string.Join(", ", reported.JoinedDevices));
        await ThenConsistent(owner);
    }

    [Then("^the hub alerts that it can communicate over the HAN with \"([^\"]+)\"$")]
    public async Task ThenAlert(string device)
    {
        var id = bench.Rig[device].Id;
        var alert = await bench.WaitForEventAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == id, $"the hub's HAN alert for {device} once it is back (AC 4.4)");
        Assert.That(alert.Alert.ChfId, Is.EqualTo(bench.Rig["chf"].Id));
    }

    [Then("^\"([^\"]+)\" reports itself commissioned, as its state file does$")]
    public async Task ThenCommissioned(string meter)
    {
        Assert.That((await StateAsync(meter)).Commissioned, Is.True);
        await ThenConsistent(meter);
    }

    private Func<RequestId, DeviceCommand> Whitelist(string device) =>
        id => new UpdateHanDeviceLog(id, HanLogAction.Add, bench.Rig[device].Id, bench.Rig[device].Type, Octets.Empty);

    private Func<RequestId, DeviceCommand> Join(string device) => id => new JoinDevice(id, bench.Rig[device].Id, bench.Rig[device].Type);

    /// <summary>Sends a command through the bench gateway; with a device to cut, its relay opens as soon as the command is on its way.</summary>
    private async Task SendAsync(string target, Func<RequestId, DeviceCommand> make, string? cut)
    {
        if (cut is null)
        {
            await SucceedsAsync(target, make);
            return;
        }

        var session = bench.Session;
        var id = bench.Rig[target].Id;
        var command = make(session.NewRequestId(id));
        _inFlight = OutcomeAsync(session, id, command);
        await CutAsync(cut);
        bench.Context.Attach($"{command.Describe()} to {target}, power cut in flight", await _inFlight);
    }

    private async Task<CommandResponse> SucceedsAsync(string target, Func<RequestId, DeviceCommand> make)
    {
        var session = bench.Session;
        var id = bench.Rig[target].Id;
        var command = make(session.NewRequestId(id));
        var outcome = await session.SendAsync(id, command, bench.Ct);
        Assert.That(outcome.Response.Succeeded, Is.True, $"{command.Describe()} to {target}: {outcome.Response.Reason} {outcome.Response.Detail}");
        return outcome.Response;
    }

    /// <summary>What became of a command whose device lost power: its response, or why there was none.</summary>
    private async Task<string> OutcomeAsync(WanSession session, Eui64 target, DeviceCommand command)
    {
        try
        {
            var outcome = await session.SendAsync(target, command, bench.Ct);
            return $"answered before the power went: {(outcome.Response.Succeeded ? "success" : $"{outcome.Response.Reason} {outcome.Response.Detail}")}";
        }
        catch (WanTimeoutException e)
        {
            return $"no response: {e.Message}";
        }
        catch (IOException e)
        {
            return $"no response, the session ended: {e.Message}";
        }
    }

    private async Task CutAsync(string device)
    {
        await (await bench.Bench.PowerAsync(device, bench.Ct)).OffAsync(bench.Ct);
        await UntilAsync(() => !bench.Rig[device].IsPoweredOn, $"{device} going down with its relay open");
    }

    /// <summary>Closes the relay and waits until the device answers; a restarted hub is taken back by the gateway.</summary>
    private async Task RestoreAsync(string device)
    {
        await (await bench.Bench.PowerAsync(device, bench.Ct)).OnAsync(bench.Ct);
        await UntilAsync(() => bench.Rig[device].IsPoweredOn, $"{device} coming back with its relay closed");
        if (bench.Rig[device].Type == DeviceType.CHF)
        {
            await bench.AcceptHubAsync();
        }
    }

    private async Task<DeviceStateInfo> StateAsync(string device)
    {
        await using var port = bench.Ports.OpenLocalPort(device);
        return await port.ReadStateAsync(bench.Ct);
    }

    private async Task UntilAsync(Func<bool> condition, string what)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(bench.Ct);
        deadline.CancelAfter(Within);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (!condition())
            {
                await poll.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!bench.Ct.IsCancellationRequested)
        {
            throw new RigFaultException($"{what} did not happen within {Within.TotalSeconds:0} s: the relay does not switch the device");
        }
    }
}
