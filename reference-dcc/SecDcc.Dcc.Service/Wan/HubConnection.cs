using System.Collections.Concurrent;
using SecDcc.Dcc.Service.Devices;
using SecDcc.DeviceProtocol.Encoding;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using static SecDcc.Dcc.Service.Wan.PreparedCommand;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>What every hub connection shares with the gateway.</summary>
public sealed record WanGatewayContext(
    ReferenceDcc Dcc,
    WanStatistics Statistics,
    HubDirectory Hubs,
    OutcomeDispatcher Outcomes,
    WanAdapterRegistry Adapters,
    WanSmiGate Gate,
    ILogger Log,
    CredentialResponses Credentials);

/// <summary>A "connected" communication naming <paramref name="ChfId"/>: the CHF's status after it, or why the SMI refused to act on it.</summary>
/// <param name="Sequence">Increases with every communication the gateway records, so a watcher can tell a new one from the last.</param>
public sealed record CommunicationRecord(long Sequence, Inventory.DeviceId ChfId, string? Status, Refusal? Refusal);

/// <summary>
/// One hub's WAN connection: the session its adapter runs, the session's events taken in the order they came (so a
/// Response is applied to the SMI before the HAN alert that followed it), and the Commands waiting for Responses.
/// </summary>
public sealed class HubConnection : IAsyncDisposable
{
    private readonly IWanSession _session;
    private readonly WanGatewayContext _gateway;
    private readonly ConcurrentDictionary<RequestId, InFlight> _inFlight = new();
    private readonly Lock _alertGate = new();
    private readonly Dictionary<Eui64, List<HanDeviceAlert>> _deferredAlerts = [];
    private readonly HashSet<(Eui64 Chf, bool OriginOnly)> _refusalsRecorded = [];
    private readonly CancellationTokenSource _stop = new();
    private const int MaxRefusalsRecorded = 16;
    private static long _communications;
    private volatile string _commissioning = "no 'connected' communication yet";
    private volatile CommunicationRecord? _lastCommunication;
    private volatile object? _chfId;

    public HubConnection(IWanSession session, IWanAdapter adapter, string peer, WanGatewayContext gateway)
    {
        _session = session;
        Adapter = adapter;
        Peer = peer;
        _gateway = gateway;
    }

    public IWanAdapter Adapter { get; }
    public string Peer { get; }
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The CHF this connection speaks for, once its "connected" communication has been verified.</summary>
    public Eui64? ChfId => _chfId is Eui64 id ? id : null;

    /// <summary>What the DCC made of the CHF's last "connected" communication (AC 4.1–4.2), in words.</summary>
    public string Commissioning => _commissioning;

    /// <summary>The last "connected" communication on this connection and what the SMI made of it (AC 4.1–4.2).</summary>
    public CommunicationRecord? LastCommunication => _lastCommunication;

    public int CommandsInFlight => _inFlight.Count;

    /// <summary>Frames accepted and bytes received so far, for a session whose link reports them.</summary>
    public (long Frames, long Bytes) Link => _session is WanSession s ? (s.Statistics.FramesAccepted, s.Statistics.BytesReceived) : (0, 0);

    private SmiService Smi => _gateway.Dcc.Inventory;

    /// <summary>Reads the session's events until it ends; closes it when no CHF identifies itself within <paramref name="identifyTimeout"/>.</summary>
    public async Task RunAsync(TimeSpan identifyTimeout, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _stop.Token);
        var ct = linked.Token;
        var watchdog = CloseUnlessIdentifiedAsync(identifyTimeout, ct);
        try
        {
            await foreach (var e in _session.Events.ReadAllAsync(ct))
            {
                try
                {
                    await HandleAsync(e, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One event the DCC could not act on (the store briefly unavailable) must not end the hub's connection.
                    _gateway.Log.LogError(ex, "WAN {Peer}: could not act on {Event}", Peer, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The gateway is stopping, or this connection was replaced or timed out.
        }
        finally
        {
            _gateway.Hubs.Remove(this);
            await _session.DisposeAsync();
            if (_session is WanSession s)
                _gateway.Statistics.LinkEnded(s.Statistics.FramesAccepted, s.Statistics.BytesReceived);
            _gateway.Statistics.ConnectionClosed();
            await _stop.CancelAsync();
            await watchdog;
        }
    }

    /// <summary>Sends a prepared Command; the Response (or its absence) completes it later. A failure here means nothing was sent.</summary>
    public Outcome<DeviceRequestAccepted> Send(PreparedCommand prepared)
    {
        var id = _session.NewRequestId(prepared.RecipientEui);
        var flight = new InFlight(prepared, id);
        _inFlight[id] = flight;
        Task<CommandOutcome> sending;
        try
        {
            sending = _session.SendAsync(prepared.RecipientEui, prepared.Build(id), _stop.Token);
        }
        catch (ArgumentException e)
        {
            _inFlight.TryRemove(id, out _);
            return NotSent(e.Message);
        }

        // The session writes the Command before its first real wait, so a send that failed at once has faulted by now.
        if (sending.IsFaulted)
        {
            _inFlight.TryRemove(id, out _);
            return NotSent(sending.Exception!.InnerException!.Message);
        }

        _gateway.Statistics.CommandSent();
        _ = ObserveAsync(flight, sending);
        return new DeviceRequestAccepted(prepared.Request.RequestId, prepared.Request.Target, _gateway.Dcc.Clock.UtcNow);

        Outcome<DeviceRequestAccepted> NotSent(string why) => new Refusal("WAN", "CommandNotSent",
            $"The Command for {prepared.Request.ServiceReferenceVariant} to {prepared.Recipient.Id} could not be sent over the WAN connection of CHF {ChfId} ({Peer}): {why}",
            RefusalKind.Conflict, "target");
    }

    /// <summary>
    /// Closes the connection (the gateway stopping, or the CHF connected again and this connection was replaced). The
    /// session stops reading, but what it had already received is still acted on by <see cref="RunAsync"/>: a Response
    /// that came before a hub's power cut is the Device's word that it executed the Command (AC 4.3, 4.7, 4.13).
    /// </summary>
    public async ValueTask DisposeAsync() => await _session.DisposeAsync();

    private async Task CloseUnlessIdentifiedAsync(TimeSpan identifyTimeout, CancellationToken ct)
    {
        try
        {
            await Task.Delay(identifyTimeout, ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (_chfId is null)
        {
            _gateway.Statistics.IdentifyTimedOut();
            _gateway.Log.LogInformation("WAN {Peer}: no verified 'connected' communication within {Timeout}; closing", Peer, identifyTimeout);
            await _session.DisposeAsync();
        }
    }

    private Task HandleAsync(WanEvent e, CancellationToken ct) => e switch
    {
        HubConnectedEvent connected => OnConnectedAsync(connected.Alert, ct),
        HanDeviceAlertEvent alert => OnHanAlertAsync(alert.Alert, ct),
        ResponseEvent response => OnResponseAsync(response, ct),
        CertificateEvent certificate => Count(() => _gateway.Statistics.Certificate(certificate.Accepted)),
        FrameRejectedEvent rejected => OnFrameRejectedAsync(rejected.Drop, ct),
        MessageRejectedEvent rejected => OnMessageRejectedAsync(rejected, ct),
        _ => Task.CompletedTask,
    };

    private static Task Count(Action count)
    {
        count();
        return Task.CompletedTask;
    }

    /// <summary>AC 4.1–4.2: the session has verified the communication comes unaltered from the CHF it names.</summary>
    private async Task OnConnectedAsync(HubConnectedAlert alert, CancellationToken ct)
    {
        var chfId = Wire.Device(alert.ChfId);

        // The adapter is chosen by the CHF's Device Model (docs/decisions/1102); a hub is known only once it has said who it is.
        if (await _gateway.Gate.RunAsync(() => Smi.ReadInventoryAsync(chfId, ct), ct) is { IsSuccess: true } listed
            && _gateway.Adapters.For(listed.Value.Model.Manufacturer, listed.Value.Model.Model) is var chosen && chosen != Adapter)
        {
            _commissioning = $"CHF {chfId} of Device Model {listed.Value.Model} speaks {chosen.Name}, not {Adapter.Name}; connect it to the gateway port for its protocol";
            _gateway.Log.LogWarning("WAN {Peer}: {Problem}", Peer, _commissioning);
            await _stop.CancelAsync();
            return;
        }

        var outcome = await _gateway.Gate.RunAsync(() => Smi.ChfCommunicationReceivedAsync(new ChfCommunication(chfId, IntegrityVerified: true, OriginVerified: true), ct), ct);
        _gateway.Statistics.ChfCommunication(outcome.Refusal);
        Record(chfId, outcome);
        _gateway.Log.LogInformation("WAN {Peer}: CHF {Chf} connected: {Result}", Peer, chfId, _commissioning);

        // The route is kept even when the SMI refuses to Commission the CHF: AC 2.7 is checked on every request, so a
        // CHF not (yet) listed still gets nothing.
        _chfId = alert.ChfId;
        if (_gateway.Hubs.Route(alert.ChfId, this) is { } replaced)
            await replaced.DisposeAsync();
    }

    /// <summary>
    /// AC 4.4: the CHF can communicate over the HAN with a Device. A CHF alerts only for a Device in its log, so an alert
    /// that comes while our 8.11 adding that Device awaits its Response has overtaken the Response (the CHF hears the
    /// Device on the HAN while the Response is still on its way): it waits until the Response has been applied (AC 4.3).
    /// </summary>
    private async Task OnHanAlertAsync(HanDeviceAlert alert, CancellationToken ct)
    {
        lock (_alertGate)
        {
            if (_inFlight.Values.Any(f => f.Prepared.Whitelists == alert.DeviceId))
            {
                if (!_deferredAlerts.TryGetValue(alert.DeviceId, out var waiting))
                    _deferredAlerts[alert.DeviceId] = waiting = [];
                waiting.Add(alert);
                return;
            }
        }

        await ApplyHanAlertAsync(alert, ct);
    }

    /// <summary>Applies the alerts that waited for the 8.11 adding <paramref name="device"/>, once that request has ended.</summary>
    private async Task ApplyDeferredAlertsAsync(Eui64? device, CancellationToken ct)
    {
        if (device is not { } id)
            return;
        List<HanDeviceAlert>? waiting;
        lock (_alertGate)
        {
            if (_inFlight.Values.Any(f => f.Prepared.Whitelists == id) || !_deferredAlerts.Remove(id, out waiting))
                return;
        }

        foreach (var alert in waiting)
            await ApplyHanAlertAsync(alert, ct);
    }

    private async Task ApplyHanAlertAsync(HanDeviceAlert alert, CancellationToken ct)
    {
        var outcome = await _gateway.Gate.RunAsync(() => Smi.HanAlertReceivedAsync(new HanAlert(Wire.Device(alert.ChfId), Wire.Device(alert.DeviceId)), ct), ct);
        _gateway.Statistics.HanAlert(outcome.Refusal);
        if (!outcome.IsSuccess)
            _gateway.Log.LogInformation("WAN {Peer}: HAN alert for {Device} not acted on: {Refusal}", Peer, alert.DeviceId, outcome.Refusal);
    }

    private async Task OnResponseAsync(ResponseEvent e, CancellationToken ct)
    {
        _gateway.Statistics.Response();
        // A Response after the timeout changes nothing: its request already ended with a timeout outcome.
        if (e.Late || !TryEnd(e.Response.RequestId, out var flight) || !flight.TryFinish())
        {
            _gateway.Statistics.LateResponse();
            return;
        }

        var response = e.Response;
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["deviceResponse"] = response.Status.ToString() };
        if (response.Reason != ResponseReason.None)
            data["reason"] = response.Reason.ToString();
        if (response.Detail.Length > 0)
            data["detail"] = response.Detail;

        // The request is taken: from here it must reach its outcome even if the connection is closing, or it would
        // stay 'sent' for ever with the Device moved and the SMI not. One short transaction, so it is not cancelled.
        ct = CancellationToken.None;
        var prepared = flight.Prepared;
        DeviceOutcome outcome;
        if (response.Succeeded)
        {
            var refusal = await _gateway.Gate.RunAsync(() => prepared.ApplySuccessAsync(response, Smi, ct), ct);
            _gateway.Statistics.ResponseApplied(refusal);
            prepared.Describe(response, data);
            if (refusal is null)
            {
                // AC 5.5: what the Response shows about the Device's credentials, for the Post Commissioning Information.
                try
                {
                    var recorded = await _gateway.Gate.RunAsync(() => _gateway.Credentials.RecordAsync(prepared, response, ct), ct);
                    if (recorded.Count > 0)
                        data["postCommissioning"] = string.Join("; ", recorded);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The Device did execute the Command: its outcome still goes to the User, saying what could not be recorded.
                    _gateway.Log.LogError(ex, "WAN {Peer}: could not record the post-commissioning facts of request {RequestId}", Peer, prepared.Request.RequestId);
                    data["postCommissioning"] = $"AC-5.5: not recorded: {ex.Message}";
                }
            }
            outcome = Outcome(prepared, refusal is null) with
            {
                FailureReason = refusal is null ? null : $"The Device executed the Command, but the DCC did not act on its Response: {refusal.Message}",
                Clause = refusal?.Clause,
                Data = data,
                Payload = response.Cells.Count == 1 ? response.Cells[0].Value.Memory : ReadOnlyMemory<byte>.Empty,
            };
        }
        else
        {
            await _gateway.Gate.RunAsync(() => prepared.AbandonAsync(Smi, ct), ct);
            outcome = Outcome(prepared, false) with
            {
                FailureReason = $"Device {prepared.Recipient.Id} did not execute the Command ({response.Reason}): {response.Detail}",
                Data = data,
            };
        }

        _gateway.Outcomes.Deliver(outcome);
        await ApplyDeferredAlertsAsync(prepared.Whitelists, ct);
    }

    private bool TryEnd(RequestId id, out InFlight flight)
    {
        lock (_alertGate)
            return _inFlight.TryRemove(id, out flight!);
    }

    /// <summary>Waits for the session to give up on a Command; its Response, if one comes, is handled by the event loop.</summary>
    private async Task ObserveAsync(InFlight flight, Task<CommandOutcome> sending)
    {
        string why;
        var timedOut = false;
        try
        {
            await sending;
            return;
        }
        catch (WanTimeoutException e)
        {
            timedOut = true;
            why = e.Message;
        }
        catch (Exception e) when (e is WanSessionClosedException or IOException or OperationCanceledException)
        {
            why = $"the WAN connection of CHF {ChfId} ({Peer}) ended before the Device responded: {e.Message}";
        }

        TryEnd(flight.Id, out _);
        if (!flight.TryFinish())
            return;
        if (timedOut)
            _gateway.Statistics.Timeout();
        else
            _gateway.Statistics.NotDelivered();
        try
        {
            await _gateway.Gate.RunAsync(() => flight.Prepared.AbandonAsync(Smi, CancellationToken.None), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _gateway.Log.LogError(e, "WAN {Peer}: could not clear the outstanding command of request {RequestId}", Peer, flight.Prepared.Request.RequestId);
        }

        _gateway.Outcomes.Deliver(Outcome(flight.Prepared, false) with
        {
            FailureReason = why,
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { [timedOut ? "timeout" : "notDelivered"] = "true" },
        });

        // Alerts that waited for this 8.11 are judged now, without it: the SMI refuses them if the Device is not in the CHF's log.
        try
        {
            await ApplyDeferredAlertsAsync(flight.Prepared.Whitelists, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _gateway.Log.LogError(e, "WAN {Peer}: could not act on the HAN alerts that waited for request {RequestId}", Peer, flight.Prepared.Request.RequestId);
        }
    }

    /// <summary>
    /// AC 4.2(c): a "connected" communication whose signature does not verify with the key of the CHF it names is
    /// refused. The link has dropped it; the domain records why (once per CHF and connection, so a flood costs one write).
    /// </summary>
    private async Task OnFrameRejectedAsync(FrameDrop drop, CancellationToken ct)
    {
        _gateway.Statistics.FrameDropped(drop.Reason);
        if (drop is { Reason: DropReason.BadSignature or DropReason.UnknownSenderKey, Header: { MessageType: MessageTypes.HubConnected } header })
            await RefuseUnverifiedAsync(header.Sender, originOnly: false, ct);
    }

    private async Task OnMessageRejectedAsync(MessageRejectedEvent e, CancellationToken ct)
    {
        _gateway.Statistics.MessageRejected();
        _gateway.Log.LogInformation("WAN {Peer}: refused a message: {Reason}", Peer, e.Reason);
        if (e.Frame.MessageType != MessageTypes.HubConnected)
            return;
        try
        {
            // Signed by one device but naming another CHF: the signature holds, the origin does not.
            if (DeviceMessageCodec.Decode(e.Frame.MessageType, e.Frame.Payload) is HubConnectedAlert alert && alert.ChfId != e.Frame.Sender)
                await RefuseUnverifiedAsync(alert.ChfId, originOnly: true, ct);
        }
        catch (DeviceMessageFormatException)
        {
            // Not a well-formed communication, so it names no CHF to refuse.
        }
    }

    private async Task RefuseUnverifiedAsync(Eui64 chf, bool originOnly, CancellationToken ct)
    {
        // Bounded, so frames naming ever new CHFs cost a connection at most a few store transactions.
        if (_refusalsRecorded.Count >= MaxRefusalsRecorded || !_refusalsRecorded.Add((chf, originOnly)))
            return;
        var outcome = await _gateway.Gate.RunAsync(() => Smi.ChfCommunicationReceivedAsync(new ChfCommunication(Wire.Device(chf), IntegrityVerified: originOnly, OriginVerified: false), ct), ct);
        _gateway.Statistics.ChfCommunication(outcome.Refusal);
        Record(Wire.Device(chf), outcome);
        _gateway.Log.LogWarning("WAN {Peer}: a 'connected' communication naming CHF {Chf} could not be verified: {Refusal}", Peer, chf, outcome.Refusal);
    }

    private void Record(Inventory.DeviceId chf, Outcome<Inventory.Device> outcome)
    {
        _commissioning = outcome.IsSuccess ? $"CHF {chf} is {outcome.Value.Status}" : outcome.Refusal!.ToString();
        _lastCommunication = new CommunicationRecord(Interlocked.Increment(ref _communications), chf, outcome.IsSuccess ? outcome.Value.Status?.ToString() : null, outcome.Refusal);
    }

    private DeviceOutcome Outcome(PreparedCommand prepared, bool success) => new(
        prepared.Request.RequestId, prepared.Request.ServiceReferenceVariant, prepared.Request.Requester, prepared.Request.Target, success, _gateway.Dcc.Clock.UtcNow);

    /// <summary>A Command waiting for its Response; finished exactly once, by the Response or by the timeout.</summary>
    private sealed class InFlight(PreparedCommand prepared, RequestId id)
    {
        private int _finished;

        public PreparedCommand Prepared { get; } = prepared;
        public RequestId Id { get; } = id;

        public bool TryFinish() => Interlocked.Exchange(ref _finished, 1) == 0;
    }
}
