using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Products;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 2.3–2.9 and 3.5: which Devices may be added to the Smart Metering Inventory.</summary>
public static class AddingDevicesRules
{
    /// <summary>AC 2.3: a Device is added once; a second add of the same ID is not an add in compliance with the Appendix.</summary>
    public static Refusal? NotAlreadyListed(DeviceId id, Device? existing) =>
        existing is null
            ? null
            : new Refusal("AC-2.3", "DeviceAlreadyInSmi",
                $"Device {id} is already in the Smart Metering Inventory (a {existing.Type} with status {StatusSets.Describe(existing.Status)}); " +
                "change it with Update Inventory, or return it to 'pending' with a reactivation request (AC 8.1).",
                RefusalKind.Conflict, "deviceId");

    /// <summary>AC 2.5: a CHF is never added without the GPF of the same Communications Hub, nor a GPF without its CHF.</summary>
    public static Refusal? NotAloneCommsHubFunction(DeviceType type) =>
        type is DeviceType.CHF or DeviceType.GPF
            ? new Refusal("AC-2.5", "CommunicationsHubFunctionsAddedTogether",
                $"A {type} cannot be added on its own: add the Communications Hub Function and the Gas Proxy Function of the same Communications Hub together.",
                RefusalKind.Invalid, "deviceType")
            : null;

    /// <summary>AC 2.5: both halves of the hub are named, and they are two different Devices.</summary>
    public static Refusal? BothHalvesNamed(DeviceId chf, DeviceId? gpf)
    {
        if (gpf is null)
            return new Refusal("AC-2.5", "CommunicationsHubFunctionsAddedTogether",
                $"CHF {chf} was sent without the Gas Proxy Function of the same Communications Hub; send both IDs in one request.",
                RefusalKind.Invalid, "gpfId");
        if (gpf == chf)
            return new Refusal("AC-2.5", "CommunicationsHubFunctionsAddedTogether",
                $"The CHF and the GPF of a Communications Hub are two Devices with two Device IDs; both were given as {chf}.",
                RefusalKind.Invalid, "gpfId");
        return null;
    }

    /// <summary>AC 2.8: a User may add only a SMETS1 CH; SMETS2+ hubs are the DCC's, added by it before delivery (AC 2.4).</summary>
    public static Refusal? UserAddsOnlySmets1Hub(SmetsGeneration generation) =>
        generation == SmetsGeneration.SMETS1
            ? null
            : new Refusal("AC-2.8", "OnlySmets1OrDccProvidedHubs",
                "The only Communications Hubs that may be added are SMETS1 CHs or hubs the DCC provides under the Communications Hub Service; " +
                "a SMETS2+ hub is added by the DCC when it delivers the hub (AC 2.4), not by a User.",
                RefusalKind.NotPermitted, "generation");

    /// <summary>AC 2.4: the DCC adds a hub before delivery only where the Communications Hub's Device Model is on the CPL.</summary>
    public static Refusal? DeliveredHubOnCpl(DeviceModel model, CplEntry? entry) =>
        entry is not null && entry.Covers(DeviceType.CHF)
            ? null
            : new Refusal("AC-2.4", "DeviceModelNotOnCpl",
                $"Communications Hub Device Model {model} is not identified in the Central Products List as a Communications Hub; " +
                "the DCC adds a hub's CHF and GPF only where the hub's Device Model is on the CPL.",
                RefusalKind.Conflict, "model");

    /// <summary>AC 2.6: only Devices of a Device Model identified in the CPL are eligible (not Type 2 Devices, see 2.9).</summary>
    public static Refusal? ModelOnCpl(DeviceType type, DeviceModel model, CplEntry? entry)
    {
        if (entry is null)
            return new Refusal("AC-2.6", "DeviceModelNotOnCpl",
                $"Device Model {model} is not identified in the Central Products List, so a {type} of that model is not eligible to be added. " +
                "Ask for the model to be added to the CPL, or correct the manufacturer, model, hardware or firmware version.",
                RefusalKind.Conflict, "model");
        if (!entry.Covers(type))
            return new Refusal("AC-2.6", "DeviceModelNotOnCpl",
                $"Device Model {model} is on the Central Products List as a {entry.DeviceType}, not as a {type}.",
                RefusalKind.Conflict, "deviceType");
        return null;
    }

    /// <summary>
    /// AC 3.4–3.5: the DCC does not add a SMETS1 Device until the User has given the Service Desk the Device ID and
    /// the information the DCC requires for SMETS1 Devices of its Device Model.
    /// </summary>
    public static Refusal? ServiceDeskInformationProvided(Device device, ServiceDeskInformation? info, DccOptions options)
    {
        if (device.Generation != SmetsGeneration.SMETS1)
            return null;
        if (info is null)
            return new Refusal("AC-3.5", "ServiceDeskInformationMissing",
                $"SMETS1 {device.Type} {device.Id} cannot be added: the Service Desk has not been given its Device ID and Device Model information (AC 3.4). " +
                "Contact the Service Desk first, then add the Device.",
                RefusalKind.Conflict, "deviceId");
        var required = RequiredKeys(device.Model, options);
        var missing = required.Where(k => !info.Information.TryGetValue(k, out var v) || string.IsNullOrWhiteSpace(v)).ToList();
        return missing.Count == 0
            ? null
            : new Refusal("AC-3.5", "ServiceDeskInformationIncomplete",
                $"SMETS1 {device.Type} {device.Id} cannot be added: the Service Desk information lacks {string.Join(", ", missing)}, " +
                $"which the DCC requires for Device Model {device.Model} (AC 3.4(b)).",
                RefusalKind.Conflict, "information");
    }

    public static IReadOnlyList<string> RequiredKeys(DeviceModel model, DccOptions options)
    {
        var keys = new List<string>();
        if (options.ServiceDeskInformationRequired.TryGetValue("*", out var all))
            keys.AddRange(all);
        if (options.ServiceDeskInformationRequired.TryGetValue(model.Key, out var specific))
            keys.AddRange(specific);
        return keys.Distinct().ToList();
    }

    /// <summary>Who the Responsible Supplier is: given, or the requesting Supplier; another role must name one.</summary>
    public static Outcome<PartyId> ResponsibleSupplierOf(Actor requester, PartyId? given, string clause)
    {
        if (given is { } p)
            return Outcome<PartyId>.Success(p);
        if (requester.IsSupplier)
            return Outcome<PartyId>.Success(requester.Party);
        return new Refusal(clause, "ResponsibleSupplierMissing",
            $"{requester} is not a Supplier, so the request must name the Responsible Supplier of the Device.",
            RefusalKind.Invalid, "responsibleSupplier");
    }
}
