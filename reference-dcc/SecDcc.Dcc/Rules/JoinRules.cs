using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 4.5–4.10 (Join Service) and 7.1 (UnJoin Service).</summary>
public static class JoinRules
{
    public const string JoinCommand = "JoinService";
    public const string UnjoinCommand = "UnJoinService";

    /// <summary>AC 4.8(a)–(b): a Type 2 Device joins an Electricity Smart Meter or GPF, at the request of the Responsible Supplier or an Other User.</summary>
    public static Refusal? Type2JoinAllowed(JoinRequest request, Device device, Device? target)
    {
        if (target is null)
            return new Refusal("AC-4.8(b)", "DeviceNotInSmi", $"Device {request.TargetId}, to which Type 2 Device {device.Id} is to be joined, is not listed in the Smart Metering Inventory.", RefusalKind.NotFound, "targetId");
        if (target.Type is not (DeviceType.ESME or DeviceType.GPF))
            return new Refusal("AC-4.8(a)", "Type2JoinTargetType",
                $"A Type 2 Device is joined to an Electricity Smart Meter or a Gas Proxy Function; {target.Id} is a {target.Type}.", RefusalKind.Invalid, "targetId");
        var isResponsibleSupplier = request.Requester.IsSupplier && target.IsResponsibleSupplier(request.Requester.Party);
        if (!isResponsibleSupplier && request.Requester.Role != UserRole.OU)
            return new Refusal("AC-4.8(a)", "NotResponsibleSupplierOrOtherUser",
                $"{request.Requester} may not join Type 2 Device {device.Id}: it is not the Responsible Supplier for {target.Type} {target.Id} and is not acting as an Other User.",
                RefusalKind.NotPermitted, "requester");
        if (target.Status is not { } s || !StatusSets.Joinable.Contains(s))
            return new Refusal("AC-4.8(b)", "JoinTargetStatus",
                $"{target.Type} {target.Id} has status {StatusSets.Describe(target.Status)}; a Type 2 Device is joined only to one that is {StatusSets.Names(StatusSets.Joinable)}.",
                RefusalKind.Conflict, "targetId");
        return null;
    }

    /// <summary>AC 4.5–4.6: a Responsible Supplier joins a Device other than a CHF or Type 2 Device to a Smart Meter or GPF.</summary>
    public static Refusal? JoinAllowed(JoinRequest request, Device device, Device? target, Device? chf)
    {
        if (device.Type == DeviceType.CHF)
            return new Refusal("AC-4.5", "ChfNotJoined",
                $"Device {device.Id} is a Communications Hub Function; it is not joined to a meter (Devices are added to its Device Log by Update HAN Device Log, AC 4.3).",
                RefusalKind.Invalid, "deviceId");
        if (target is null)
            return new Refusal("AC-4.6(c)", "DeviceNotInSmi", $"Device {request.TargetId}, to which {device.Id} is to be joined, is not listed in the Smart Metering Inventory.", RefusalKind.NotFound, "targetId");
        if (!target.Type.IsSmartMeter() && target.Type != DeviceType.GPF)
            return new Refusal("AC-4.5", "JoinTargetType", $"Devices are joined to a Smart Meter or a Gas Proxy Function; {target.Id} is a {target.Type}.", RefusalKind.Invalid, "targetId");
        if (target.Id == device.Id)
            return new Refusal("AC-4.5", "JoinTargetType", $"Device {device.Id} cannot be joined to itself.", RefusalKind.Invalid, "targetId");
        if (!request.Requester.IsSupplier || !target.IsResponsibleSupplier(request.Requester.Party))
            return new Refusal("AC-4.5", "NotResponsibleSupplier",
                $"{request.Requester} is not the Responsible Supplier for {target.Type} {target.Id} (that is {string.Join(", ", target.ResponsibleSuppliers)}); only the Responsible Supplier sends this Join Service request.",
                RefusalKind.NotPermitted, "requester");
        if (device.Status is not { } ds || !StatusSets.Joinable.Contains(ds))
            return new Refusal("AC-4.6(a)", "JoinDeviceStatus",
                $"{device.Type} {device.Id} has status {StatusSets.Describe(device.Status)}; it can be joined only when {StatusSets.Names(StatusSets.Joinable)}" +
                (device.Status == SmiStatus.Whitelisted ? " (a whitelisted Device becomes 'installed not commissioned' when its CHF reports it on the HAN, AC 4.4)." : "."),
                RefusalKind.Conflict, "deviceId");
        if (chf is null)
            return new Refusal("AC-4.6(b)", "NoChfInSystem",
                $"No Communications Hub Function is Associated with {target.Type} {target.Id} or {device.Type} {device.Id}, so the Smart Metering System has no listed CHF; add the meter to its CHF's Device Log (AC 4.3) first.",
                RefusalKind.Conflict, "targetId");
        if (chf.Status is not { } cs || !StatusSets.Joinable.Contains(cs))
            return new Refusal("AC-4.6(b)", "ChfStatus",
                $"CHF {chf.Id} of the Smart Metering System has status {StatusSets.Describe(chf.Status)}; joins are sent only while it is {StatusSets.Names(StatusSets.Joinable)}.",
                RefusalKind.Conflict, "targetId");
        if (target.Status is not { } ts || !StatusSets.Joinable.Contains(ts))
            return new Refusal("AC-4.6(c)", "JoinTargetStatus",
                $"{target.Type} {target.Id} has status {StatusSets.Describe(target.Status)}; Devices are joined only to one that is {StatusSets.Names(StatusSets.Joinable)}.",
                RefusalKind.Conflict, "targetId");
        return null;
    }

    /// <summary>AC 4.7(a)/(b): the status a joined Device takes from the Smart Meter or GPF it joined; null leaves it as it is.</summary>
    public static SmiStatus? StatusAfterJoin(Device target) => target.Status switch
    {
        SmiStatus.InstalledNotCommissioned => SmiStatus.InstalledNotCommissioned,
        SmiStatus.Commissioned => SmiStatus.Commissioned,
        _ => null,
    };

    /// <summary>AC 7.1: the UnJoin applies to a Device other than a CHF or Smart Meter that is Associated with the Smart Meter or GPF.</summary>
    public static Refusal? UnjoinAllowed(UnjoinRequest request, Device? device)
    {
        if (device is null)
            return Refusal.NotInSmi("AC-7.1", request.DeviceId);
        if (device.Type == DeviceType.CHF || device.Type.IsSmartMeter())
            return new Refusal("AC-7.1", "UnjoinDeviceType",
                $"Device {device.Id} is a {device.Type}; the UnJoin Service removes Devices other than a CHF or Smart Meter from a Smart Meter's or GPF's Device Log.",
                RefusalKind.Invalid, "deviceId");
        if (!device.JoinedTo.Contains(request.TargetId))
            return new Refusal("AC-7.1", "NotJoined",
                $"Device {device.Id} is not Associated with {request.TargetId}" + (device.JoinedTo.Count > 0 ? $" (it is joined to {string.Join(", ", device.JoinedTo)})." : "."),
                RefusalKind.Conflict, "targetId");
        return null;
    }
}
