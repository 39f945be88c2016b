using NUnit.Framework;

namespace SecDcc.Steps.Support;

/// <summary>
/// Takes a scenario's Devices through the Appendix AC steps to the state a Given names: pre-notification (2.6),
/// the DCC's delivery of a hub (2.4) or a User's SMETS1 hub (2.5, 2.8), the CHF's connection (4.1), Update HAN Device
/// Log (4.3), the HAN alert (4.4), Commission Device (4.11–4.13), Join (4.5–4.10), Decommission, Withdrawal, and
/// Suspension by the model leaving the CPL. Each step must be accepted, or the set-up fails naming the refusal.
/// </summary>
public sealed class Installer(SmiWorld world)
{
    private const string Chf = "Communications Hub Function";
    private const string Gpf = "Gas Proxy Function";

    public async Task<ScenarioDevice> CreateAsync(string label, Generation generation, SmiStatus? status)
    {
        var type = SmiWorld.TypeOfLabel(label);
        ScenarioDevice device;
        if (type is "CHF" or "GPF")
        {
            await EnsureHubAsync(generation, type == "CHF" && status is not null ? SmiStatus.Pending : SmiStatus.Commissioned);
            device = world.Device(label.StartsWith("other ", StringComparison.OrdinalIgnoreCase) ? label : type == "CHF" ? Chf : Gpf);
        }
        else
        {
            device = world.Declare(label, generation);
            if (!device.IsType2) await world.EnsureOnCplAsync(generation, SmiWorld.CplTypeOf(type));
            await PreNotifyAsync(device);
        }
        if (status is { } s) await DriveAsync(device, s);
        return device;
    }

    public async Task PreNotifyAsync(ScenarioDevice device)
    {
        if (device.Generation == Generation.Smets1) await GiveServiceDeskInformationAsync(device);
        SmiWorld.Need(await world.Client.AddDeviceAsync(world.Supplier, device.Id, device.DeviceType, device.Model, device.Generation, null, world.Ct),
            $"pre-notify the {device.Label} (AC 2.6)");
    }

    public async Task GiveServiceDeskInformationAsync(ScenarioDevice device) =>
        SmiWorld.Need(await world.Client.ProvideServiceDeskInformationAsync(world.Supplier, device.Id, ServiceDeskInformation(device), world.Ct),
            $"give the Service Desk the {device.Label}'s details (AC 3.4)");

    public static IReadOnlyDictionary<string, string> ServiceDeskInformation(ScenarioDevice device) => new Dictionary<string, string>
    {
        ["deviceId"] = device.Id,
        ["deviceModel"] = device.Model.ToString(),
        ["smsoConnection"] = $"SMSO endpoint for {device.Id}",
    };

    /// <summary>
    /// The scenario's Communications Hub: a SMETS2+ hub the DCC adds before delivering it to the Responsible Supplier
    /// (AC 2.4), or a SMETS1 hub the Lead Supplier adds with its Service Desk information (AC 2.5, 2.8, 3.4). Its CHF is
    /// then connected to the SM WAN unless the scenario wants it left 'pending'.
    /// </summary>
    public async Task EnsureHubAsync(Generation generation, SmiStatus chfStatus = SmiStatus.Commissioned)
    {
        if (world.Has(Chf)) return;
        var chf = world.Declare(Chf, generation);
        var gpf = world.Declare(Gpf, generation);
        await world.EnsureOnCplAsync(generation, "CH");
        if (generation == Generation.Smets2Plus)
            SmiWorld.Need(await world.Admin.DeliverCommunicationsHubAsync(chf.Id, gpf.Id, chf.Model, world.Supplier.Party, world.Ct), "add the delivered Communications Hub (AC 2.4)");
        else
        {
            await GiveServiceDeskInformationAsync(chf);
            await GiveServiceDeskInformationAsync(gpf);
            SmiWorld.Need(await world.Client.AddCommunicationsHubAsync(world.Supplier, chf.Id, gpf.Id, chf.Model, generation, world.Supplier.Party,
                [world.Supplier.Party, world.Party("Gas Supplier").Party], world.Ct), "add the SMETS1 Communications Hub (AC 2.5, 2.8)");
        }
        if (chfStatus != SmiStatus.Pending) await DriveAsync(chf, chfStatus);
    }

    public async Task DriveAsync(ScenarioDevice device, SmiStatus status)
    {
        switch (status)
        {
            case SmiStatus.Pending:
                break;
            case SmiStatus.Whitelisted:
                await WhitelistAsync(device);
                break;
            case SmiStatus.InstalledNotCommissioned:
                await InstallAsync(device);
                break;
            case SmiStatus.Commissioned:
                await CommissionAsync(device);
                break;
            case SmiStatus.Decommissioned:
                await BeforeRetirementAsync(device);
                SmiWorld.Need(await world.Client.DecommissionAsync(world.Supplier, device.Id, world.Ct), $"Decommission the {device.Label}");
                break;
            case SmiStatus.Withdrawn:
                await BeforeRetirementAsync(device);
                SmiWorld.Need(await world.Client.WithdrawAsync(world.Supplier, device.Id, world.Ct), $"Withdraw the {device.Label}");
                break;
            case SmiStatus.Suspended:
                await BeforeRetirementAsync(device);
                await SuspendAsync(device);
                break;
        }
        var now = await world.ReadAsync(device);
        Assert.That(now.Status, Is.EqualTo(status), $"Set-up meant to leave the {device.Label} '{Words(status)}', but Read Inventory shows {Words(now.Status)}.");
    }

    /// <summary>Meters and Type 1 Devices are put in the CHF's Device Log first, so only their status differs from a working system.</summary>
    private async Task BeforeRetirementAsync(ScenarioDevice device)
    {
        if (!device.IsHub && !device.IsType2) await InstallAsync(device);
    }

    private async Task WhitelistAsync(ScenarioDevice device)
    {
        await EnsureHubAsync(device.Generation);
        var chf = world.Device(Chf);
        SmiWorld.Need(await world.Client.UpdateHanDeviceLogAsync(world.Supplier, chf.Id, device.Id, await world.MpxnsForAsync(device), world.Ct),
            $"add the {device.Label} to the CHF's Device Log (AC 4.3)");
    }

    private async Task InstallAsync(ScenarioDevice device)
    {
        if (device.DeviceType == "GPF")
        {
            var gsme = await EnsureMeterAsync("Gas Smart Meter", SmiStatus.InstalledNotCommissioned, device.Generation);
            await JoinAsync(device, gsme);
            return;
        }
        await WhitelistAsync(device);
        SmiWorld.Need(await world.Devices.HanAlertAsync(world.Device(Chf).Id, device.Id, world.Ct), $"have the CHF report the {device.Label} on its HAN (AC 4.4)");
    }

    private async Task CommissionAsync(ScenarioDevice device)
    {
        switch (device.DeviceType)
        {
            case "CHF":
                SmiWorld.Need(await world.Devices.ChfConnectsAsync(device.Id, true, true, world.Ct), "have the CHF connect to the SM WAN (AC 4.1)");
                break;
            case "ESME" or "GSME":
                await InstallAsync(device);
                SmiWorld.Need(await world.Client.CommissionDeviceAsync(world.Supplier, device.Id, world.Ct), $"send Commission Device for the {device.Label} (AC 4.11)");
                SmiWorld.Need(await world.Devices.CommissionResponseAsync(device.Id, true, world.Ct), $"have the {device.Label} answer Commission Device (AC 4.13)");
                break;
            case "GPF":
                await JoinAsync(device, await EnsureMeterAsync("Gas Smart Meter", SmiStatus.Commissioned, device.Generation));
                break;
            default:
                await InstallAsync(device);
                await JoinAsync(device, await EnsureMeterAsync("Electricity Smart Meter", SmiStatus.Commissioned, device.Generation));
                break;
        }
    }

    private async Task<ScenarioDevice> EnsureMeterAsync(string label, SmiStatus status, Generation generation)
    {
        if (!world.Has(label)) return await CreateAsync(label, generation, status);
        var meter = world.Device(label);
        var now = await world.ReadAsync(meter);
        if (now.Status != status) await DriveAsync(meter, status);
        return meter;
    }

    public async Task JoinAsync(ScenarioDevice device, ScenarioDevice target)
    {
        SmiWorld.Need(await world.Client.JoinAsync(world.Supplier, device.Id, target.Id, world.Ct), $"send Join Service for the {device.Label} and the {target.Label} (AC 4.5)");
        SmiWorld.Need(await world.Devices.JoinResponseAsync(device.Id, target.Id, true, world.Ct), $"have the join of the {device.Label} answered (AC 4.7)");
    }

    /// <summary>The Panel issues a CPL without the Device's model and the DCC's 24 hours pass (F2.15(b)): the Device is Suspended.</summary>
    public async Task SuspendAsync(ScenarioDevice device)
    {
        world.Run.Panel.Delist(device.Model);
        await world.PublishCplAsync();
        await world.LetCplTakeEffectAsync();
    }

    public static string Words(SmiStatus? status) => status switch
    {
        null => "no SMI Status",
        SmiStatus.InstalledNotCommissioned => "installed not commissioned",
        { } s => s.ToString().ToLowerInvariant(),
    };
}
