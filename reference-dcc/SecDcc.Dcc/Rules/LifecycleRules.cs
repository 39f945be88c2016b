using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Products;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 2.7, 2.10, 8.1–8.3, 10.1 and Section H6 (decommissioning, withdrawal, suspension).</summary>
public static class LifecycleRules
{
    /// <summary>AC 2.7: no communication to a Device not listed in the SMI, save for testing under H14 or Section T.</summary>
    public static Refusal? MayCommunicate(DeviceId id, Device? device, CommunicationPurpose purpose)
    {
        if (device is not null || purpose != CommunicationPurpose.Operational)
            return null;
        return new Refusal("AC-2.7", "DeviceNotInSmi",
            $"The DCC sends no communication to Device {id}: it is not listed in the Smart Metering Inventory (only testing under Section H14 or Section T is exempt).",
            RefusalKind.NotFound, "deviceId");
    }

    /// <summary>AC 8.1: the Responsible Supplier returns a Device (not Type 2) from 'decommissioned', 'whitelisted' or 'withdrawn' to 'pending', if its model is on the CPL.</summary>
    public static Refusal? MayReactivate(ReactivateDeviceRequest request, Device? device, CplEntry? entry)
    {
        if (device is null)
            return Refusal.NotInSmi("AC-8.1", request.DeviceId);
        if (device.IsType2)
            return new Refusal("AC-8.1", "Type2HasNoStatus", $"Device {device.Id} is a Type 2 Device ({device.Type}); it has no SMI Status to change (AC 2.9).", RefusalKind.Invalid, "deviceId");
        if (!request.Requester.IsSupplier || !device.IsResponsibleSupplier(request.Requester.Party))
            return new Refusal("AC-8.1", "NotResponsibleSupplier",
                $"{request.Requester} is not the Responsible Supplier for {device.Type} {device.Id}; only the Responsible Supplier asks for it to return to 'pending'.",
                RefusalKind.NotPermitted, "requester");
        if (device.Status is not { } s || !StatusSets.Reactivatable.Contains(s))
            return new Refusal("AC-8.1", "StatusNotReactivatable",
                $"{device.Type} {device.Id} has status {StatusSets.Describe(device.Status)}; a Device returns to 'pending' only from {StatusSets.Names(StatusSets.Reactivatable)}." +
                (device.Status == SmiStatus.Suspended ? " A Suspended Device returns to its previous status when its Device Model is back on the CPL (AC 8.3)." : ""),
                RefusalKind.Conflict, "deviceId");
        if (entry is null || !entry.Covers(device.Type))
            return new Refusal("AC-8.1", "DeviceModelNotOnCpl",
                $"Device Model {device.Model} of {device.Type} {device.Id} is not identified in the Central Products List, so the Device cannot return to 'pending'.",
                RefusalKind.Conflict, "deviceId");
        return null;
    }

    /// <summary>AC 8.2: a Device 'pending' for the configured months (12) is removed.</summary>
    public static bool PendingExpired(Device device, DateTimeOffset now, int months) =>
        device.Status == SmiStatus.Pending && device.PendingSince is { } since && since.AddMonths(months) <= now;

    /// <summary>
    /// Decommissioning (Section H6, AC 10.1): a SMETS1 CHF only by its Lead Supplier; any other Device by its Responsible Supplier.
    /// </summary>
    public static Refusal? MayDecommission(DecommissionDeviceRequest request, Device? device)
    {
        if (device is null)
            return Refusal.NotInSmi("H6", request.DeviceId);
        if (device.IsType2)
            return new Refusal("AC-2.9", "Type2HasNoStatus", $"Device {device.Id} is a Type 2 Device ({device.Type}); it has no SMI Status, so it cannot be Decommissioned.", RefusalKind.Invalid, "deviceId");
        if (device.Type == DeviceType.CHF && device.Generation == SmetsGeneration.SMETS1)
        {
            if (device.LeadSupplier != request.Requester.Party || !request.Requester.IsSupplier)
                return new Refusal("AC-10.1", "NotLeadSupplier",
                    $"SMETS1 CHF {device.Id} is Decommissioned only by the Lead Supplier for its Communications Hub" +
                    (device.LeadSupplier is { } lead ? $" ({lead})" : " (none is recorded)") + $"; {request.Requester} is not it.",
                    RefusalKind.NotPermitted, "requester");
        }
        else if (!request.Requester.IsSupplier || !device.IsResponsibleSupplier(request.Requester.Party))
            return new Refusal("H6", "NotResponsibleSupplier",
                $"{request.Requester} is not the Responsible Supplier for {device.Type} {device.Id}; only the Responsible Supplier Decommissions it.",
                RefusalKind.NotPermitted, "requester");
        if (device.Status == SmiStatus.Decommissioned)
            return new Refusal("H6", "AlreadyDecommissioned", $"{device.Type} {device.Id} is already 'Decommissioned'.", RefusalKind.Conflict, "deviceId");
        return null;
    }

    /// <summary>Withdrawal (Section H6): by the Responsible Supplier, of a Device with a status other than 'withdrawn'.</summary>
    public static Refusal? MayWithdraw(WithdrawDeviceRequest request, Device? device)
    {
        if (device is null)
            return Refusal.NotInSmi("H6", request.DeviceId);
        if (device.IsType2)
            return new Refusal("AC-2.9", "Type2HasNoStatus", $"Device {device.Id} is a Type 2 Device ({device.Type}); it has no SMI Status, so it cannot be Withdrawn.", RefusalKind.Invalid, "deviceId");
        if (!request.Requester.IsSupplier || !device.IsResponsibleSupplier(request.Requester.Party))
            return new Refusal("H6", "NotResponsibleSupplier",
                $"{request.Requester} is not the Responsible Supplier for {device.Type} {device.Id}; only the Responsible Supplier Withdraws it.",
                RefusalKind.NotPermitted, "requester");
        if (device.Status == SmiStatus.Withdrawn)
            return new Refusal("H6", "AlreadyWithdrawn", $"{device.Type} {device.Id} is already 'Withdrawn'.", RefusalKind.Conflict, "deviceId");
        return null;
    }

    /// <summary>AC 2.10–2.11: the Responsible Supplier corrects a Smart Meter's MPxN; another User raises an Incident instead.</summary>
    public static Refusal? MayCorrectMpxn(UpdateMpxnRequest request, Device? device)
    {
        if (device is null)
            return Refusal.NotInSmi("AC-2.10", request.DeviceId);
        if (!device.Type.IsSmartMeter())
            return new Refusal("AC-2.10", "NotASmartMeter", $"Device {device.Id} is a {device.Type}; MPANs and MPRNs are recorded against Smart Meters only.", RefusalKind.Invalid, "deviceId");
        if (!request.Requester.IsSupplier || !device.IsResponsibleSupplier(request.Requester.Party))
            return new Refusal("AC-2.11", "NotResponsibleSupplier",
                $"{request.Requester} is not the Responsible Supplier for Smart Meter {device.Id}; a User other than the Responsible Supplier that finds an error raises an Incident (AC 2.11).",
                RefusalKind.NotPermitted, "requester");
        return null;
    }

    /// <summary>The Responsible Supplier records a Device's new Device Model (Update Inventory); AC 8.3 then applies.</summary>
    public static Refusal? MayUpdateModel(UpdateDeviceModelRequest request, Device? device)
    {
        if (device is null)
            return Refusal.NotInSmi("AC-2.10", request.DeviceId);
        if (!request.Requester.IsSupplier || !device.IsResponsibleSupplier(request.Requester.Party))
            return new Refusal("AC-2.10", "NotResponsibleSupplier",
                $"{request.Requester} is not the Responsible Supplier for {device.Type} {device.Id}; the Responsible Supplier keeps its SMI information up to date (AC 2.10).",
                RefusalKind.NotPermitted, "requester");
        return null;
    }

    /// <summary>Section H6 / F2.15(b): a Device whose model is off the CPL is Suspended, remembering its status for AC 8.3.</summary>
    public static Device Suspend(Device device, DateTimeOffset now) =>
        device with { StatusBeforeSuspension = device.Status, Status = SmiStatus.Suspended, PendingSince = null, UpdatedAt = now };

    /// <summary>AC 8.3: a Device that ceases to be Suspended returns to the status it held immediately before.</summary>
    public static Device EndSuspension(Device device, DateTimeOffset now)
    {
        var previous = device.StatusBeforeSuspension ?? SmiStatus.Pending;
        return device with
        {
            Status = previous,
            StatusBeforeSuspension = null,
            // A Device back in 'pending' starts its 12 months again: AC 8.2 counts time that it "remained" pending.
            PendingSince = previous == SmiStatus.Pending ? now : null,
            UpdatedAt = now,
        };
    }

    public static Device WithStatus(Device device, SmiStatus status, DateTimeOffset now)
    {
        var commissioned = status == SmiStatus.Commissioned && device.Status != SmiStatus.Commissioned;
        return device with
        {
            Status = status,
            PendingSince = status == SmiStatus.Pending ? (device.Status == SmiStatus.Pending ? device.PendingSince : now) : null,
            StatusBeforeSuspension = status == SmiStatus.Suspended ? device.StatusBeforeSuspension : null,
            // A new Commissioning starts the post-commissioning clock (AC 5.2–5.4, 6.2) again; who asked for it is set by
            // the caller that knows the Service Request (AC 5.8(e)).
            CommissionedAt = commissioned ? now : device.CommissionedAt,
            CommissionedBy = commissioned ? null : device.CommissionedBy,
            UpdatedAt = now,
        };
    }
}
