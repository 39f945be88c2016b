using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Support;

/// <summary>The conforming behaviours the probe checks; each quirk must break exactly one.</summary>
public enum Behaviour
{
    /// <summary>Every frame the hub sends verifies with its sender's Device Certificate.</summary>
    WanSignaturesVerify,

    /// <summary>Each device reports the firmware hash its Device Model file (the CPL) lists.</summary>
    FirmwareHashMatchesModel,

    /// <summary>The CHF raises the AC 4.4 alert for each device it whitelisted, once the device is on the HAN.</summary>
    HanAlertRaised,

    /// <summary>Every command gets a response within the DCC's timeout.</summary>
    ResponsesInTime,

    /// <summary>A meter joins a Type 2 device (an IHD).</summary>
    Type2JoinAccepted,

    /// <summary>Device Logs read the same after a restart.</summary>
    DeviceLogSurvivesRestart,

    /// <summary>Nothing the hub sends is refused by the session for any other reason (wrong sender, unexpected message).</summary>
    HubMessagesAccepted,
}

public sealed record ProbeReport(IReadOnlySet<Behaviour> Failed, IReadOnlyList<string> Notes)
{
    public override string ToString() =>
        $"failed: [{string.Join(", ", Failed)}]{Environment.NewLine}{string.Join(Environment.NewLine, Notes)}";
}

/// <summary>
/// Takes an emulated rig through the commissioning flow with a fake gateway, then restarts it, and reports which
/// conforming behaviours it saw broken. Responses that arrive but cannot be verified still count as arriving, so a
/// wrong WAN key breaks only the signature behaviour.
/// </summary>
public static class ConformanceProbe
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    public static async Task<ProbeReport> RunAsync(Func<string, WanConnection, RigDefinition> makeRig, TimeSpan responseTimeout, CancellationToken ct)
    {
        using var folder = new TempFolder();
        await using var gateway = new FakeGateway();
        var log = new MemoryEmulatorLog();
        var definition = makeRig(folder.Path, gateway.Wan);
        var options = new EmulatorOptions { DccCertificate = gateway.Certificate, Log = log };
        var failed = new HashSet<Behaviour>();
        var notes = new List<string>();
        var rig = await EmulatedRig.StartAsync(definition, options, ct);
        try
        {
            using var directory = new DeviceCertificateDirectory(rig.DeviceIssuerCertificates);
            var session = await gateway.AcceptAsync(directory, responseTimeout, Within);
            var events = new EventRecorder(session);
            var probe = new Run(session, events, failed, notes, ct);

            await events.WaitForAsync<WanEvent>(e => e is HubConnectedEvent || IsRejected(e, MessageTypes.HubConnected, Chf), Within, "the hub's 'connected' communication");

            foreach (var device in rig.Devices)
            {
                await using var port = LocalPortClient.Open(device.LocalPortPath);
                var identity = await port.ReadIdentityAsync(ct);
                if (identity.Model.FirmwareHash != device.Model.FirmwareHash)
                {
                    failed.Add(Behaviour.FirmwareHashMatchesModel);
                    notes.Add($"{device.Name} reports firmware hash {identity.Model.FirmwareHash}, its model file says {device.Model.FirmwareHash}");
                }
            }

            foreach (var (id, type) in new[] { (Esme, DeviceType.ESME), (Ihd, DeviceType.IHD) })
            {
                await probe.CommandAsync(Chf, new UpdateHanDeviceLog(session.NewRequestId(Chf), HanLogAction.Add, id, type, Octets.Empty));
                await using (var chf = LocalPortClient.Open(rig["chf"].LocalPortPath))
                {
                    await Eventually.GetAsync(chf.ReadStateAsync, s => s.ReachableDevices.Contains(id), Within, $"the CHF hearing {type} {id} on the HAN");
                }

                // A round trip through the CHF after it admitted the device: its alert, sent first, is in by now.
                await probe.CommandAsync(Chf, new ReadDeviceLog(session.NewRequestId(Chf)));
                if (!events.All.Any(e => e is HanDeviceAlertEvent a && a.Alert.DeviceId == id || IsRejected(e, MessageTypes.HanDeviceAlert, Chf)))
                {
                    failed.Add(Behaviour.HanAlertRaised);
                    notes.Add($"no HAN alert for {type} {id} although the CHF has it on the HAN");
                }
            }

            var join = await probe.CommandAsync(Esme, new JoinDevice(session.NewRequestId(Esme), Ihd, DeviceType.IHD));
            if (join is { Succeeded: false })
            {
                failed.Add(Behaviour.Type2JoinAccepted);
                notes.Add($"the ESME refused to join the IHD: {join.Reason} {join.Detail}");
            }

            await probe.CommandAsync(Esme, new CommissionDevice(session.NewRequestId(Esme)));

            var before = await ReadLogsAsync(rig, ct);
            await rig.DisposeAsync();
            rig = await EmulatedRig.StartAsync(definition, options, ct);
            var after = await ReadLogsAsync(rig, ct);
            foreach (var (name, entries) in before)
            {
                if (!after[name].SequenceEqual(entries))
                {
                    failed.Add(Behaviour.DeviceLogSurvivesRestart);
                    notes.Add($"{name}'s Device Log was [{string.Join(", ", entries)}] before the restart and [{string.Join(", ", after[name])}] after");
                }
            }

            foreach (var rejected in events.Of<FrameRejectedEvent>())
            {
                failed.Add(Behaviour.WanSignaturesVerify);
                notes.Add($"gateway: {rejected}");
            }

            foreach (var refused in events.Of<MessageRejectedEvent>())
            {
                failed.Add(Behaviour.HubMessagesAccepted);
                notes.Add($"gateway refused {refused.Frame}: {refused.Reason}");
            }

            return new ProbeReport(failed, notes);
        }
        finally
        {
            await rig.DisposeAsync();
            TestContext.Out.WriteLine(log);
        }
    }

    private static bool IsRejected(WanEvent e, ushort messageType, Eui64 sender) =>
        e is FrameRejectedEvent { Drop.Header: { } h } && h.MessageType == messageType && h.Sender == sender;

    private static async Task<Dictionary<string, DeviceLogEntry[]>> ReadLogsAsync(EmulatedRig rig, CancellationToken ct)
    {
        var logs = new Dictionary<string, DeviceLogEntry[]>();
        foreach (var device in rig.Devices.Where(d => d.Type.OwnsDeviceLog()))
        {
            await using var port = LocalPortClient.Open(device.LocalPortPath);
            logs[device.Name] = [.. await port.ReadDeviceLogAsync(ct)];
        }

        return logs;
    }

    private sealed class Run(WanSession session, EventRecorder events, HashSet<Behaviour> failed, List<string> notes, CancellationToken ct)
    {
        /// <summary>
        /// Sends a command. A verified response is returned. A response that arrives in time but does not verify
        /// returns null (the signature behaviour is judged from the dropped frame); no response in time breaks
        /// <see cref="Behaviour.ResponsesInTime"/>.
        /// </summary>
        public async Task<CommandResponse?> CommandAsync(Eui64 target, DeviceCommand command)
        {
            var from = events.All.Count;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var send = session.SendAsync(target, command, ct);
            var unverifiable = events.FirstAsync<FrameRejectedEvent>(
                r => r.Drop.Header is { } h && h.MessageType == MessageTypes.CommandResponse && h.Sender == target,
                from,
                stop.Token);
            if (await Task.WhenAny(send, unverifiable) == unverifiable && await unverifiable is not null)
            {
                _ = send.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                notes.Add($"{command.Describe()} to {target}: a response came but did not verify");
                return null;
            }

            await stop.CancelAsync();
            try
            {
                return (await send).Response;
            }
            catch (WanTimeoutException e)
            {
                failed.Add(Behaviour.ResponsesInTime);
                notes.Add(e.Message);
                return null;
            }
        }
    }
}
