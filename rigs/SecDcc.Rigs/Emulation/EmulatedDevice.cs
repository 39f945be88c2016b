using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation.Han;
using SecDcc.Rigs.Emulation.State;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.TrustAnchors;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Rigs.Emulation;

/// <summary>What the rig hands each device it makes.</summary>
/// <param name="OpticalPort">The meter's optical port, when the rig file gives it one.</param>
internal sealed record DeviceContext(
    DeviceDefinition Definition,
    StateFile StateFile,
    DeviceFactory Factory,
    HanBus Han,
    PseudoTerminal LocalPort,
    PseudoTerminal? OpticalPort,
    IEmulatorLog Log,
    TimeProvider Clock);

/// <summary>
/// An emulated device: non-volatile state in a file, a local port on a pseudo-terminal, a place on the emulated
/// HAN, and the command behaviour every device shares (credentials, Device Log). Subclasses add what their
/// Device Type does. Quirks of the Device Model change exactly the behaviour each names.
/// </summary>
public abstract class EmulatedDevice : IAsyncDisposable
{
    private readonly DeviceContext _context;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Task> _running = [];
    private readonly Lock _runningGate = new();
    private readonly List<DeviceLogEntry> _log = [];
    private readonly Dictionary<TrustAnchorCellId, Octets> _cells = [];
    private NonVolatileState? _nv;
    private ECDsa? _key;
    private ECDsa? _rogueKey;
    private X509Certificate2? _certificate;
    private ReplayGuard _replay = new();
    private CancellationTokenSource? _power;
    private HanPort? _hanPort;
    private MessageEndpoint? _han;
    private long _joinWindowClosesTicks;

    internal EmulatedDevice(DeviceContext context)
    {
        _context = context;
    }

    public DeviceDefinition Definition => _context.Definition;

    public string Name => Definition.Name;

    public Eui64 Id => Definition.Id;

    public DeviceType Type => Definition.Type;

    public DeviceModelDefinition Model => Definition.Model;

    public QuirkSet Quirks => Model.Quirks;

    /// <summary>The slave end of the device's local-port pseudo-terminal: what the harness opens.</summary>
    public string LocalPortPath => _context.LocalPort.SlavePath;

    public string StatePath => _context.StateFile.Path;

    public bool IsPoweredOn => _power is not null;

    /// <summary>The slave end of the meter's optical port, when it has one: what an optical reader opens.</summary>
    public string? OpticalPortPath => _context.OpticalPort?.SlavePath;

    /// <summary>Whether the device admits joins now: always, or while the window its button opened lasts (volatile).</summary>
    public bool JoinWindowOpen => Model.JoinWindow is null || Clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _joinWindowClosesTicks);

    /// <summary>The Device Certificate (valid while powered on, and after).</summary>
    public X509Certificate2 Certificate => _certificate ?? throw new InvalidOperationException($"{Name} has not been powered on yet, so it has no certificate loaded");

    /// <summary>What the device says about its model: the model file's, but for the firmware hash under "wrong-firmware-hash".</summary>
    public DeviceModelInfo ReportedModel
    {
        get
        {
            var info = Model.ToInfo();
            if (!Quirks.Has(QuirkKind.WrongFirmwareHash))
            {
                return info;
            }

            var hash = info.FirmwareHash.ToArray();
            hash[^1] ^= 0xA5;
            return info with { FirmwareHash = new Octets(hash) };
        }
    }

    internal IEmulatorLog Log => _context.Log;

    internal TimeProvider Clock => _context.Clock;

    internal DeviceVerifierKeys Keys { get; } = new();

    internal MessageEndpoint? HanEndpoint => _han;

    internal DeviceFactory Factory => _context.Factory;

    internal PseudoTerminal? OpticalPort => _context.OpticalPort;

    /// <summary>The key messages for the DCC are signed with: the device's own, or under "wrong-wan-key" another one.</summary>
    internal ECDsa DccSigningKey => Quirks.Has(QuirkKind.WrongWanKey) ? _rogueKey! : _key!;

    internal ECDsa DeviceKey => _key!;

    /// <summary>The frame counters this device has accepted, by sender; persisted with the state.</summary>
    internal IReplayGuard Replay => _replay;

    /// <summary>Loads the state file (or makes the factory state), joins the HAN, opens the local port, and starts the device's own work.</summary>
    public async Task PowerOnAsync(CancellationToken cancellationToken)
    {
        if (_power is not null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LoadState();
            _nv!.PowerUpCount++;
            SaveState();
        }
        finally
        {
            _gate.Release();
        }

        _power = new CancellationTokenSource();
        var token = _power.Token;
        _hanPort = _context.Han.Attach(Id, new LinkDecoder(MessageTypes.LinkOptions, Keys, _replay), coordinator: Type == DeviceType.CHF);
        _han = new MessageEndpoint(Id, _hanPort, _hanPort, new ClockCounter(Clock), _key)
        {
            Undecodable = (frame, error) => Log.Write(Name, $"HAN: skipped an undecodable frame from {frame.Sender}: {error.Message}"),
        };
        Track(Task.Run(() => HanLoopAsync(_han, token), CancellationToken.None));
        Track(Task.Run(() => new LocalPortServer(this, _context.LocalPort.Master).RunAsync(token), CancellationToken.None));
        Log.Write(Name, $"powered on (power-up {_nv!.PowerUpCount}), local port {LocalPortPath}");
        await OnPoweredOnAsync(token).ConfigureAwait(false);
    }

    /// <summary>Stops everything the device is doing and forgets its volatile state; the state file stays.</summary>
    public async Task PowerOffAsync()
    {
        var power = Interlocked.Exchange(ref _power, null);
        if (power is null)
        {
            return;
        }

        await power.CancelAsync().ConfigureAwait(false);
        await OnPoweringOffAsync().ConfigureAwait(false);
        _hanPort?.Dispose();
        while (TakeRunning() is { Length: > 0 } tasks)
        {
            foreach (var task in tasks)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Cancellation is how power-off stops each loop.
                }
            }
        }

        power.Dispose();
        _han = null;
        _hanPort = null;
        Interlocked.Exchange(ref _joinWindowClosesTicks, 0);
        Keys.Clear();
        ForgetVolatileState();
        Log.Write(Name, "powered off");
    }

    /// <summary>
    /// The device's button, pressed (by a relay across it or a person): opens the join window where the Device
    /// Model has one. A device without power notices nothing.
    /// </summary>
    public void PressButton()
    {
        if (_power is null)
        {
            Log.Write(Name, "button pressed while powered off: nothing happens");
            return;
        }

        if (Model.JoinWindow is not { } window)
        {
            Log.Write(Name, "button pressed: this model admits joins without it, so nothing changes");
            return;
        }

        // Ticks in one long, so the bench's thread pressing and a command's thread reading never see half a time.
        Interlocked.Exchange(ref _joinWindowClosesTicks, (Clock.GetUtcNow() + window.Duration).UtcTicks);
        Log.Write(Name, $"button pressed: join window open for {window.Duration.TotalSeconds:0.###} s");
    }

    public async ValueTask DisposeAsync()
    {
        await PowerOffAsync().ConfigureAwait(false);
        _key?.Dispose();
        _rogueKey?.Dispose();
        _certificate?.Dispose();
        GC.SuppressFinalize(this);
    }

    internal async Task<DeviceIdentity> DescribeIdentityAsync(CancellationToken cancellationToken) =>
        await UnderGateAsync(() => new DeviceIdentity(Id, Type, ReportedModel, new Octets(Certificate.RawData)), cancellationToken).ConfigureAwait(false);

    internal Task<ValueList<DeviceLogEntry>> DescribeDeviceLogAsync(CancellationToken cancellationToken) =>
        UnderGateAsync(() => _log.ToValueList(), cancellationToken);

    internal Task<ValueList<CredentialCell>> DescribeCredentialsAsync(CancellationToken cancellationToken) =>
        UnderGateAsync(() => AllCells().ToValueList(), cancellationToken);

    internal Task<DeviceStateInfo> DescribeStateAsync(string localPortStatistics, CancellationToken cancellationToken) =>
        UnderGateAsync(
            () => new DeviceStateInfo(
                _nv!.Commissioned,
                _nv.PowerUpCount,
                _log.ToValueList(),
                ReachableDevices().ToValueList(),
                WanStateText,
                $"HAN: {_han?.DescribeStatistics() ?? "off"}{ExtraLinkStatistics}; local port: {localPortStatistics}"),
            cancellationToken);

    /// <summary>The device's own start-up work once it is on the HAN (announce itself; a CHF connects to the WAN).</summary>
    protected private abstract Task OnPoweredOnAsync(CancellationToken cancellationToken);

    protected private virtual Task OnPoweringOffAsync() => Task.CompletedTask;

    /// <summary>Volatile state to drop at power-off.</summary>
    protected private virtual void ForgetVolatileState()
    {
    }

    protected private virtual string WanStateText => string.Empty;

    protected private virtual string ExtraLinkStatistics => string.Empty;

    protected private virtual IEnumerable<Eui64> ReachableDevices() => [];

    /// <summary>Reads what a subclass keeps in the state file; called at power-up, before the device runs.</summary>
    protected private virtual void RestoreNonVolatile(NonVolatileState state)
    {
    }

    /// <summary>Writes what a subclass keeps into the state about to be saved; called with the state lock held.</summary>
    protected private virtual void StoreNonVolatile(NonVolatileState state)
    {
    }

    /// <summary>Saves the state file now (a meter's power-fail store).</summary>
    protected private Task PersistAsync() => UnderGateAsync(
        () =>
        {
            SaveState();
            return true;
        },
        CancellationToken.None);

    /// <summary>Handles one message from the HAN. The default: announce on discovery, execute commands addressed here.</summary>
    protected private virtual async Task OnHanMessageAsync(ReceivedMessage received, CancellationToken cancellationToken)
    {
        switch (received.Message)
        {
            case HanDiscover:
                await AnnounceAsync(cancellationToken).ConfigureAwait(false);
                break;
            case DeviceCommand command when received.Target == Id:
                var response = await ExecuteAsync(command, received.Sender, cancellationToken).ConfigureAwait(false);
                _ = SendResponse(_han!, received.Sender, response, cancellationToken);
                break;
        }
    }

    /// <summary>Broadcasts this device's presence and certificate on the HAN.</summary>
    protected private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        if (_han is { } han)
        {
            await han.SendAsync(Addresses.Broadcast, new HanAnnounce(Id, Type, new Octets(Certificate.RawData)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Carries out a command under the state lock and saves the state after it.</summary>
    protected private async Task<CommandResponse> ExecuteAsync(DeviceCommand command, Eui64 sender, CancellationToken cancellationToken)
    {
        var response = await UnderGateAsync(
            () =>
            {
                LastCommandSender = sender;
                var r = Execute(command);
                SaveState();
                return r;
            },
            cancellationToken).ConfigureAwait(false);
        Log.Write(Name, $"{command.Describe()} {command.RequestId}: {(response.Succeeded ? "success" : $"failure, {response.Reason}: {response.Detail}")}");
        return response;
    }

    /// <summary>
    /// Sends a response to the DCC through <paramref name="via"/>, signed with <see cref="DccSigningKey"/>,
    /// after the "late-responses" delay if the model has it. The send runs on its own so a slow response
    /// never holds up the device's other traffic; it is dropped if the device powers off first.
    /// </summary>
    protected private Task SendResponse(MessageEndpoint via, Eui64 dcc, CommandResponse response, CancellationToken cancellationToken)
    {
        var delay = Quirks.ResponseDelay;
        var sending = Task.Run(
            async () =>
            {
                try
                {
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, Clock, cancellationToken).ConfigureAwait(false);
                    }

                    await via.SendAsync(dcc, response, DccSigningKey, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
                {
                    Log.Write(Name, $"the response to {response.RequestId} was lost: {e.Message}");
                }
            },
            CancellationToken.None);
        Track(sending);
        return sending;
    }

    /// <summary>What every device does with a command; subclasses add or refuse per Device Type. Runs under the state lock.</summary>
    protected private virtual CommandResponse Execute(DeviceCommand command) => command switch
    {
        ReadSecurityCredentials read => ReadCredentials(read),
        UpdateSecurityCredentials update => UpdateCredentials(update),
        IssueSecurityCredentials issue => CommandResponse.Success(issue.RequestId, cells: ValueList.Of(DeviceCertificateCell())),
        JoinDevice join when AcceptsJoins => Join(join),
        UnjoinDevice unjoin when AcceptsJoins => Unjoin(unjoin),
        ReadDeviceLog read when Type.OwnsDeviceLog() => CommandResponse.Success(read.RequestId, entries: _log.ToValueList()),
        RestoreDeviceLog restore when Type.OwnsDeviceLog() => Restore(restore),
        _ => NotSupported(command),
    };

    /// <summary>Meters and the GPF own a Device Log that 'Join Service' adds to.</summary>
    protected private virtual bool AcceptsJoins => Type is DeviceType.ESME or DeviceType.GSME or DeviceType.GPF;

    protected private CommandResponse NotSupported(DeviceCommand command) => CommandResponse.Failure(
        command.RequestId,
        ResponseReason.NotSupported,
        $"a {Type} does not carry out {command.Describe()} (DUIS {command.ServiceReference})");

    protected private IReadOnlyList<DeviceLogEntry> DeviceLog => _log;

    protected private bool InDeviceLog(Eui64 id) => _log.Any(e => e.DeviceId == id);

    /// <summary>Adds or updates an entry; true when the log changed.</summary>
    protected private bool AddToDeviceLog(DeviceLogEntry entry)
    {
        var at = _log.FindIndex(e => e.DeviceId == entry.DeviceId);
        if (at >= 0)
        {
            var changed = _log[at] != entry;
            _log[at] = entry;
            return changed;
        }

        _log.Add(entry);
        return true;
    }

    protected private bool RemoveFromDeviceLog(Eui64 id) => _log.RemoveAll(e => e.DeviceId == id) > 0;

    protected private bool Commissioned
    {
        get => _nv!.Commissioned;
        set => _nv!.Commissioned = value;
    }

    protected private ulong PowerUpCount => _nv!.PowerUpCount;

    protected private async Task<T> UnderGateAsync<T>(Func<T> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return action();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Keeps a task of this power-up, so power-off can wait for it.</summary>
    protected private void Track(Task task)
    {
        lock (_runningGate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private Task[] TakeRunning()
    {
        lock (_runningGate)
        {
            var tasks = _running.ToArray();
            _running.Clear();
            return tasks;
        }
    }

    private async Task HanLoopAsync(MessageEndpoint han, CancellationToken cancellationToken)
    {
        while (await han.ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } received)
        {
            try
            {
                await OnHanMessageAsync(received, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or CryptographicException or ArgumentException)
            {
                // One message that cannot be handled must not take the device off the HAN.
                Log.Write(Name, $"HAN: {received} could not be handled: {e.Message}");
            }
        }
    }

    private CommandResponse Join(JoinDevice join)
    {
        if (join.DeviceId == Id || join.DeviceType == DeviceType.CHF)
        {
            return CommandResponse.Failure(join.RequestId, ResponseReason.InvalidValue, $"{join.DeviceType} {join.DeviceId} cannot be joined to the {Type}'s Device Log");
        }

        if (!JoinWindowOpen)
        {
            return CommandResponse.Failure(
                join.RequestId,
                ResponseReason.Refused,
                $"the join window of this {Model.Model} is closed: press its button, which opens it for {Model.JoinWindow!.Duration.TotalSeconds:0.###} s, then join {join.DeviceType} {join.DeviceId}");
        }

        if (join.DeviceType.IsType2() && Quirks.Has(QuirkKind.RefuseType2Join))
        {
            return CommandResponse.Failure(join.RequestId, ResponseReason.Refused, $"this {Model.Model} does not join Type 2 devices ({join.DeviceType} {join.DeviceId})");
        }

        AddToDeviceLog(new DeviceLogEntry(join.DeviceId, join.DeviceType));
        return CommandResponse.Success(join.RequestId);
    }

    private CommandResponse Unjoin(UnjoinDevice unjoin) =>
        RemoveFromDeviceLog(unjoin.DeviceId)
            ? CommandResponse.Success(unjoin.RequestId)
            : CommandResponse.Failure(unjoin.RequestId, ResponseReason.NotInDeviceLog, $"{unjoin.DeviceId} is not in the {Type}'s Device Log");

    private CommandResponse Restore(RestoreDeviceLog restore)
    {
        _log.Clear();
        foreach (var entry in restore.Entries)
        {
            AddToDeviceLog(entry);
        }

        return CommandResponse.Success(restore.RequestId, entries: _log.ToValueList());
    }

    /// <summary>Cells by the name asked for (full or role-only, docs/decisions/1302); cells the device does not have are left out.</summary>
    private CommandResponse ReadCredentials(ReadSecurityCredentials read)
    {
        if (read.CellNames.Count == 0)
        {
            return CommandResponse.Success(read.RequestId, cells: AllCells().ToValueList());
        }

        var cells = new List<CredentialCell>();
        var unknown = new List<string>();
        foreach (var name in read.CellNames)
        {
            if (name == CredentialCells.DeviceCertificate)
            {
                cells.Add(DeviceCertificateCell());
            }
            else if (!CellNames.TryParse(name, out var cell, out _))
            {
                unknown.Add(name);
            }
            else if (_cells.TryGetValue(cell, out var value))
            {
                cells.Add(new CredentialCell(name, value));
            }
        }

        return unknown.Count > 0
            ? CommandResponse.Failure(read.RequestId, ResponseReason.InvalidValue, $"no such cell: {string.Join(", ", unknown)}; name a cell as {CellNames.Grammar}, or {CredentialCells.DeviceCertificate}")
            : CommandResponse.Success(read.RequestId, cells: cells.ToValueList());
    }

    private CommandResponse UpdateCredentials(UpdateSecurityCredentials update)
    {
        var parsed = new List<(TrustAnchorCellId Cell, Octets Value)>();
        var unknown = new List<string>();
        foreach (var written in update.Cells)
        {
            if (CellNames.TryParse(written.Name, out var cell, out _))
            {
                parsed.Add((cell, written.Value));
            }
            else
            {
                unknown.Add(written.Name);
            }
        }

        if (unknown.Count > 0)
        {
            return CommandResponse.Failure(update.RequestId, ResponseReason.InvalidValue, $"cannot write {string.Join(", ", unknown)}: only Trust Anchor Cells are written, named as {CellNames.Grammar}");
        }

        foreach (var (cell, value) in parsed)
        {
            _cells[cell] = value;
        }

        RefreshTrustAnchor();
        return CommandResponse.Success(update.RequestId);
    }

    /// <summary>Every Trust Anchor Cell by its full name (role/keyUsage), then the Device Certificate.</summary>
    private IEnumerable<CredentialCell> AllCells() =>
        _cells.Select(c => new CredentialCell(c.Key.ToString(), c.Value)).OrderBy(c => c.Name, StringComparer.Ordinal).Append(DeviceCertificateCell());

    private CredentialCell DeviceCertificateCell() => new(CredentialCells.DeviceCertificate, new Octets(Certificate.RawData));

    private void LoadState()
    {
        var nv = _context.StateFile.Load();
        if (nv is null)
        {
            nv = FactoryState();
            Log.Write(Name, $"no state file yet: made factory state in {StatePath}");
        }
        else if (!Eui64.TryParse(nv.DeviceId, out var saved) || saved != Id || nv.DeviceType != Type.ToString())
        {
            throw new InvalidDataException(
                $"{StatePath} holds the state of {nv.DeviceType} {nv.DeviceId}, but the rig says {Name} is {Type} {Id}; delete the file (or point the rig's state elsewhere) to start this device afresh");
        }

        _nv = nv;
        _key?.Dispose();
        _key = ECDsa.Create();
        _key.ImportPkcs8PrivateKey(Convert.FromBase64String(nv.PrivateKey), out _);
        _certificate?.Dispose();
        _certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(nv.Certificate));
        _rogueKey?.Dispose();
        _rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        _log.Clear();
        if (!Quirks.Has(QuirkKind.ForgetfulDeviceLog))
        {
            foreach (var record in nv.DeviceLog)
            {
                if (Eui64.TryParse(record.DeviceId, out var id) && DeviceTypes.TryParse(record.DeviceType, out var type))
                {
                    _log.Add(new DeviceLogEntry(id, type));
                }
                else
                {
                    Log.Write(Name, $"{StatePath}: skipped a Device Log entry that does not read ({record.DeviceType} {record.DeviceId})");
                }
            }
        }

        _cells.Clear();
        foreach (var (name, value) in nv.Cells)
        {
            // State files written before cells had a keyUsage name them by role; those read as the role's signing cell.
            if (CellNames.TryParse(name, out var cell, out var why))
            {
                _cells[cell] = new Octets(Convert.FromBase64String(value));
            }
            else
            {
                Log.Write(Name, $"{StatePath}: skipped cell '{name}', which does not read ({why})");
            }
        }

        // The command-signing cell is what the factory put there; a device from before the rig had a DCC certificate gets it now, and a cell already written stays as written.
        if (!_cells.ContainsKey(CellNames.CommandSigning) && Factory.Anchors.DccCertificate is { } dcc)
        {
            _cells[CellNames.CommandSigning] = new Octets(dcc.RawData);
        }

        RefreshTrustAnchor();
        RestoreNonVolatile(nv);
        _replay = new ReplayGuard();
        foreach (var (sender, counter) in nv.LastCounters)
        {
            if (Eui64.TryParse(sender, out var id))
            {
                _replay.TryAccept(id, counter);
            }
        }
    }

    /// <summary>What the factory writes into a new device: its key and Device Certificate, and its Trust Anchor Cells populated (AC 3.1–3.2).</summary>
    private NonVolatileState FactoryState()
    {
        var (key, certificate) = Factory.NewDeviceCredentials(Id);
        using (key)
        using (certificate)
        {
            return new NonVolatileState
            {
                DeviceId = Id.ToString(),
                DeviceType = Type.ToString(),
                PrivateKey = Convert.ToBase64String(key.ExportPkcs8PrivateKey()),
                Certificate = Convert.ToBase64String(certificate.RawData),
                Cells = Factory.Anchors.Population(Definition).ToDictionary(c => c.Key.ToString(), c => Convert.ToBase64String(c.Value), StringComparer.Ordinal),
            };
        }
    }

    /// <summary>Writes the state file; called with the state lock held (or before the device runs).</summary>
    private void SaveState()
    {
        var nv = _nv!;

        // Under "forgetful-device-log" the log lives only in RAM: the file never gets it, so a restart loses it.
        nv.DeviceLog = Quirks.Has(QuirkKind.ForgetfulDeviceLog)
            ? []
            : _log.Select(e => new DeviceLogRecord(e.DeviceId.ToString(), e.DeviceType.ToString())).ToList();
        nv.Cells = _cells.ToDictionary(c => c.Key.ToString(), c => Convert.ToBase64String(c.Value.Span), StringComparer.Ordinal);
        foreach (var sender in KnownSenders())
        {
            if (_replay.LastAccepted(sender) is { } last)
            {
                nv.LastCounters[sender.ToString()] = last;
            }
        }

        StoreNonVolatile(nv);
        _context.StateFile.Save(nv);
    }

    /// <summary>Senders whose counters are worth keeping: those already on file and the DCC (any non-HAN sender seen).</summary>
    private IEnumerable<Eui64> KnownSenders() =>
        _nv!.LastCounters.Keys.Select(k => Eui64.TryParse(k, out var id) ? id : default)
            .Concat(LastCommandSender is { } dcc ? [dcc] : [])
            .Distinct();

    /// <summary>The sender of the last command executed, normally the DCC.</summary>
    internal Eui64? LastCommandSender { get; set; }

    private void RefreshTrustAnchor()
    {
        Keys.TrustAnchor = null;
        if (!_cells.TryGetValue(CellNames.CommandSigning, out var cell) || cell.Length == 0)
        {
            return;
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(cell.Span);
            Keys.TrustAnchor = certificate.GetECDsaPublicKey();
        }
        catch (CryptographicException e)
        {
            Log.Write(Name, $"the {CellNames.CommandSigning} cell does not hold a certificate ({e.Message}); commands from the DCC cannot be verified until it does");
        }
    }
}
