using System.Text.Json;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.TrustAnchors;
using SecDcc.Scenarios;
using SecDcc.Steps.Bench;
using SecDcc.Steps.Support;
using Eui64 = SecDcc.Drivers.Link.Eui64;
using ProtocolDeviceType = SecDcc.DeviceProtocol.Messages.DeviceType;

namespace SecDcc.Steps.TrustAnchors;

/// <summary>
/// AC 3.1–3.2 through the DCC: the trust-anchor rig's hub connects to the DCC's SM WAN gateway, the harness asks the DCC
/// for a meter's cells with 'Retrieve Device Security Credentials (KRP)' (6.24.1, POST /wan/requests), and the cells in
/// the meter's Response are judged by the same check as a reading over its local port. The harness reaches the DCC only
/// through its JSON API and the devices only through their ports.
/// </summary>
[Binding]
public sealed class TrustAnchorDccSteps(BenchWorld bench, SmiWorld world, TrustAnchorResults checks)
{
    private const string Chf = "Communications Hub Function";
    private const string Gpf = "Gas Proxy Function";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly DccWan _wan = new(world.Run, new DccHttp(world.Run.Http, world.Run.Target, world.Context), world.Context, "reading cells through the DCC");

    /// <summary>
    /// The DCC lists the rig's hub (delivered, AC 2.4) and pre-notifies its meters (AC 2.6), each under an ID of this
    /// scenario's; the rig starts under those IDs with the DCC's command-signing certificate in its cells, its Device
    /// Certificate issuers trusted by the DCC, and its hub's verified 'connected' communication Commissions the CHF (AC 4.1).
    /// </summary>
    [Given("^the emulated rig \"([^\"]+)\" is running with its hub connected to the DCC$")]
    public async Task GivenConnected(string name)
    {
        var definition = BenchWorld.Load(name);
        await new Installer(world).EnsureHubAsync(Generation.Smets2Plus, SmiStatus.Pending);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var device in definition.Devices)
        {
            ids[device.Name] = device.Type switch
            {
                ProtocolDeviceType.CHF => world.Device(Chf).Id,
                ProtocolDeviceType.GPF => world.Device(Gpf).Id,
                _ => world.Run.NewEui64(),
            };
        }

        await world.EnsureOnCplAsync(Generation.Smets2Plus, "ESME", "GSME");
        foreach (var meter in definition.Devices.Where(d => d.Type is ProtocolDeviceType.ESME or ProtocolDeviceType.GSME))
        {
            var type = meter.Type.ToString();
            SmiWorld.Need(await world.Client.AddDeviceAsync(world.Supplier, ids[meter.Name], type, world.ModelFor(type, Generation.Smets2Plus), Generation.Smets2Plus, null, world.Ct),
                $"pre-notify the rig's {meter.Name} (AC 2.6)");
        }

        // The DCC must know the rig's Device Certificate issuers before the hub's first 'connected' communication.
        using (var anchors = RigTrustAnchors.Create(definition.TrustAnchors))
        {
            foreach (var issuer in anchors.DeviceIssuer().TrustChain)
                await _wan.TrustIssuerAsync(issuer, world.Ct);
        }

        var dccCertificate = await _wan.CommandCertificateAsync(world.Ct);
        var gateway = await _wan.GatewayAsync(world.Ct);
        await bench.StartAsync(name, dcc: (gateway.Connection(), dccCertificate),
            adjust: d => d with { Devices = d.Devices.Select(x => x with { Id = Eui64.Parse(ids[x.Name]) }).ToList() });

        var chf = world.Device(Chf);
        if (!await EventuallyAsync(async () => (await world.ReadAsync(chf)).Status == SmiStatus.Commissioned))
            throw new RigFaultException($"The rig's hub connected to the DCC's SM WAN gateway at {gateway}, but its CHF {chf.Id} is not 'commissioned' within {Within.TotalSeconds:0} s (AC 4.1): {(await world.ReadAsync(chf)).Status}.");
    }

    [When("^the harness reads the Trust Anchor Cells of \"([^\"]+)\" through the DCC$")]
    public async Task WhenReadThroughDcc(string device)
    {
        var meter = bench.Rig[device];
        await InstallAsync(device, meter.Id.ToString(), meter.Type);
        var outcome = await RequestAsync("6.24.1", meter.Id.ToString(), new Dictionary<string, string>());
        var data = outcome.GetProperty("data");
        if (!outcome.GetProperty("successfullyExecuted").GetBoolean())
            throw new RigFaultException($"{device} did not answer 'Retrieve Device Security Credentials (KRP)' through the DCC: {outcome}");

        var cells = data.GetProperty("cells").GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => new CredentialCell(n, new Octets(Convert.FromBase64String(data.GetProperty("cell." + n).GetString()!))))
            .ToList();
        var listed = await world.Client.ReadDeviceAsync(meter.Id.ToString(), world.Ct);
        var record = SmiWorld.Need(listed, $"read {device} from the SMI");
        var identity = new DeviceIdentity(
            meter.Id,
            Enum.Parse<ProtocolDeviceType>(record.DeviceType),
            new DeviceModelInfo(record.Model.Manufacturer, record.Model.Model, record.Model.HardwareVersion, record.Model.FirmwareVersion, default, "SMETS2+"),
            cells.FirstOrDefault(c => c.Name == CredentialCells.DeviceCertificate)?.Value ?? default);
        checks.Record(device, "6.24.1 through the DCC", TrustAnchorReading.From(identity, cells));
    }

    /// <summary>AC 2.7: the DCC sends a Command only to a Device it lists; the meter is put in the CHF's Device Log (4.3) and heard on the HAN (4.4) first.</summary>
    private async Task InstallAsync(string name, string id, ProtocolDeviceType type)
    {
        if ((await world.Client.ReadDeviceAsync(id, world.Ct)).Value?.Status is not SmiStatus.Pending)
            return;
        await world.RegisterNetworkOperatorsAsync();
        var mpxn = type == ProtocolDeviceType.GSME ? world.NewMprn() : world.NewMpan();
        var whitelisted = await RequestAsync("8.11", world.Device(Chf).Id, new Dictionary<string, string> { ["device"] = id, ["mpxns"] = mpxn });
        if (!whitelisted.GetProperty("successfullyExecuted").GetBoolean())
            throw new RigFaultException($"The rig's CHF did not add {name} to its Device Log: {whitelisted}");
        if (!await EventuallyAsync(async () => (await world.Client.ReadDeviceAsync(id, world.Ct)).Value?.Status == SmiStatus.InstalledNotCommissioned))
            throw new RigFaultException($"The rig's CHF added {name} to its Device Log, but the DCC heard no HAN alert for it within {Within.TotalSeconds:0} s (AC 4.4).");
    }

    /// <summary>A device Service Request in the Responsible Supplier's name through the DCC's JSON API, and its outcome once the Device has answered.</summary>
    private async Task<JsonElement> RequestAsync(string srv, string target, IReadOnlyDictionary<string, string> parameters)
    {
        var sent = await _wan.SendAsync(world.Supplier.Party, world.Supplier.Role.ToString(), target, srv, parameters, null, world.Ct);
        if (!sent.Accepted)
            throw new DccUnavailableException($"Could not send {srv} to {target} through the DCC: the DCC answered {sent.Refusal}. Reading cells through the DCC needs a test-mode DCC with its SM WAN gateway (--test-mode --wan-port 0).");
        return (await _wan.CompletedAsync(sent.Value!, Within, world.Ct)).GetProperty("outcome");
    }

    private Task<bool> EventuallyAsync(Func<Task<bool>> condition) => DccWan.EventuallyAsync(condition, Within, world.Ct);
}
