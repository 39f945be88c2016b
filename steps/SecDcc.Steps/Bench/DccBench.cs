using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Emulation.State;
using SecDcc.Rigs.Model;
using SecDcc.Scenarios;
using SecDcc.Steps.Inventory;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Bench;

/// <summary>A device of the bench by the name a scenario gives it, with its place on the rig and in the SMI.</summary>
/// <param name="Phrase">"hub", "Electricity Smart Meter", "PPMID".</param>
/// <param name="RigName">The device in rigs/emulated.yaml whose relay, local port and state file it has.</param>
public sealed record BenchPart(string Phrase, string RigName, ScenarioDevice Smi);

/// <summary>What became of a device Service Request sent through the DCC (GET /wan/requests/{id}).</summary>
/// <param name="Srv">Its Service Reference Variant ("8.1.1").</param>
/// <param name="Completed">The request ended; false while the DCC still waits for the Device's Response.</param>
/// <param name="Succeeded">The Device executed the Command and the DCC acted on its Response.</param>
/// <param name="NoResponse">It ended without a Response from the Device: "timeout" or "notDelivered", else null.</param>
public sealed record RequestOutcome(string RequestId, string Srv, bool Completed, bool Succeeded, string? NoResponse, string Json)
{
    public override string ToString() =>
        !Completed ? $"{RequestId}: still waiting for the Device's Response"
        : Succeeded ? $"{RequestId}: completed, executed"
        : NoResponse is { } why ? $"{RequestId}: failed, no Response ({why})"
        : $"{RequestId}: failed, the Device answered that it did not execute it";
}

/// <summary>
/// One scenario's bench connected to the suite's DCC: the Responsible Supplier's SMETS1 system in the Smart Metering
/// Inventory (its Communications Hub added, its Electricity Smart Meter and PPMID pre-notified, through the public JSON
/// API as every scenario does), and the devices of the emulated rig rigs/emulated.yaml under the SMI's Device IDs, each
/// running the rig under test's Device Model for its type (<see cref="Definition"/>), with relays on the rig's simulated GPIO bank, device certificates from an issuer the DCC trusts, and the DCC's
/// command-signing certificate in their Trust Anchor Cells. The hub connects to the DCC's SM WAN gateway; device
/// Service Requests go through the DCC (POST /wan/requests) and their outcomes are the DCC's (GET /wan/requests/{id}).
/// </summary>
public sealed class DccBench(SmiWorld world, Installer installer) : IAsyncDisposable
{
    private const string HubLabel = "Communications Hub Function";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);
    private readonly MemoryEmulatorLog _log = new();
    private readonly List<string> _gpio = [];
    private readonly Lock _gpioGate = new();
    private readonly Dictionary<string, BenchPart> _parts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<RequestOutcome> _sent = [];
    private DccHttp? _http;
    private DccWan? _wan;
    private EmulatedRig? _rig;
    private BenchHardware? _bench;
    private LocalCertificateAuthority? _issuer;
    private X509Certificate2? _dccCertificate;
    private string? _state;

    public SmiWorld World => world;

    public ScenarioContext Context => world.Context;

    public CancellationToken Ct => world.Ct;

    /// <summary>How long the DCC waits for a Device's Response before it ends the request (its /health/ready).</summary>
    public TimeSpan ResponseTimeout { get; private set; } = TimeSpan.FromSeconds(30);

    public EmulatedRig Rig => _rig ?? throw new StepArgumentException("No bench is running: the Background must start it (Given the Responsible Supplier's SMETS1 system is on the bench …).");

    public BenchHardware Hardware => _bench ?? throw new StepArgumentException("No bench is running.");

    /// <summary>Every request this scenario sent through the DCC, as last read.</summary>
    public IReadOnlyList<RequestOutcome> Sent => _sent;

    private DccHttp Http => _http ??= new DccHttp(world.Run.Http, world.Run.Target, world.Context);

    private DccWan Wan => _wan ??= new DccWan(world.Run, Http, world.Context, "the bench's hub");

    /// <summary>"the hub", "the Electricity Smart Meter", "the PPMID".</summary>
    public BenchPart Part(string phrase)
    {
        var name = phrase.StartsWith("the ", StringComparison.OrdinalIgnoreCase) ? phrase[4..] : phrase;
        return _parts.TryGetValue(name, out var part) ? part
            : throw new StepArgumentException($"'{phrase}' is not a device of this bench: it has {string.Join(", ", _parts.Keys.Select(k => "the " + k))}.");
    }

    /// <summary>The SMI side first (hub 'pending', meters pre-notified), then the rig, whose hub's connection commissions the CHF (AC 4.1).</summary>
    public async Task StartAsync()
    {
        if (_rig is not null)
            throw new StepArgumentException("The bench is already running in this scenario; a scenario has one bench.");

        await installer.EnsureHubAsync(Generation.Smets1, SmiStatus.Pending);
        var esme = world.Declare("Electricity Smart Meter", Generation.Smets1);
        var ppmid = world.Declare("PPMID", Generation.Smets1);
        await world.EnsureOnCplAsync(Generation.Smets1, "ESME", "PPMID");
        await installer.PreNotifyAsync(esme);
        await installer.PreNotifyAsync(ppmid);

        // A SMETS1 system is Commissioned only with the Supplier's declaration for each model (AC 3.8–3.9) and its
        // combination on the Eligible Product Combinations (H5).
        string[] types = ["CH", "ESME", "PPMID"];
        foreach (var type in types)
            SmiWorld.Need(await world.Client.DeclareSmets1Async(world.Supplier, world.ModelFor(type, Generation.Smets1), InventoryGivenSteps.LegalName(world), "A. Compliance, Head of Metering", Ct),
                $"give the AC 3.8 declaration for the {type} model");
        SmiWorld.Need(await world.Admin.AddEligibleCombinationAsync(types.Select(t => world.ModelFor(t, Generation.Smets1)).ToList(), Ct), "put the bench's SMETS1 combination on the EPC (H5)");
        foreach (var part in new BenchPart[] { new("hub", "chf", world.Device(HubLabel)), new("Electricity Smart Meter", "esme", esme), new("PPMID", "ppmid", ppmid) })
            _parts[part.Phrase] = part;

        var gateway = await Wan.GatewayAsync(Ct);
        ResponseTimeout = gateway.ResponseTimeout ?? ResponseTimeout;
        _issuer = LocalCertificateAuthority.Create($"SecDcc bench rig {world.Device(HubLabel).Id} device CA");
        await Wan.TrustIssuerAsync(_issuer.IssuerCertificate, Ct);
        _dccCertificate = await Wan.CommandCertificateAsync(Ct);

        var definition = Definition();
        _state = Directory.CreateTempSubdirectory($"secdcc-bench-{definition.Name}-").FullName;
        _rig = await EmulatedRig.StartAsync(
            definition,
            new EmulatorOptions
            {
                StateDirectory = _state,
                Log = _log,
                Wan = gateway.Connection(),
                DccCertificate = _dccCertificate,
                DeviceIssuer = _issuer,
            },
            Ct);
        foreach (var bank in _rig.SimulatedBanks.Values)
            bank.OutputChanged += change => Remember($"{change.Timestamp.TotalSeconds,9:0.000} s  {bank.BankName}/{change.Name} -> {change.Level}");
        _bench = new BenchHardware(definition, new BenchOptions { SimulatedBanks = _rig.SimulatedBanks });
        Context.Attach("bench", $"{definition.SourcePath}'s wiring with the Device Models of the rig under test {RigUnderTest.Definition.Name} ({RigUnderTest.Definition.SourcePath}), the SMI's Device IDs, hub connecting to the DCC's SM WAN gateway at {gateway} (response timeout {ResponseTimeout}), state in {_state}{Environment.NewLine}" +
            string.Join(Environment.NewLine, _rig.Devices.Select(d => $"{d.Name,-6} {d.Type,-6} {d.Id}  {d.Model.Model}{(d.Model.Quirks.All.Count > 0 ? $" (quirks: {d.Model.Quirks})" : string.Empty)}  local port {d.LocalPortPath}{(_parts.Values.FirstOrDefault(p => p.RigName == d.Name) is { } p ? $"  (the SMI's {p.Smi.Label})" : "  (not in the SMI)")}")));

        if (!await EventuallyAsync(async () => (await ReadAsync(HubLabel))?.Status == SmiStatus.Commissioned, Within))
        {
            throw new NUnit.Framework.AssertionException(
                $"Waited {Within.TotalSeconds:0} s for the SMI to show the hub's CHF 'commissioned' after its 'connected' communication (AC 4.1); it shows {Installer.Words((await ReadAsync(HubLabel))?.Status)}. " +
                $"The DCC's gateway has these connections: {await Wan.GetJsonAsync("wan/hubs", Ct)}{Environment.NewLine}The emulator's last lines:{Environment.NewLine}{EmulatorLogTail}");
        }
    }

    /// <summary>
    /// rigs/emulated.yaml's wiring (relays, local ports, state files) with the SMI's Device IDs, each device running the
    /// Device Model of the rig under test's first device of its type, as <see cref="RigDeviceSide"/> takes it: a Device
    /// Model's fault that shows only across a power cut, or in its answer to a real Command, is then seen here. The
    /// wiring stays the default bench's because these scenarios need a relay on every device's supply, which a rig under
    /// test need not have; a type the rig under test lacks keeps the default bench's Device Model. Other devices get IDs
    /// of their own that the SMI does not hold.
    /// </summary>
    private RigDefinition Definition()
    {
        var template = BenchWorld.Load("emulated");
        var underTest = RigUnderTest.Definition;
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["chf"] = world.Device(HubLabel).Id,
            ["gpf"] = world.Device("Gas Proxy Function").Id,
            ["esme"] = world.Device("Electricity Smart Meter").Id,
            ["ppmid"] = world.Device("PPMID").Id,
        };
        return template with
        {
            Devices = template.Devices.Select(d => d with
            {
                Id = Eui64.Parse(ids.TryGetValue(d.Name, out var id) ? id : world.Run.NewEui64()),
                Model = underTest.Devices.FirstOrDefault(u => u.Type == d.Type)?.Model ?? d.Model,
            }).ToList(),
        };
    }

    // ---- device Service Requests through the DCC --------------------------------------------------------------

    /// <summary>
    /// A Responsible Supplier's device Service Request to the DCC, which sends its Command over the SM WAN. The DCC's
    /// answer is attached; a refusal comes back as the reply's refusal, an acceptance as the request's id.
    /// </summary>
    public async Task<DccReply<string>> SendAsync(string srv, string target, IReadOnlyDictionary<string, string> parameters)
    {
        var supplier = world.Supplier;
        var reply = await Wan.SendAsync(supplier.Party, supplier.Role.ToString(), target, srv, parameters, null, Ct);
        if (reply.Accepted)
            _sent.Add(new RequestOutcome(reply.Value!, srv, false, false, null, "{}"));
        return reply;
    }

    /// <summary>The request's outcome once it has ended, waiting no longer than the DCC's response timeout and a margin.</summary>
    public async Task<RequestOutcome> OutcomeAsync(string requestId)
    {
        RequestOutcome? seen = null;
        var limit = ResponseTimeout + Within;
        if (!await EventuallyAsync(async () => (seen = await ReadOutcomeAsync(requestId)).Completed, limit))
            throw new NUnit.Framework.AssertionException(
                $"Request {requestId} was still waiting for its Device's Response {limit.TotalSeconds:0} s after it was sent, beyond the DCC's own response timeout of {ResponseTimeout.TotalSeconds:0} s: a request must end, as completed or as failed. Last read: {seen?.Json}");
        Context.Attach($"outcome of {requestId}", seen!.Json, "application/json");
        return seen;
    }

    /// <summary>The request as the DCC has it now.</summary>
    public async Task<RequestOutcome> ReadOutcomeAsync(string requestId)
    {
        var state = await Wan.ReadAsync(requestId, Ct);
        var completed = state.GetProperty("state").GetString() == "completed";
        var srv = _sent.FirstOrDefault(r => r.RequestId == requestId)?.Srv ?? "?";
        RequestOutcome outcome;
        if (!completed)
        {
            outcome = new RequestOutcome(requestId, srv, false, false, null, state.ToString());
        }
        else
        {
            var o = state.GetProperty("outcome");
            var data = o.GetProperty("data");
            string? noResponse = data.TryGetProperty("timeout", out _) ? "timeout" : data.TryGetProperty("notDelivered", out _) ? "notDelivered" : null;
            outcome = new RequestOutcome(requestId, srv, true, o.GetProperty("successfullyExecuted").GetBoolean(), noResponse, state.ToString());
        }

        var at = _sent.FindIndex(r => r.RequestId == requestId);
        if (at >= 0)
            _sent[at] = outcome;
        return outcome;
    }

    // ---- the SMI ----------------------------------------------------------------------------------------------

    /// <summary>Read Inventory without evidence (for polling); null when the Device is not listed.</summary>
    public async Task<DeviceRecord?> ReadAsync(string label)
    {
        using var response = await world.Run.Http.GetAsync($"inventory/devices/{world.Device(label).Id}", Ct);
        return response.IsSuccessStatusCode ? JsonSerializer.Deserialize<DeviceRecord>(await response.Content.ReadAsStringAsync(Ct), TransportJson.Options) : null;
    }

    /// <summary>Waits until the SMI shows the Device in <paramref name="status"/>; the last Read Inventory is attached.</summary>
    public async Task<DeviceRecord> ReadWhenAsync(BenchPart part, SmiStatus status)
    {
        await EventuallyAsync(async () => (await ReadAsync(part.Smi.Label))?.Status == status, Within);
        return await world.ReadAsync(part.Smi);
    }

    // ---- the devices ------------------------------------------------------------------------------------------

    /// <summary>What the device reports over its local port.</summary>
    public async Task<DeviceStateInfo> StateAsync(BenchPart part)
    {
        await using var port = RigPorts.Of(Rig).OpenLocalPort(part.RigName);
        return await port.ReadStateAsync(Ct);
    }

    /// <summary>What the device's state file holds; a device always has one once it has powered up.</summary>
    public (NonVolatileState Held, StateFile File) StateFileOf(BenchPart part)
    {
        var file = new StateFile(Rig[part.RigName].StatePath);
        return (file.Load() ?? throw new NUnit.Framework.AssertionException($"the {part.Phrase} has no state file at {file.Path}"), file);
    }

    public async Task CutAsync(BenchPart part)
    {
        await (await Hardware.PowerAsync(part.RigName, Ct)).OffAsync(Ct);
        await Until(() => !Rig[part.RigName].IsPoweredOn, $"the {part.Phrase} going down with its relay open");
    }

    public async Task RestoreAsync(BenchPart part)
    {
        await (await Hardware.PowerAsync(part.RigName, Ct)).OnAsync(Ct);
        await Until(() => Rig[part.RigName].IsPoweredOn, $"the {part.Phrase} coming back with its relay closed");
    }

    /// <summary>The newest "connected" communication the DCC's gateway recorded from the hub, on any open connection; 0 when none.</summary>
    public async Task<(long Sequence, string? Status)> LastCommunicationAsync()
    {
        var chf = world.Device(HubLabel).Id;
        (long, string?) last = (0, null);
        foreach (var hub in (await Wan.GetJsonAsync("wan/hubs", Ct)).EnumerateArray())
        {
            if (hub.TryGetProperty("communication", out var c) && c.ValueKind == JsonValueKind.Object
                && string.Equals(c.GetProperty("chfId").GetString(), chf, StringComparison.OrdinalIgnoreCase) && c.GetProperty("sequence").GetInt64() > last.Item1)
                last = (c.GetProperty("sequence").GetInt64(), c.TryGetProperty("status", out var s) ? s.GetString() : null);
        }

        return last;
    }

    /// <summary>The relay switchings seen so far on the rig's GPIO banks, for evidence.</summary>
    public string GpioEvents()
    {
        lock (_gpioGate)
            return _gpio.Count == 0 ? "(no relay has switched)" : string.Join(Environment.NewLine, _gpio);
    }

    public string EmulatorLogTail => string.Join(Environment.NewLine, _log.Lines.TakeLast(30));

    // ---- waiting ----------------------------------------------------------------------------------------------

    /// <summary>Polls until <paramref name="condition"/> holds; fails naming what did not happen, with the emulator's last lines.</summary>
    public async Task Eventually(Func<Task<bool>> condition, string what)
    {
        if (!await EventuallyAsync(condition, Within))
            throw new NUnit.Framework.AssertionException($"Waited {Within.TotalSeconds:0} s for {what}; it did not happen. The emulator's last lines:{Environment.NewLine}{EmulatorLogTail}");
    }

    private Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan limit) => DccWan.EventuallyAsync(condition, limit, Ct);

    private async Task Until(Func<bool> condition, string what)
    {
        if (!await EventuallyAsync(() => Task.FromResult(condition()), Within))
            throw new RigFaultException($"{what} did not happen within {Within.TotalSeconds:0} s: the relay does not switch the device");
    }

    public async ValueTask DisposeAsync()
    {
        Context.Attach("relays switched", GpioEvents());
        Context.Attach("emulator log", _log.ToString());
        if (_bench is not null)
            await _bench.DisposeAsync();
        if (_rig is not null)
            await _rig.DisposeAsync();
        _issuer?.Dispose();
        _dccCertificate?.Dispose();
        if (_state is not null && Directory.Exists(_state))
            Directory.Delete(_state, recursive: true);
    }

    private void Remember(string line)
    {
        lock (_gpioGate)
            _gpio.Add(line);
    }
}
