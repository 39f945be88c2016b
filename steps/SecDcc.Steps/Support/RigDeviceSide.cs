using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.TrustAnchors;
using SecDcc.Scenarios;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Steps.Support;

/// <summary>
/// The devices' side through the rig under test (<see cref="RigUnderTest"/>) and the DCC's SM WAN gateway, chosen with
/// <c>SECDCC_DEVICES=rig</c> or by naming a rig under test, as <c>secdcc run</c> does (<c>events</c> injects device
/// events through a test-mode DCC's /inventory/events instead).
/// <list type="bullet">
/// <item>A CHF connecting: the scenario's CHF (and GPF) run as an emulated rig in this process, whose hub connects to
/// the gateway with its signed "connected" communication (AC 4.1); "altered in transit" is the same hub
/// with the Device Model quirk <c>wrong-wan-key</c>, whose signature does not verify (AC 4.2(c)). The answer is what
/// the gateway records the SMI made of that communication (GET /wan/hubs).</item>
/// <item>A HAN alert for a Device the scenario has just whitelisted in that CHF's Device Log: the Device joins the rig,
/// 'Update HAN Device Log' goes to the hub over the WAN (POST /wan/requests), and the hub's own alert moves the SMI
/// (AC 4.4). Repeating AC 4.3 leaves such a Device as it was, but for a second MPxN notice to its ED or GT.</item>
/// <item>Responses to security-credential Commands (6.15.x, 6.17, 6.24.x): the Command goes to the emulated Device over the
/// WAN (<see cref="RequestOverWanAsync"/>) and the DCC records what its Response shows (AC 5.5).</item>
/// </list>
/// Everything else stays on the test-mode path, because no rig can produce it: a communication naming a CHF from
/// another origin; Responses to Join, UnJoin, Commission Device, Update HAN Device Log removals and Restore Device Log, which the scenarios request through the JSON API
/// (which records the request without sending a Command, so no device ever receives one), including Responses to
/// requests nobody sent and failure Responses of conforming devices; and alerts for Devices not in the CHF's log or in
/// another status (re-whitelisting them over the WAN would move them, AC 4.3(c)).
/// </summary>
public sealed class RigDeviceSide : IDeviceSide, IDisposable
{
    public const string Variable = "SECDCC_DEVICES";

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly DccHttp _http;
    private readonly DccRun _run;
    private readonly ScenarioContext _context;
    private readonly TestModeDeviceSide _events;
    private readonly Dictionary<string, EmulatedHub> _hubs = new(StringComparer.OrdinalIgnoreCase);
    private readonly DccWan _wan;

    private RigDeviceSide(DccHttp http, DccRun run, ScenarioContext context)
    {
        _http = http;
        _wan = new DccWan(run, http, context, $"{Variable}=rig");
        _run = run;
        _context = context;
        _events = new TestModeDeviceSide(http);
    }

    /// <summary>
    /// The devices' side <c>SECDCC_DEVICES</c> names: <c>events</c> or <c>rig</c>. Unset, it is the rig when a rig under
    /// test is named (<c>SECDCC_RIG</c>, as <c>secdcc run</c> always does), else the events.
    /// </summary>
    public static IDeviceSide Select(DccHttp http, DccRun run, ScenarioContext context) =>
        Environment.GetEnvironmentVariable(Variable) switch
        {
            null or "" when Environment.GetEnvironmentVariable(RigUnderTest.Variable) is { Length: > 0 } => new RigDeviceSide(http, run, context),
            null or "" or "events" => new TestModeDeviceSide(http),
            "rig" => new RigDeviceSide(http, run, context),
            var other => throw new DccUnavailableException($"{Variable}='{other}' is not a devices' side: use 'events' (test-mode device events, the default) or 'rig' (an emulated rig over the SM WAN)."),
        };

    public async Task<DccReply<DeviceRecord>> ChfConnectsAsync(string chfId, bool integrityVerified, bool originVerified, CancellationToken ct)
    {
        // The emulator cannot make one device sign a communication naming another CHF.
        if (integrityVerified && !originVerified)
            return await _events.ChfConnectsAsync(chfId, integrityVerified, originVerified, ct);

        var wrongKey = !integrityVerified;
        if (_hubs.Remove(chfId, out var running))
            running.Dispose();
        var before = await LastCommunicationAsync(chfId, ct);
        var hub = await EmulatedHub.StartAsync(this, chfId, wrongKey, await HubDevicesAsync(chfId, ct), ct);
        _hubs[chfId] = hub;
        var communication = await WaitForCommunicationAsync(chfId, before?.Sequence ?? 0, hub, ct);
        var request = $"SM WAN: the emulated CHF {chfId} connects{(wrongKey ? ", signing with the wrong key (quirk wrong-wan-key)" : "")}";
        if (communication.Refusal is { } r)
            return new DccReply<DeviceRecord>(default, new DccRefusal(StatusOf(r.Kind), r.Clause, r.Code, r.Field, $"Refused under {r.Clause}", r.Message), request);
        var read = await _http.SendJsonAsync<DeviceRecord>(HttpMethod.Get, $"inventory/devices/{chfId}", null, ct);
        return read with { Request = request };
    }

    public async Task<DccReply<DeviceRecord>> HanAlertAsync(string chfId, string deviceId, CancellationToken ct)
    {
        // The hub alerts only for a Device it whitelisted itself, so the rig path whitelists it over the WAN first. That
        // repeats AC 4.3 in the SMI, which changes nothing only for a Device the scenario has just whitelisted (or a
        // Type 2 Device, which has no status); any other alert is the test-mode event.
        var device = await ReadAsync(deviceId, ct);
        if (!_hubs.TryGetValue(chfId, out var hub) || device is null || !string.Equals(device.ChfId, chfId, StringComparison.OrdinalIgnoreCase)
            || device.Status is not (SmiStatus.Whitelisted or null) || !EmulatedHub.CanEmulate(device.DeviceType))
            return await _events.HanAlertAsync(chfId, deviceId, ct);

        if (!hub.Has(deviceId))
            await hub.AddAsync(device, ct);

        var alertsBefore = await HanAlertsSeenAsync(ct);
        var supplier = device.ResponsibleSuppliers.FirstOrDefault() ?? "90-B3-D5-1F-30-01-00-00";
        var parameters = new Dictionary<string, string> { ["device"] = deviceId };
        if (device.Mpxns.Count > 0)
            parameters["mpxns"] = string.Join(',', device.Mpxns);
        var sent = await _wan.SendAsync(supplier, "IS", chfId, "8.11", parameters, null, ct);
        // The SMI will not whitelist the Device again (an inactive Device, say): its answer to the alert is the event's.
        if (!sent.Accepted || !await SucceededAsync(sent.Value!, ct))
            return await _events.HanAlertAsync(chfId, deviceId, ct);

        // A Device with a status shows the alert by leaving 'whitelisted' (AC 4.4); a Type 2 Device's alert changes
        // nothing in the SMI, so the gateway's count of alerts is all there is to wait for.
        var acted = device.Status is null
            ? await DccWan.EventuallyAsync(async () => await HanAlertsSeenAsync(ct) > alertsBefore, Within, ct)
            : await DccWan.EventuallyAsync(async () => (await ReadAsync(deviceId, ct))?.Status != SmiStatus.Whitelisted, Within, ct);
        if (!acted)
            throw new DccProtocolException($"The emulated CHF {chfId} whitelisted {deviceId} over the SM WAN, but the DCC recorded no HAN alert from it within {Within.TotalSeconds:0} s. Emulator output:{Environment.NewLine}{hub.Output}");
        var read = await _http.SendJsonAsync<DeviceRecord>(HttpMethod.Get, $"inventory/devices/{deviceId}", null, ct);
        return read with { Request = $"SM WAN: the emulated CHF {chfId} alerts that it can communicate with {deviceId} over the HAN" };
    }

    /// <summary>
    /// Sends a device Service Request to a Device of one of this scenario's emulated hubs through the DCC's SM WAN gateway
    /// (POST /wan/requests) and returns its outcome once the Device's Response has reached the DCC: what the DCC made of a
    /// real Response, not an injected event.
    /// </summary>
    /// <exception cref="StepArgumentException">The Device is not on any emulated hub of this scenario.</exception>
    public async Task<JsonElement> RequestOverWanAsync(Actor actor, string deviceId, string serviceReferenceVariant, IReadOnlyDictionary<string, string> parameters, byte[]? payload, CancellationToken ct)
    {
        if (!_hubs.Values.Any(h => h.Has(deviceId)))
            throw new StepArgumentException($"Device {deviceId} is on no emulated hub of this scenario, so no Command can reach it over the SM WAN; a Given step must install it (its CHF's HAN alert puts it on the rig).");
        var sent = await _wan.SendAsync(actor.Party, actor.Role.ToString(), deviceId, serviceReferenceVariant, parameters, payload, ct);
        if (!sent.Accepted)
            throw new DccProtocolException($"The DCC did not send {serviceReferenceVariant} to {deviceId} over the SM WAN: {sent.Refusal}");
        var state = await _wan.CompletedAsync(sent.Value!, Within, ct);
        return state.GetProperty("outcome");
    }

    public Task<DccReply<DeviceRecord>> JoinResponseAsync(string deviceId, string targetId, bool successfullyExecuted, CancellationToken ct) =>
        _events.JoinResponseAsync(deviceId, targetId, successfullyExecuted, ct);

    public Task<DccReply<DeviceRecord>> UnjoinResponseAsync(string deviceId, string targetId, bool successfullyExecuted, CancellationToken ct) =>
        _events.UnjoinResponseAsync(deviceId, targetId, successfullyExecuted, ct);

    public Task<DccReply<DeviceRecord>> CommissionResponseAsync(string meterId, bool successfullyExecuted, CancellationToken ct) =>
        _events.CommissionResponseAsync(meterId, successfullyExecuted, ct);

    public Task<DccReply<DeviceRecord>> HanDeviceLogRemovalAsync(string chfId, string deviceId, CancellationToken ct) =>
        _events.HanDeviceLogRemovalAsync(chfId, deviceId, ct);

    public Task<DccReply<DeviceLogRecord>> RestoreResponseAsync(string targetId, string fromId, bool successfullyExecuted, CancellationToken ct) =>
        _events.RestoreResponseAsync(targetId, fromId, successfullyExecuted, ct);

    public void Dispose()
    {
        foreach (var hub in _hubs.Values)
        {
            _context.Attach($"emulated rig of CHF {hub.ChfId}", hub.Output, "text/plain");
            hub.Dispose();
        }

        _hubs.Clear();
    }

    // ---- what the DCC says --------------------------------------------------------------------------------------

    private sealed record Communication(long Sequence, string? Status, Refusal? Refusal);

    private sealed record Refusal(string Clause, string Code, string Message, string Kind, string? Field);

    private static int StatusOf(string kind) => kind switch
    {
        "NotFound" => (int)HttpStatusCode.NotFound,
        "NotPermitted" => (int)HttpStatusCode.Forbidden,
        "Invalid" => (int)HttpStatusCode.BadRequest,
        _ => (int)HttpStatusCode.Conflict,
    };

    /// <summary>The newest "connected" communication naming the CHF on any open WAN connection.</summary>
    private async Task<Communication?> LastCommunicationAsync(string chfId, CancellationToken ct)
    {
        var hubs = await _wan.GetJsonAsync("wan/hubs", ct);
        Communication? last = null;
        foreach (var hub in hubs.EnumerateArray())
        {
            if (!hub.TryGetProperty("communication", out var c) || c.ValueKind != JsonValueKind.Object || !string.Equals(c.GetProperty("chfId").GetString(), chfId, StringComparison.OrdinalIgnoreCase))
                continue;
            var sequence = c.GetProperty("sequence").GetInt64();
            if (last is not null && last.Sequence >= sequence)
                continue;
            Refusal? refusal = null;
            if (c.TryGetProperty("refusal", out var r) && r.ValueKind == JsonValueKind.Object)
            {
                refusal = new Refusal(r.GetProperty("clause").GetString()!, r.GetProperty("code").GetString()!, r.GetProperty("message").GetString()!,
                    r.GetProperty("kind").GetString()!, r.TryGetProperty("field", out var f) ? f.GetString() : null);
            }

            last = new Communication(sequence, c.TryGetProperty("status", out var s) ? s.GetString() : null, refusal);
        }

        return last;
    }

    private async Task<Communication> WaitForCommunicationAsync(string chfId, long after, EmulatedHub hub, CancellationToken ct)
    {
        Communication? seen = null;
        if (await DccWan.EventuallyAsync(async () => (seen = await LastCommunicationAsync(chfId, ct)) is { } c && c.Sequence > after, Within, ct))
            return seen!;
        throw new DccUnavailableException(
            $"The emulated CHF {chfId} connected to the SM WAN gateway at {hub.Gateway}, but the DCC recorded no 'connected' communication from it within {Within.TotalSeconds:0} s. Emulator output:{Environment.NewLine}{hub.Output}");
    }

    private async Task<long> HanAlertsSeenAsync(CancellationToken ct)
    {
        var statistics = await _wan.GetJsonAsync("wan/statistics", ct);
        var alerts = statistics.GetProperty("hanAlerts");
        return alerts.GetProperty("applied").GetInt64() + alerts.GetProperty("refused").GetInt64();
    }

    private async Task<bool> SucceededAsync(string requestId, CancellationToken ct) =>
        (await _wan.CompletedAsync(requestId, Within, ct)).GetProperty("outcome").GetProperty("successfullyExecuted").GetBoolean();

    private async Task<DeviceRecord?> ReadAsync(string deviceId, CancellationToken ct)
    {
        using var response = await _run.Http.GetAsync($"inventory/devices/{deviceId}", ct);
        return response.IsSuccessStatusCode ? JsonSerializer.Deserialize<DeviceRecord>(await response.Content.ReadAsStringAsync(ct), TransportJson.Options) : null;
    }

    /// <summary>The CHF's GPF from the SMI, or a stand-in ID when the CHF is not listed (a hub always has both functions).</summary>
    private async Task<IReadOnlyList<(string Id, string Type)>> HubDevicesAsync(string chfId, CancellationToken ct)
    {
        using var response = await _run.Http.GetAsync($"inventory/chf/{chfId}", ct);
        string? gpf = null;
        if (response.IsSuccessStatusCode)
        {
            using var hub = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            gpf = hub.RootElement.GetProperty("devices").EnumerateArray()
                .Where(d => d.GetProperty("deviceType").GetString() == "GPF").Select(d => d.GetProperty("deviceId").GetString()).FirstOrDefault();
        }

        var standIn = ulong.Parse(chfId.Replace("-", "", StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture) ^ 0xFF;
        return [(chfId, "CHF"), (gpf ?? string.Join('-', BitConverter.GetBytes(standIn).Reverse().Select(b => b.ToString("X2", CultureInfo.InvariantCulture))), "GPF")];
    }


    // ---- the emulated rig -------------------------------------------------------------------------------------

    /// <summary>
    /// One scenario's hub as an emulated rig in this process (SecDcc.Rigs): the rig under test's Device Models under
    /// the scenario's own Device IDs, each device on its own pseudo-terminal, the run's device CA, trusted by the
    /// DCC before the hub first connects, and the DCC's command-signing certificate in the devices' accessControlBroker cells.
    /// </summary>
    private sealed class EmulatedHub : IDisposable
    {
        /// <summary>
        /// The one device CA of every scenario's rig in this process. The DCC rechecks every Device Certificate it
        /// knows against all its issuers whenever it is given a new one, so a CA per scenario made each scenario's
        /// hub slower to start than the last. Devices still get their own fresh key and certificate in every scenario.
        /// </summary>
        private static readonly Lazy<LocalCertificateAuthority> RunIssuer = new(() => LocalCertificateAuthority.Create("SecDcc scenario rigs device CA"));

        /// <summary>
        /// The Trust Anchors every scenario's rig populates its devices from, made once per rig under test and DCC
        /// certificate: making the test PKI and its Organisation Certificates again was a third of each rig's start.
        /// </summary>
        private static readonly Dictionary<(TrustAnchorSettings, string), RigTrustAnchors> Anchors = [];
        private static readonly Lock AnchorsGate = new();

        private readonly X509Certificate2 _dccCertificate;
        private readonly string _state;
        private readonly bool _wrongKey;
        private readonly MemoryEmulatorLog _log;
        private readonly List<(string Id, string Type)> _devices;
        private readonly EmulatedRig _rig;

        private EmulatedHub(string chfId, DccWanGateway gateway, X509Certificate2 dccCertificate, string state, bool wrongKey, MemoryEmulatorLog log, List<(string, string)> devices, EmulatedRig rig)
        {
            ChfId = chfId;
            Gateway = gateway;
            _dccCertificate = dccCertificate;
            _state = state;
            _wrongKey = wrongKey;
            _log = log;
            _devices = devices;
            _rig = rig;
        }

        public string ChfId { get; }
        public DccWanGateway Gateway { get; }
        public string Output => _log.ToString();

        public bool Has(string deviceId) => _devices.Any(d => string.Equals(d.Id, deviceId, StringComparison.OrdinalIgnoreCase));

        /// <summary>Whether the rig under test has a device of the Device Type to take the Device Model of.</summary>
        public static bool CanEmulate(string deviceType) => Template(deviceType) is not null;

        public static async Task<EmulatedHub> StartAsync(RigDeviceSide owner, string chfId, bool wrongKey, IReadOnlyList<(string Id, string Type)> devices, CancellationToken ct)
        {
            var gateway = await owner._wan.GatewayAsync(ct);
            var issuer = RunIssuer.Value;
            X509Certificate2? dccCertificate = null;
            try
            {
                await owner._wan.TrustIssuerAsync(issuer.IssuerCertificate, ct);
                dccCertificate = await owner._wan.CommandCertificateAsync(ct);

                var state = Directory.CreateTempSubdirectory("secdcc-rig-").FullName;
                var log = new MemoryEmulatorLog();
                var list = devices.ToList();
                var rig = await LaunchAsync(chfId, gateway, issuer, dccCertificate, state, wrongKey, log, list, ct);
                return new EmulatedHub(chfId, gateway, dccCertificate, state, wrongKey, log, list, rig);
            }
            catch (Exception)
            {
                dccCertificate?.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Brings the Device to the running rig, as an installer brings a meter to a working hub: the hub stays connected
        /// and hears it once it has whitelisted it. The state folder keeps the Device's state with the others'.
        /// </summary>
        public async Task AddAsync(DeviceRecord device, CancellationToken ct)
        {
            // A running rig's bench has only the lines it started with, and nothing here drives a scenario Device's relays.
            var definition = Device(device.DeviceId, device.DeviceType, _devices.Count, _wrongKey) with { Gpio = DeviceGpio.None };
            await _rig.AddDeviceAsync(definition, ct);
            _devices.Add((device.DeviceId, device.DeviceType));
        }

        private static Task<EmulatedRig> LaunchAsync(string chfId, DccWanGateway gateway, LocalCertificateAuthority issuer, X509Certificate2 dccCertificate, string state, bool wrongKey, MemoryEmulatorLog log, List<(string Id, string Type)> devices, CancellationToken ct)
        {
            var definition = RigUnderTest.Definition with
            {
                Name = $"scenario-{chfId.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}",
                Devices = devices.Select((d, i) => Device(d.Id, d.Type, i, wrongKey)).ToList(),
            };
            var wan = gateway.Connection();
            return EmulatedRig.StartAsync(definition, new EmulatorOptions { StateDirectory = state, Wan = wan, DccCertificate = dccCertificate, DeviceIssuer = issuer, TrustAnchors = SharedAnchors(definition.TrustAnchors, dccCertificate), Log = log }, ct);
        }

        private static RigTrustAnchors SharedAnchors(TrustAnchorSettings settings, X509Certificate2 dccCertificate)
        {
            lock (AnchorsGate)
            {
                var key = (settings, dccCertificate.Thumbprint);
                if (!Anchors.TryGetValue(key, out var anchors))
                {
                    // Their own copy of the certificate: each hub disposes the one it fetched.
                    Anchors[key] = anchors = RigTrustAnchors.Create(settings, X509CertificateLoader.LoadCertificate(dccCertificate.RawData));
                }

                return anchors;
            }
        }

        /// <summary>A scenario's device: the rig under test's device of its Device Type under the scenario's Device ID.</summary>
        private static DeviceDefinition Device(string id, string type, int index, bool wrongKey)
        {
            var template = Template(type)!;
            var model = wrongKey && type is "CHF" or "GPF"
                ? template.Model with { Quirks = new QuirkSet([new Quirk(QuirkKind.WrongWanKey)]) }
                : template.Model;
            return template with { Name = $"{type.ToLowerInvariant()}{index}", Id = Eui64.Parse(id), Model = model };
        }

        /// <summary>The rig under test's first device of a Device Type, whose Device Model and ports a scenario's device takes.</summary>
        private static DeviceDefinition? Template(string deviceType) =>
            RigUnderTest.Definition.Devices.FirstOrDefault(d => string.Equals(d.Type.ToString(), deviceType, StringComparison.Ordinal));

        public void Dispose()
        {
            // SmiWorld ends a scenario synchronously; powering the rig off waits for its devices' loops to stop.
            _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _dccCertificate.Dispose();
            try
            {
                Directory.Delete(_state, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless; the OS cleans /tmp.
            }
        }
    }
}
