using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Emulation.CommsHub;

/// <summary>
/// The emulated SMETS1 Communications Hub Function: the hub's WAN end and the HAN's coordinator.
/// <list type="bullet">
/// <item>On every WAN connection it offers its Device Certificate and sends its signed "connected"
/// communication (AC 4.1–4.2).</item>
/// <item>It carries out 'Update HAN Device Log' (8.11) on its HAN Device Log, then asks the HAN who is there;
/// when a device it has just whitelisted answers, it raises the "can communicate over the HAN" alert (AC 4.4).</item>
/// <item>Commands for the GPF or for a device in its HAN Device Log go over the HAN unchanged, with the DCC's
/// signature; the device's signed response comes back the same way.</item>
/// </list>
/// Volatile: the WAN session, who has been heard on the HAN, the join window (devices whitelisted and not yet
/// heard), alerts not yet sent. Non-volatile: the HAN Device Log, credentials, keys.
/// </summary>
public sealed class CommunicationsHubFunction : EmulatedDevice
{
    private readonly Lock _volatileGate = new();
    private readonly HashSet<Eui64> _reachable = [];
    private readonly HashSet<Eui64> _joinWindow = [];
    private readonly HashSet<Eui64> _certificatesForwarded = [];
    private readonly Dictionary<Eui64, Octets> _heardCertificates = [];
    private readonly Queue<DeviceMessage> _unsent = new();
    private readonly Func<IWanTransport> _transport;
    private readonly Eui64? _gpfId;
    private HubWanLink? _wan;
    private WanLinkState _wanState = WanLinkState.Off;

    internal CommunicationsHubFunction(DeviceContext context, Eui64? gpfId, Func<IWanTransport> transport)
        : base(context)
    {
        _gpfId = gpfId;
        _transport = transport;
    }

    /// <summary>Raised on every change of the WAN link's state.</summary>
    public event Action<WanLinkState>? WanStateChanged;

    public WanLinkState WanState => _wanState;

    /// <summary>Devices heard on the HAN since power-up that the CHF will relay to (the GPF, and whitelisted devices).</summary>
    public IReadOnlyCollection<Eui64> Reachable
    {
        get
        {
            lock (_volatileGate)
            {
                return _reachable.ToArray();
            }
        }
    }

    internal IFrameCounter WanCounter { get; } = new ClockCounter();

    protected private override string WanStateText => _wanState.ToString();

    protected private override string ExtraLinkStatistics => $"; WAN: {_wan?.Endpoint?.DescribeStatistics() ?? _wanState.ToString()}";

    internal void SetWanState(WanLinkState state)
    {
        _wanState = state;
        Log.Write(Name, $"WAN {state}");
        WanStateChanged?.Invoke(state);
    }

    protected private override IEnumerable<Eui64> ReachableDevices() => Reachable;

    protected private override async Task OnPoweredOnAsync(CancellationToken cancellationToken)
    {
        _wan = new HubWanLink(this, _transport());
        Track(Task.Run(() => _wan.RunAsync(cancellationToken), CancellationToken.None));
        await HanEndpoint!.SendAsync(Addresses.Broadcast, new HanDiscover(Id), cancellationToken).ConfigureAwait(false);
    }

    protected private override void ForgetVolatileState()
    {
        lock (_volatileGate)
        {
            _reachable.Clear();
            _joinWindow.Clear();
            _certificatesForwarded.Clear();
            _heardCertificates.Clear();
            _unsent.Clear();
        }

        _wan = null;
        _wanState = WanLinkState.Off;
        WanStateChanged?.Invoke(_wanState);
    }

    /// <summary>A new WAN connection: certificates, then the signed "connected" communication, then anything held back.</summary>
    internal async Task OnWanConnectedAsync(MessageEndpoint wan, CancellationToken cancellationToken)
    {
        Octets[] certificates;
        DeviceMessage[] held;
        lock (_volatileGate)
        {
            _certificatesForwarded.Clear();
            _certificatesForwarded.UnionWith(_heardCertificates.Keys);
            certificates = [new Octets(Certificate.RawData), .. _heardCertificates.Values];
            held = [.. _unsent];
            _unsent.Clear();
        }

        await wan.SendAsync(Addresses.Broadcast, new DeviceCertificatesMessage(certificates.ToValueList()), cancellationToken).ConfigureAwait(false);
        await wan.SendAsync(Addresses.Broadcast, new HubConnectedAlert(Id, _gpfId, ReportedModel, PowerUpCount), DccSigningKey, cancellationToken).ConfigureAwait(false);
        foreach (var message in held)
        {
            await wan.SendAsync(Addresses.Broadcast, message, DccSigningKey, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What came from the DCC: a command for the CHF, or one to pass over the HAN.</summary>
    internal async Task OnWanMessageAsync(MessageEndpoint wan, ReceivedMessage received, CancellationToken cancellationToken)
    {
        if (received.Message is not DeviceCommand command)
        {
            Log.Write(Name, $"WAN: ignored {received} (not a command)");
            return;
        }

        if (received.Target == Id)
        {
            var response = await ExecuteAsync(command, received.Sender, cancellationToken).ConfigureAwait(false);
            var sent = SendResponse(wan, received.Sender, response, cancellationToken);
            if (command is UpdateHanDeviceLog { Action: HanLogAction.Add } && response.Succeeded)
            {
                // The response goes first, then the HAN is asked who is there, so the alert follows the response.
                if (Quirks.ResponseDelay == TimeSpan.Zero)
                {
                    await sent.ConfigureAwait(false);
                }

                await HanEndpoint!.SendAsync(Addresses.Broadcast, new HanDiscover(Id), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        string? refusal;
        lock (_volatileGate)
        {
            refusal = _reachable.Contains(received.Target)
                ? null
                : received.Target == _gpfId || InDeviceLogUnlocked(received.Target)
                    ? $"{received.Target} is in the HAN Device Log but has not been heard on the HAN since the CHF powered up"
                    : $"{received.Target} is not in the CHF's HAN Device Log (whitelist it with Update HAN Device Log, 8.11)";
        }

        if (refusal is null)
        {
            await HanEndpoint!.RelayAsync(received.Frame, cancellationToken).ConfigureAwait(false);
            return;
        }

        Log.Write(Name, $"WAN: cannot pass {command.Describe()} {command.RequestId} on: {refusal}");
        _ = SendResponse(wan, received.Sender, CommandResponse.Failure(command.RequestId, ResponseReason.TargetUnreachable, refusal), cancellationToken);
    }

    protected private override async Task OnHanMessageAsync(ReceivedMessage received, CancellationToken cancellationToken)
    {
        switch (received.Message)
        {
            case HanAnnounce announce:
                await OnAnnounceAsync(received.Frame, announce, cancellationToken).ConfigureAwait(false);
                return;
            case HanDiscover:
                return;
        }

        if (received.Target != Id && received.Target != Addresses.Broadcast)
        {
            // Uplink traffic from a HAN device (a response to the DCC): pass it on unchanged.
            if (_wan?.Endpoint is { } wan)
            {
                await wan.RelayAsync(received.Frame, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Log.Write(Name, $"HAN: dropped {received}: the WAN is {_wanState}");
            }
        }
    }

    protected private override CommandResponse Execute(DeviceCommand command) => command switch
    {
        UpdateHanDeviceLog { Action: HanLogAction.Add } add => Whitelist(add),
        UpdateHanDeviceLog { Action: HanLogAction.Remove } remove => Blacklist(remove),
        _ => base.Execute(command),
    };

    protected private override bool AcceptsJoins => false;

    private CommandResponse Whitelist(UpdateHanDeviceLog add)
    {
        if (add.DeviceType is not { } type)
        {
            return CommandResponse.Failure(add.RequestId, ResponseReason.InvalidValue, $"adding {add.DeviceId} to the HAN Device Log needs its Device Type");
        }

        if (add.DeviceId == Id || type is DeviceType.CHF or DeviceType.GPF)
        {
            return CommandResponse.Failure(add.RequestId, ResponseReason.InvalidValue, $"a {type} is not added to a CHF's HAN Device Log");
        }

        AddToDeviceLog(new DeviceLogEntry(add.DeviceId, type));
        lock (_volatileGate)
        {
            _joinWindow.Add(add.DeviceId);
            _reachable.Remove(add.DeviceId);
        }

        return CommandResponse.Success(add.RequestId);
    }

    private CommandResponse Blacklist(UpdateHanDeviceLog remove)
    {
        if (!RemoveFromDeviceLog(remove.DeviceId))
        {
            return CommandResponse.Failure(remove.RequestId, ResponseReason.NotInDeviceLog, $"{remove.DeviceId} is not in the CHF's HAN Device Log");
        }

        lock (_volatileGate)
        {
            _joinWindow.Remove(remove.DeviceId);
            _reachable.Remove(remove.DeviceId);
        }

        return CommandResponse.Success(remove.RequestId);
    }

    private async Task OnAnnounceAsync(LinkFrame frame, HanAnnounce announce, CancellationToken cancellationToken)
    {
        if (announce.DeviceId != frame.Sender)
        {
            Log.Write(Name, $"HAN: ignored an announcement for {announce.DeviceId} sent by {frame.Sender}");
            return;
        }

        if (!CheckCertificate(announce, out var problem))
        {
            Log.Write(Name, $"HAN: ignored {announce.DeviceType} {announce.DeviceId}: {problem}");
            return;
        }

        var logged = await UnderGateAsync(() => InDeviceLog(announce.DeviceId), cancellationToken).ConfigureAwait(false);
        var isGpf = announce.DeviceId == _gpfId;
        bool alert;
        bool forward;
        lock (_volatileGate)
        {
            _heardCertificates[announce.DeviceId] = announce.Certificate;
            if (!logged && !isGpf)
            {
                Log.Write(Name, $"HAN: heard {announce.DeviceType} {announce.DeviceId}, which is not in the HAN Device Log; not admitted");
                return;
            }

            _reachable.Add(announce.DeviceId);
            alert = _joinWindow.Remove(announce.DeviceId);
            forward = _certificatesForwarded.Add(announce.DeviceId);
        }

        if (forward)
        {
            await ToDccAsync(new DeviceCertificatesMessage(ValueList.Of(announce.Certificate)), cancellationToken).ConfigureAwait(false);
        }

        if (!alert)
        {
            return;
        }

        if (Quirks.Has(QuirkKind.NoHanAlert))
        {
            Log.Write(Name, $"HAN: {announce.DeviceType} {announce.DeviceId} joined; quirk no-han-alert: no alert raised");
            return;
        }

        Log.Write(Name, $"HAN: {announce.DeviceType} {announce.DeviceId} joined; raising the HAN alert (AC 4.4)");
        await ToDccAsync(new HanDeviceAlert(Id, announce.DeviceId, announce.DeviceType), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends to the DCC now, or keeps it for the next WAN connection.</summary>
    private async Task ToDccAsync(DeviceMessage message, CancellationToken cancellationToken)
    {
        if (_wan?.Endpoint is { } wan)
        {
            try
            {
                await wan.SendAsync(Addresses.Broadcast, message, DccSigningKey, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (IOException e)
            {
                Log.Write(Name, $"WAN: {message.Describe()} kept for the next connection: {e.Message}");
            }
        }

        lock (_volatileGate)
        {
            _unsent.Enqueue(message);
        }
    }

    private bool CheckCertificate(HanAnnounce announce, out string? problem)
    {
        // The CHF trusts the issuer of its own certificate for HAN devices, as a hub holds the SMKI's device CA.
        using var directory = new DeviceCertificateDirectory(Factory.IssuerChain);
        if (!directory.TryAdd(announce.Certificate.Span, out var id, out problem))
        {
            return false;
        }

        if (id != announce.DeviceId)
        {
            problem = $"its certificate names {id}";
            return false;
        }

        directory.TryGetKey(id, out var key);
        Keys.AddHanDevice(id, key!);
        return true;
    }

    private bool InDeviceLogUnlocked(Eui64 id) => DeviceLog.Any(e => e.DeviceId == id);
}
