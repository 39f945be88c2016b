using NUnit.Framework;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Bench;

/// <summary>
/// Commissioning steps a Supplier sends through the DCC to the bench's devices over the SM WAN, with a device's supply
/// cut through its relay while it carries one out; afterwards the SMI (read from the DCC) and each device's
/// non-volatile state (read over its local port, held against its state file) must agree, with nothing half done.
/// </summary>
[Binding]
public sealed class PowerCutSteps(DccBench bench)
{
    private const string Device = "(hub|Electricity Smart Meter|PPMID)";
    private const string CutAtOnce = ", and the power of the " + Device + " is cut at once$";
    private string? _interrupted;
    private RequestOutcome? _interruptedOutcome;
    private DccReply<string>? _last;
    private (long Sequence, ulong PowerUps) _hubBefore;

    [Given("^the Responsible Supplier's SMETS1 system is on the bench, its hub connected to the DCC's SM WAN gateway and its Electricity Smart Meter and PPMID pre-notified$")]
    public Task GivenBench() => bench.StartAsync();

    // ---- power ---------------------------------------------------------------------------------------------

    [Given("^the power of the " + Device + " is cut$")]
    public Task GivenCut(string device) => CutAsync(device);

    [When("^the power of the " + Device + " is cut and restored$")]
    public async Task WhenCutAndRestored(string device)
    {
        _hubBefore = ((await bench.LastCommunicationAsync()).Sequence, (await bench.StateAsync(bench.Part("hub"))).PowerUpCount);
        await CutAsync(device);
        await RestoreAsync(device);
    }

    [When("^the power of the " + Device + " is restored$")]
    public Task WhenRestored(string device) => RestoreAsync(device);

    // ---- requests ------------------------------------------------------------------------------------------

    [Given("^the " + Device + " is on the hub's HAN, 'installed not commissioned'$")]
    public async Task GivenOnHan(string device)
    {
        var part = bench.Part(device);
        await CompletesAsync(await WhitelistAsync(part));
        var record = await bench.ReadWhenAsync(part, SmiStatus.InstalledNotCommissioned);
        Assert.That(record.Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned), $"set-up: the hub's HAN alert for the {device} should have moved it to 'installed not commissioned' (AC 4.4)");
    }

    [When("^the Supplier sends 'Update HAN Device Log' adding the " + Device + " to the hub$")]
    public async Task WhenWhitelist(string device) => _last = await WhitelistAsync(bench.Part(device));

    [When("^the Supplier sends 'Update HAN Device Log' adding the " + Device + " to the hub" + CutAtOnce)]
    public async Task WhenWhitelistCut(string device, string cut) => await InterruptAsync(await WhitelistAsync(bench.Part(device)), cut);

    [When("^the Supplier sends 'Join Service' joining the " + Device + " to the " + Device + "$")]
    public async Task WhenJoin(string device, string meter) => _last = await JoinAsync(device, meter);

    [When("^the Supplier sends 'Join Service' joining the " + Device + " to the " + Device + CutAtOnce)]
    public async Task WhenJoinCut(string device, string meter, string cut) => await InterruptAsync(await JoinAsync(device, meter), cut);

    [When("^the Supplier sends 'Commission Device' to the " + Device + CutAtOnce)]
    public async Task WhenCommissionCut(string meter, string cut) => await InterruptAsync(await CommissionAsync(meter), cut);

    [When("^the Supplier sends 'Commission Device' to the " + Device + " again, unless the SMI already shows it commissioned$")]
    public async Task WhenCommissionAgain(string meter)
    {
        var part = bench.Part(meter);
        if ((await bench.ReadAsync(part.Smi.Label))?.Status == SmiStatus.Commissioned)
        {
            bench.Context.Attach("Commission Device not sent again", $"the SMI already shows the {meter} {part.Smi.Id} commissioned, from request {_interrupted}");
            _last = null;
            return;
        }

        _last = await CommissionAsync(meter);
        await CompletesAsync(_last);
    }

    [Then("^the request ends once, as completed or as failed$")]
    public async Task ThenEndsOnce()
    {
        var id = _interrupted ?? throw new StepArgumentException("No request was interrupted by a power cut in this scenario.");
        var outcome = await bench.OutcomeAsync(id);
        var again = await bench.ReadOutcomeAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Completed, Is.True);
            Assert.That(again.Json, Is.EqualTo(outcome.Json), "a request's outcome, once given, does not change");
            if (!outcome.Succeeded && outcome.NoResponse is null)
                Assert.That(outcome.Json, Does.Contain("\"deviceResponse\""), "a failure with neither a timeout nor a lost connection carries the device's own answer");
        });
        _interruptedOutcome = outcome;
    }

    [Then("^the request completes$")]
    public async Task ThenCompletes() => await CompletesAsync(_last ?? throw new StepArgumentException("No request was sent by a When step."));

    // ---- agreement -----------------------------------------------------------------------------------------

    [Then("^the " + Device + " and the SMI agree on whether the " + Device + " is in the " + Device + "'s Device Log$")]
    public async Task ThenMeterLogAgrees(string owner, string device, string ownerAgain)
    {
        Assert.That(ownerAgain, Is.EqualTo(owner), "the step names one Device Log");
        var meter = bench.Part(owner);
        var part = bench.Part(device);
        var record = await bench.ReadAsync(part.Smi.Label);

        // The SMI keeps a CHF's Device Log as the Devices it Associates with the CHF (AC 4.3(a)), a meter's as the Devices joined to it (AC 4.7).
        var inSmi = owner == "hub"
            ? string.Equals(record?.ChfId, meter.Smi.Id, StringComparison.OrdinalIgnoreCase)
            : record?.JoinedTo.Contains(meter.Smi.Id, StringComparer.OrdinalIgnoreCase) == true;
        await AgreesAsync(meter, part, inSmi, $"the SMI records the {device} in the {owner}'s Device Log: {inSmi} (status {Installer.Words(record?.Status)})");
    }

    [Then("^the " + Device + " and the SMI agree on whether it is commissioned$")]
    public async Task ThenCommissionAgrees(string meter)
    {
        var part = bench.Part(meter);
        var record = await bench.ReadAsync(part.Smi.Label);
        var inSmi = record?.Status == SmiStatus.Commissioned;
        var state = await ConsistentAsync(part);
        Judge(state.Commissioned, inSmi, $"the {meter} reports itself commissioned: {state.Commissioned}; the SMI shows it {Installer.Words(record?.Status)}");
    }

    [Then("^the Device Log of the " + Device + " holds the " + Device + " exactly once, as the SMI does$")]
    public async Task ThenHeldOnce(string owner, string device)
    {
        var ownerPart = bench.Part(owner);
        var part = bench.Part(device);
        var state = await ConsistentAsync(ownerPart);
        var id = Eui64Of(part);
        int inSmi;
        if (owner == "hub")
        {
            var hub = SmiWorld.Need(await bench.World.Client.ReadHubAsync(ownerPart.Smi.Id, bench.Ct), "read the hub's Devices from the SMI");
            inSmi = hub.Devices.Count(d => string.Equals(d.DeviceId, part.Smi.Id, StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            var record = await bench.World.ReadAsync(part.Smi);
            inSmi = record.JoinedTo.Count(t => string.Equals(t, ownerPart.Smi.Id, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Multiple(() =>
        {
            Assert.That(state.JoinedDevices.Count(e => e.DeviceId == id), Is.EqualTo(1), $"the {owner}'s Device Log as it reports it: {string.Join(", ", state.JoinedDevices)}");
            Assert.That(inSmi, Is.EqualTo(1), $"the {device} in the {owner}'s Device Log as the SMI records it");
        });
    }

    [Then("^what the " + Device + " reports over its local port is what its state file holds$")]
    public async Task ThenConsistent(string device) => await ConsistentAsync(bench.Part(device));

    [Then("^the " + Device + " reports itself commissioned, as its state file does$")]
    public async Task ThenReportsCommissioned(string meter)
    {
        var state = await ConsistentAsync(bench.Part(meter));
        Assert.That(state.Commissioned, Is.True, $"the {meter} over its local port");
    }

    [StepDefinition("^the SMI shows the " + Device + " as " + P.Status + "$")]
    public async Task ThenSmiShows(string device, SmiStatus status)
    {
        var record = await bench.ReadWhenAsync(bench.Part(device), status);
        Assert.That(record.Status, Is.EqualTo(status), $"Read Inventory of the {device} {record.DeviceId} should show '{Installer.Words(status)}'");
    }

    [Then("^the SMI shows the " + Device + " as 'commissioned', after exactly one completed 'Commission Device'$")]
    public async Task ThenCommissionedOnce(string meter)
    {
        await ThenSmiShows(meter, SmiStatus.Commissioned);
        var commissions = new List<RequestOutcome>();
        foreach (var sent in bench.Sent.Where(r => r.Srv == "8.1.1").ToList())
            commissions.Add(await bench.ReadOutcomeAsync(sent.RequestId));
        bench.Context.Attach("Commission Device requests", string.Join(Environment.NewLine, commissions));
        Assert.That(commissions.Count(c => c.Succeeded), Is.EqualTo(1), string.Join("; ", commissions));
    }

    [Then("^a further 'Commission Device' to the " + Device + " is refused under AC 4\\.12\\(b\\)$")]
    public async Task ThenFurtherRefused(string meter)
    {
        var reply = await CommissionAsync(meter);
        Assert.That(reply.Refusal?.Clause, Is.EqualTo("AC-4.12(b)"), reply.Refusal?.ToString() ?? $"the DCC accepted {reply.Value} and sent the Command again");
    }

    [Then("^the hub connects to the DCC's SM WAN gateway again, counting one more power-up$")]
    public async Task ThenHubReconnects()
    {
        (long Sequence, string? Status) seen = default;
        await bench.Eventually(async () => (seen = await bench.LastCommunicationAsync()).Sequence > _hubBefore.Sequence, "the restarted hub's 'connected' communication at the DCC's gateway (AC 4.1)");
        var state = await bench.StateAsync(bench.Part("hub"));
        bench.Context.Attach("hub after the cut", $"the DCC's gateway: 'connected' communication {seen.Sequence} (before the cut {_hubBefore.Sequence}), CHF status after it {seen.Status}{Environment.NewLine}the hub: power-ups {state.PowerUpCount} (before the cut {_hubBefore.PowerUps}), WAN {state.WanState}");
        Assert.That(state.PowerUpCount, Is.EqualTo(_hubBefore.PowerUps + 1));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /// <summary>8.11 adding the Device to the hub's log; a Smart Meter's MPxN is the one sent before, when it is sent again.</summary>
    private async Task<DccReply<string>> WhitelistAsync(BenchPart part)
    {
        var parameters = new Dictionary<string, string> { ["device"] = part.Smi.Id };
        var mpxns = bench.World.SentMpxns.TryGetValue(part.Smi.Label, out var sent) ? sent : await bench.World.MpxnsForAsync(part.Smi);
        if (mpxns is not null)
            parameters["mpxns"] = string.Join(',', mpxns);
        return await bench.SendAsync("8.11", bench.Part("hub").Smi.Id, parameters);
    }

    private Task<DccReply<string>> JoinAsync(string device, string meter) =>
        bench.SendAsync(bench.Part(device).Smi.IsType1 ? "8.7.1" : "8.7.2", bench.Part(meter).Smi.Id, new Dictionary<string, string> { ["device"] = bench.Part(device).Smi.Id });

    private Task<DccReply<string>> CommissionAsync(string meter) => bench.SendAsync("8.1.1", bench.Part(meter).Smi.Id, new Dictionary<string, string>());

    /// <summary>A request the DCC accepted, whose device loses power as soon as the DCC has sent the Command.</summary>
    private async Task InterruptAsync(DccReply<string> reply, string cut)
    {
        Assert.That(reply.Accepted, Is.True, $"the DCC should accept {reply.Request} and send its Command: {reply.Refusal}");
        _interrupted = reply.Value;
        await CutAsync(cut);
    }

    private async Task CompletesAsync(DccReply<string> reply)
    {
        Assert.That(reply.Accepted, Is.True, $"the DCC should accept {reply.Request} and send its Command: {reply.Refusal}");
        var outcome = await bench.OutcomeAsync(reply.Value!);
        Assert.That(outcome.Succeeded, Is.True, $"request {outcome}: {outcome.Json}");
    }

    /// <summary>
    /// The interrupted step held against both records. What the SMI records must be in the device: the SMI moves only on
    /// the device's Response, sent after the device has saved its state. What the device holds and the SMI does not is
    /// allowed only when the request ended without a Response (lost with the power); sending it again completes it.
    /// </summary>
    private async Task AgreesAsync(BenchPart owner, BenchPart device, bool inSmi, string smiSays)
    {
        var state = await ConsistentAsync(owner);
        var inDevice = state.JoinedDevices.Any(e => e.DeviceId == Eui64Of(device));
        Judge(inDevice, inSmi, $"the {owner.Phrase}'s Device Log holds the {device.Phrase}: {inDevice}; {smiSays}");
    }

    private void Judge(bool inDevice, bool inSmi, string facts)
    {
        var outcome = _interruptedOutcome ?? throw new StepArgumentException("Agreement is judged after 'the request ends once': no outcome was read.");
        var verdict = (outcome.Succeeded, inDevice, inSmi) switch
        {
            (true, true, true) => "done on both sides: the device executed it and the SMI acted on its Response",
            (false, false, false) => "done on neither side",
            (false, true, false) when outcome.NoResponse is not null => "done in the device alone, its Response lost with the power; sending the request again completes it in the SMI",
            _ => null,
        };
        bench.Context.Attach("after the cut", $"{facts}{Environment.NewLine}request {outcome}{Environment.NewLine}{verdict ?? "HALF DONE"}{Environment.NewLine}relays:{Environment.NewLine}{bench.GpioEvents()}");
        Assert.That(verdict, Is.Not.Null, $"Half done after the power cut: {facts}; request {outcome}.");
    }

    /// <summary>What the device reports over its local port, checked against its state file.</summary>
    private async Task<DeviceStateInfo> ConsistentAsync(BenchPart part)
    {
        var reported = await bench.StateAsync(part);
        var (held, file) = bench.StateFileOf(part);
        var logInFile = held.DeviceLog.Select(r => $"{r.DeviceType} {r.DeviceId}").ToList();
        var logReported = reported.JoinedDevices.Select(e => $"{e.DeviceType} {e.DeviceId}").ToList();
        bench.Context.Attach($"{part.Phrase}: local port and state file",
            $"reported: commissioned {reported.Commissioned}, power-ups {reported.PowerUpCount}, log [{string.Join(", ", logReported)}]{Environment.NewLine}state file {file.Path}: commissioned {held.Commissioned}, power-ups {held.PowerUpCount}, log [{string.Join(", ", logInFile)}]");
        Assert.Multiple(() =>
        {
            Assert.That(reported.Commissioned, Is.EqualTo(held.Commissioned), "commissioned flag");
            Assert.That(reported.PowerUpCount, Is.EqualTo(held.PowerUpCount), "power-up count");
            Assert.That(logReported, Is.EqualTo(logInFile), "Device Log");
            Assert.That(logReported, Is.Unique, "no entry half-added twice");
            Assert.That(file.InterruptedWrites(), Is.Empty, "no part-written state left beside the file");
        });
        return reported;
    }

    private static Drivers.Link.Eui64 Eui64Of(BenchPart part) => Drivers.Link.Eui64.Parse(part.Smi.Id);

    private async Task CutAsync(string device)
    {
        await bench.CutAsync(bench.Part(device));
        bench.Context.Attach($"power of the {device} cut", bench.GpioEvents());
    }

    private async Task RestoreAsync(string device)
    {
        await bench.RestoreAsync(bench.Part(device));
        bench.Context.Attach($"power of the {device} restored", bench.GpioEvents());
    }
}
