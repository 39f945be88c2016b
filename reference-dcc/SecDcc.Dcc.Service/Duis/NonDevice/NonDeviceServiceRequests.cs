using System.Threading.Channels;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Products;
using SecDcc.Duis.Messages;
using static SecDcc.Dcc.Service.Duis.NonDevice.InventoryMapping;
using DomainType = SecDcc.Dcc.Inventory.DeviceType;

namespace SecDcc.Dcc.Service.Duis.NonDevice;

/// <summary>
/// The non-device Service Requests (12.2, 8.2, 8.3, 8.4, 8.13, 8.14.x) on the domain: each calls the same SmiService
/// method as the JSON API, so a refusal names the same clause whichever interface carried the request (decision 1003).
/// </summary>
public sealed class NonDeviceServiceRequests(ReferenceDcc dcc) : IDisposable
{
    public const int MaxInventoryDevices = 17;
    private readonly CplCache _cpl = new(dcc.Products);

    // SQLite has one writer, and writers that find it busy are put to sleep by its busy handler (for a whole second on
    // some builds); queueing this interface's SMI writes in the process costs far less. PostgreSQL serialises writers too.
    private readonly SemaphoreSlim _writes = new(1, 1);

    // Pre-notifications that arrive together are judged together, each on its own, in one transaction (the domain's
    // batch, which DUIS 12.2 is the reason for): one durable write for many requests.
    private readonly Channel<PendingPreNotification> _preNotifications = Channel.CreateUnbounded<PendingPreNotification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private Task? _preNotifier;
    private const int MaxPreNotificationBatch = 500;

    private sealed record PendingPreNotification(AddDeviceRequest Request)
    {
        public TaskCompletionSource<Refusal?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static readonly IReadOnlySet<string> Variants = new HashSet<string>(StringComparer.Ordinal)
    {
        "12.2", "8.2", "8.3", "8.4", "8.13", "8.14.1", "8.14.2", "8.14.3", "8.14.4",
    };

    public Task<ServiceOutcome> HandleAsync(AdmittedRequest request, CancellationToken ct) => request.Request.Body switch
    {
        DevicePreNotification body => PreNotifyAsync(request.Actor, body, ct),
        ReadInventory body => ReadInventoryAsync(body, ct),
        DecommissionDevice body => OneWriterAsync(() => DecommissionAsync(request.Actor, body, ct), ct),
        UpdateInventory body => OneWriterAsync(() => UpdateInventoryAsync(request.Actor, body, ct), ct),
        ReturnLocalCommandResponse => Task.FromResult(ServiceOutcome.Success(note:
            "Local Command Response received; the reference DCC does not interpret GBCS, so the SMI is unchanged.")),
        ChfInstallSuccess body => HubStatusAsync(request.Actor, body.DeviceId, ct),
        ChfInstallNoSmWan body => HubStatusAsync(request.Actor, body.DeviceId, ct),
        ChfFaultReturn body => HubStatusAsync(request.Actor, body.DeviceId, ct),
        ChfNoFaultReturn body => HubStatusAsync(request.Actor, body.DeviceId, ct),
        var other => Task.FromResult<ServiceOutcome>(DuisRejection.OutOfScope("BodyNotHandled",
            $"SRV {request.Srv} with body {other.GetType().Name} has no non-device handler in the reference DCC.")),
    };

    private async Task<ServiceOutcome> OneWriterAsync(Func<Task<ServiceOutcome>> write, CancellationToken ct)
    {
        await _writes.WaitAsync(ct);
        try
        {
            return await write();
        }
        finally
        {
            _writes.Release();
        }
    }

    // ---- 12.2 Device Pre-notification (AC 2.3–2.9) --------------------------------------------------------

    private async Task<ServiceOutcome> PreNotifyAsync(Actor actor, DevicePreNotification body, CancellationToken ct)
    {
        var type = ToDomain(body.DeviceType);
        var model = ResolveModel(body.DeviceManufacturer, body.DeviceModel, body.FirmwareVersion, type, await _cpl.EntriesAsync(ct));
        if (!model.IsSuccess)
            return ServiceOutcome.Rejected(model.Refusal!);
        var generation = Generation(body.SmetsChtsVersion);
        if (type == DomainType.CHF)
        {
            // A CHF is pre-notified with its GPF (AssociatedGPFDeviceID), as AC 2.5 adds them together.
            return await OneWriterAsync(async () =>
            {
                var hub = await dcc.Inventory.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(
                    actor, Device(body.DeviceId), body.AssociatedGpfDeviceId is { } gpf ? Device(gpf) : null, model.Value, generation), ct);
                return hub.IsSuccess ? ServiceOutcome.Success(note: $"CHF {hub.Value.Chf.Id} and GPF {hub.Value.Devices[0].Id} added as Pending.") : ServiceOutcome.Rejected(hub.Refusal!);
            }, ct);
        }
        var pending = new PendingPreNotification(new AddDeviceRequest(actor, Device(body.DeviceId), type, model.Value, generation));
        lock (_gate)
            _preNotifier ??= Task.Run(PreNotifyBatchesAsync);
        await _preNotifications.Writer.WriteAsync(pending, ct);
        return await pending.Done.Task.WaitAsync(ct) is { } refusal
            ? ServiceOutcome.Rejected(refusal)
            : ServiceOutcome.Success(note: $"{type} {pending.Request.DeviceId} added{(type.IsType2() ? " (Type 2, no SMI Status)" : " as Pending")}.");
    }

    private async Task PreNotifyBatchesAsync()
    {
        while (await _preNotifications.Reader.WaitToReadAsync())
        {
            var batch = new List<PendingPreNotification>();
            while (batch.Count < MaxPreNotificationBatch && _preNotifications.Reader.TryRead(out var next))
                batch.Add(next);
            await _writes.WaitAsync();
            try
            {
                var results = await dcc.Inventory.PreNotifyDevicesAsync(batch.Select(p => p.Request).ToList(), CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(results[i].Refusal);
            }
            catch (Exception e)
            {
                // Whatever failed, the waiting requests fail with it rather than wait for ever; the next batch tries again.
                foreach (var p in batch)
                    p.Done.TrySetException(e);
            }
            finally
            {
                _writes.Release();
            }
        }
    }

    public void Dispose() => _preNotifications.Writer.TryComplete();

    // ---- 8.2 Read Inventory ----------------------------------------------------------------------------------

    private async Task<ServiceOutcome> ReadInventoryAsync(ReadInventory body, CancellationToken ct)
    {
        if (body.DeviceId is { } eui)
        {
            var read = await dcc.Inventory.ReadInventoryAsync(Device(eui), ct);
            if (!read.IsSuccess)
                return ServiceOutcome.Rejected(read.Refusal!);
            if (read.Value.Type != DomainType.CHF)
                return Inventory([read.Value]);
            // A CHF is read with the Devices in its Device Log, as the JSON API's /chf/{id} does.
            var hub = await dcc.Inventory.ReadInventoryByChfAsync(read.Value.Id, ct);
            return hub.IsSuccess ? Inventory([hub.Value.Chf, .. hub.Value.Devices]) : ServiceOutcome.Rejected(hub.Refusal!);
        }
        if (body.Mpxn is { } mpxn)
        {
            var found = await FindByMpxnAsync(mpxn, ct);
            return found.Count > 0
                ? Inventory(found)
                : new DuisRejection(new ResponseCode("E19"), "AC-2.1", "NoDeviceWithMpxn", $"No Device in the Smart Metering Inventory has MPAN/MPRN '{mpxn}'.", "MPxN");
        }
        return DuisRejection.OutOfScope("InventoryKeyNotHeld",
            "Read Inventory by UPRN or by property is not offered: the reference DCC's SMI records no UPRN or address. Read by DeviceID or MPxN.",
            body.Uprn is null ? "PropertyFilter" : "UPRN");
    }

    private static ServiceOutcome Inventory(IReadOnlyList<Device> devices) =>
        ServiceOutcome.Success(new DspInventory(devices.Take(MaxInventoryDevices).Select(ToInventoryDevice).ToList()),
            devices.Count > MaxInventoryDevices ? $"{devices.Count} Devices match; DSPInventory holds the first {MaxInventoryDevices}." : null);

    private async Task<IReadOnlyList<Device>> FindByMpxnAsync(string mpxn, CancellationToken ct)
    {
        // The SMI has no MPxN index; a page-wise scan is enough for a reference DCC's inventories.
        var found = new List<Device>();
        DeviceId? after = null;
        while (found.Count < MaxInventoryDevices)
        {
            var page = await dcc.Inventory.ListDevicesAsync(after, 1000, ct);
            found.AddRange(page.Where(d => d.Mpxns.Contains(mpxn)));
            if (page.Count < 1000)
                break;
            after = page[^1].Id;
        }
        return found;
    }

    // ---- 8.3 Decommission Device (H6, AC 10.1) ------------------------------------------------------------------

    private async Task<ServiceOutcome> DecommissionAsync(Actor actor, DecommissionDevice body, CancellationToken ct)
    {
        var outcome = await dcc.Inventory.DecommissionDeviceAsync(new DecommissionDeviceRequest(actor, Device(body.DeviceId)), ct);
        return outcome.IsSuccess ? ServiceOutcome.Success(note: $"{outcome.Value.Type} {outcome.Value.Id} is Decommissioned.") : ServiceOutcome.Rejected(outcome.Refusal!);
    }

    // ---- 8.4 Update Inventory (AC 2.10, 8.1, 8.3, H6) ----------------------------------------------------------------

    private async Task<ServiceOutcome> UpdateInventoryAsync(Actor actor, UpdateInventory body, CancellationToken ct)
    {
        var id = Device(body.DeviceId);
        var read = await dcc.Inventory.ReadInventoryAsync(id, ct);
        if (!read.IsSuccess)
            return ServiceOutcome.Rejected(read.Refusal!);
        var device = read.Value;
        return body.Update switch
        {
            UpdateDeviceStatusExceptCh s => await StatusExceptChAsync(actor, device, s.Status, ct),
            UpdateDeviceStatusCh s => await StatusChAsync(actor, device, s.Status, ct),
            UpdateDeviceDetails d => await DetailsAsync(actor, device, d, ct),
            UpdateMpxn m => await MpxnAsync(actor, device, m, ct),
            DeleteDevice => DuisRejection.OutOfScope("DeleteDeviceNotOffered",
                "Update Inventory DeleteDevice is not offered: no clause in scope lets a User remove a Device; a Device leaves the SMI only after 12 months 'pending' (AC 8.2).",
                "DeleteDevice"),
            _ => DuisRejection.OutOfScope("UpdateNotHandled", $"Update Inventory {body.Update.GetType().Name} is not handled."),
        };
    }

    private async Task<ServiceOutcome> StatusExceptChAsync(Actor actor, Device device, DeviceStatus status, CancellationToken ct)
    {
        if (device.Type is DomainType.CHF or DomainType.GPF)
            return new DuisRejection(new ResponseCode("E11"), "DUIS-8.4", "UseUpdateDeviceStatusCH",
                $"{device.Type} {device.Id} is part of a Communications Hub; change its status with UpdateDeviceStatusCH.", "UpdateDeviceStatusExceptCH");
        if (status == DeviceStatus.Pending)
            return Applied(await dcc.Inventory.ReactivateDeviceAsync(new ReactivateDeviceRequest(actor, device.Id), ct));
        return new DuisRejection(new ResponseCode("E5"), "AC-4.4", "StatusSetByAlertOnly",
            $"{device.Type} {device.Id} becomes 'installed not commissioned' when its CHF alerts that it can communicate with it over the HAN (AC 4.4); a User does not set that status through Update Inventory.",
            "UpdateDeviceStatusExceptCH");
    }

    private async Task<ServiceOutcome> StatusChAsync(Actor actor, Device device, DeviceStatus status, CancellationToken ct)
    {
        if (device.Type is not (DomainType.CHF or DomainType.GPF))
            return new DuisRejection(new ResponseCode("E11"), "DUIS-8.4", "NotACommunicationsHub",
                $"{device.Type} {device.Id} is not part of a Communications Hub; UpdateDeviceStatusCH applies to a CHF or GPF.", "UpdateDeviceStatusCH");
        return status switch
        {
            DeviceStatus.Withdrawn => Applied(await dcc.Inventory.WithdrawDeviceAsync(new WithdrawDeviceRequest(actor, device.Id), ct)),
            DeviceStatus.Commissioned => new DuisRejection(new ResponseCode("E5"), "AC-4.1", "ChfCommissionedByCommunication",
                $"A CHF is Commissioned when the DCC receives a verified communication from it over the SM WAN (AC 4.1, 4.2), not by Update Inventory.", "UpdateDeviceStatusCH"),
            _ => new DuisRejection(new ResponseCode("E5"), "AC-4.4", "StatusSetByAlertOnly",
                $"'installed not commissioned' follows a HAN alert (AC 4.4); a User does not set it through Update Inventory.", "UpdateDeviceStatusCH"),
        };
    }

    private async Task<ServiceOutcome> DetailsAsync(Actor actor, Device device, UpdateDeviceDetails details, CancellationToken ct)
    {
        var manufacturer = details.DeviceManufacturer ?? device.Model.Manufacturer;
        var model = details.DeviceModel ?? device.Model.Model;
        var firmware = details.FirmwareVersion ?? device.Model.FirmwareVersion;
        var resolved = ResolveModel(manufacturer, model, firmware, device.Type, await _cpl.EntriesAsync(ct));
        if (!resolved.IsSuccess)
            return ServiceOutcome.Rejected(resolved.Refusal!);
        // Off the CPL, the new model keeps the Device's hardware version: a firmware update changes only the firmware.
        var newModel = resolved.Value.HardwareVersion.Length == 0 ? resolved.Value with { HardwareVersion = device.Model.HardwareVersion } : resolved.Value;
        return Applied(await dcc.Inventory.UpdateDeviceModelAsync(new UpdateDeviceModelRequest(actor, device.Id, newModel), ct));
    }

    private async Task<ServiceOutcome> MpxnAsync(Actor actor, Device device, UpdateMpxn update, CancellationToken ct)
    {
        // The SMI holds a Smart Meter's MPxNs as [import, export] (AC 4.3(b)); it has no place for a secondary import MPAN.
        IReadOnlyList<string> mpxns;
        switch (update.Kind)
        {
            case MpxnKind.ImportMpxn:
                mpxns = [update.Value, .. device.Mpxns.Skip(1)];
                break;
            case MpxnKind.ExportMpan when device.Mpxns.Count > 0:
                mpxns = [device.Mpxns[0], update.Value];
                break;
            case MpxnKind.ExportMpan:
                return new DuisRejection(new ResponseCode("E11"), "AC-2.10", "NoImportMpan",
                    $"{device.Type} {device.Id} has no import MPAN yet; record the ImportMPxN before an ExportMPAN.", "ExportMPAN");
            default:
                return DuisRejection.OutOfScope("SecondaryImportMpanNotHeld",
                    "The reference DCC's SMI records a Smart Meter's import MPxN and export MPAN (AC 4.3(b)); a SecondaryImportMPAN is not held.", "SecondaryImportMPAN");
        }
        return Applied(await dcc.Inventory.UpdateMpxnAsync(new UpdateMpxnRequest(actor, device.Id, mpxns), ct));
    }

    private static ServiceOutcome Applied(Outcome<Device> outcome) =>
        outcome.IsSuccess
            ? ServiceOutcome.Success(note: $"{outcome.Value.Type} {outcome.Value.Id}: status {outcome.Value.Status?.ToString() ?? "none (Type 2)"}, model {outcome.Value.Model}.")
            : ServiceOutcome.Rejected(outcome.Refusal!);

    // ---- 8.14.x Communications Hub Status Update --------------------------------------------------------------

    private async Task<ServiceOutcome> HubStatusAsync(Actor actor, SecDcc.Duis.Eui64 chfId, CancellationToken ct)
    {
        var read = await dcc.Inventory.ReadInventoryAsync(Device(chfId), ct);
        if (!read.IsSuccess)
            return ServiceOutcome.Rejected(read.Refusal!);
        var chf = read.Value;
        if (chf.Type != DomainType.CHF)
            return new DuisRejection(new ResponseCode("E11"), "DUIS-8.14", "NotACommunicationsHubFunction",
                $"Device {chf.Id} is a {chf.Type}; a Communications Hub Status Update names the CHF.", "DeviceID");
        if (!actor.IsSupplier || !(chf.IsResponsibleSupplier(actor.Party) || chf.LeadSupplier == actor.Party))
            return new DuisRejection(new ResponseCode("E4"), "DUIS-8.14", "NotResponsibleSupplier",
                $"{actor} is not a Responsible Supplier for CHF {chf.Id}; its Responsible Supplier reports the Communications Hub's status.", "DeviceID");
        return ServiceOutcome.Success(note: $"Status update for CHF {chf.Id} recorded; the clauses in scope give it no SMI effect, so the SMI is unchanged.");
    }
}

/// <summary>The current CPL's entries, read again only when a new CPL document has been received.</summary>
internal sealed class CplCache(ProductCatalogue products)
{
    private (long Sequence, DateTimeOffset? SmiUpdatedAt, IReadOnlyList<CplEntry> Entries)? _current;

    public async Task<IReadOnlyList<CplEntry>> EntriesAsync(CancellationToken ct)
    {
        var latest = await products.LatestCplAsync(ct);
        if (latest is null)
            return [];
        var current = _current;
        if (current is { } c && c.Sequence == latest.Sequence)
            return c.Entries;
        var entries = await products.CplEntriesAsync(ct);
        _current = (latest.Sequence, latest.SmiUpdatedAt, entries);
        return entries;
    }
}
