using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Products;

namespace SecDcc.Dcc.Rules;

/// <summary>
/// AC 3.8–3.10 and H5 (BEIS consultation 4.8): what must hold before a SMETS1 Device is Commissioned; AC 6.3: updates to
/// the AC 3.4 information of a SMETS1 Device already in the SMI.
/// </summary>
public static class Smets1Rules
{
    /// <summary>AC 3.8: only a Supplier Party gives the declaration, and it names the Party and its signatory.</summary>
    public static Refusal? DeclarationWellFormed(Smets1DeclarationRequest request)
    {
        if (!request.Requester.IsSupplier)
            return new Refusal("AC-3.8", "DeclarationNotFromSupplier",
                $"{request.Requester} is not a Supplier Party; the AC 3.8 declaration is given by the Supplier Party seeking Commissioning (role IS, ES or GS).",
                RefusalKind.NotPermitted, "requester.role");
        if (string.IsNullOrWhiteSpace(request.SupplierLegalName))
            return Refusal.InvalidField("AC-3.8", "supplierLegalName", "The declaration must give the full legal name of the Supplier Party.");
        if (string.IsNullOrWhiteSpace(request.SignedBy))
            return Refusal.InvalidField("AC-3.8", "signedBy", "The declaration must say who signed it (name and title).");
        return null;
    }

    /// <summary>
    /// AC 3.10 then 3.9: a Panel direction not to Commission stops it; and the DCC does not Commission a SMETS1 Device until
    /// it has the AC 3.8 declaration for the Device's Device Model from the Supplier Party requesting Commissioning.
    /// </summary>
    public static Refusal? MayCommission(Device device, PartyId? supplier, Smets1Declaration? declaration, PanelDirection? direction)
    {
        if (device.Generation != SmetsGeneration.SMETS1)
            return null;
        if (direction is not null)
            return new Refusal("AC-3.10", "PanelDirectedNotToCommission",
                $"The Panel has directed the DCC not to Commission SMETS1 {device.Type} {device.Id} while dispute '{direction.DisputeReference}' is unresolved; " +
                "it can be Commissioned once the Panel lifts the direction.",
                RefusalKind.Conflict, "deviceId");
        if (supplier is null || declaration is null)
            return new Refusal("AC-3.9", "Smets1DeclarationMissing",
                $"SMETS1 {device.Type} {device.Id} cannot be Commissioned: the DCC has no AC 3.8 declaration for Device Model {device.Model} " +
                (supplier is null ? "because no Supplier Party is requesting Commissioning (a SMETS1 CHF needs a Lead Supplier)." : $"from Supplier Party {supplier}.") +
                " Give the declaration, then ask again.",
                RefusalKind.Conflict, "deviceId");
        return null;
    }

    /// <summary>
    /// H5 (BEIS consultation 4.8): the DCC Enrols and serves only SMETS1 Smart Metering Systems whose combination of
    /// Device Models is listed on the SMETS1 Eligible Product Combinations.
    /// </summary>
    public static Refusal? CombinationEligible(IReadOnlyCollection<DeviceModel> systemModels, IReadOnlyList<ProductCombination> epc, EpcMatch match)
    {
        if (systemModels.Count == 0)
            return null;
        var keys = systemModels.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in epc)
        {
            var entryKeys = entry.Models.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
            if (match == EpcMatch.Exact ? entryKeys.SetEquals(keys) : keys.IsSubsetOf(entryKeys))
                return null;
        }
        return new Refusal("H5", "CombinationNotOnEpc",
            "The SMETS1 Smart Metering System's combination of Device Models [" + string.Join("; ", systemModels.Select(m => m.ToString())) + "] " +
            "is not on the SMETS1 Eligible Product Combinations, so the DCC will not Enrol it. Ask for a Pending Product Combination test of this combination.",
            RefusalKind.Conflict, "deviceId");
    }

    /// <summary>
    /// AC 6.3: a Party whose action changes the AC 3.4 information of a SMETS1 Device notifies the DCC of the updated
    /// information. The notice names the items that changed; the DCC keeps the others. It is refused, and the DCC keeps
    /// what it held, when the Device is not SMETS1 (AC 6.1), when it names no item, when it would move the information to
    /// another Device ID (the Device ID is what the information is about, AC 3.4(a)), or when it would leave out an item
    /// the DCC requires for the Device's Device Model (AC 3.4(b)).
    /// </summary>
    public static Outcome<IReadOnlyDictionary<string, string>> UpdatedServiceDeskInformation(Device device, ServiceDeskInformation? earlier, ServiceDeskContact contact, DccOptions options)
    {
        if (device.Generation != SmetsGeneration.SMETS1)
            return new Refusal("AC-6.3", "NotASmets1Device",
                $"Device {device.Id} is a SMETS2+ {device.Type}; Service Desk information (AC 3.4) and its updates (AC 6.3) concern SMETS1 Devices only (AC 6.1).",
                RefusalKind.Conflict, "deviceId");
        if (contact.Information.Count == 0)
            return Refusal.InvalidField("AC-6.3", "information",
                $"The notice for Device {device.Id} names no information: give each item that changed with its new value.");
        if (contact.Information.TryGetValue("deviceId", out var named) && !(DeviceId.TryParse(named, out var namedId, out _) && namedId == device.Id))
            return new Refusal("AC-6.3", "DeviceIdChanged",
                $"The notice for Device {device.Id} gives the Device ID '{named}'. The information is about Device {device.Id} (AC 3.4(a)); " +
                "a replacement Device has its own Device ID and its own Service Desk information, given before it is added.",
                RefusalKind.Invalid, "information.deviceId");
        var merged = new Dictionary<string, string>(earlier?.Information ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in contact.Information)
            merged[key] = value;
        var missing = AddingDevicesRules.RequiredKeys(device.Model, options).Where(k => !merged.TryGetValue(k, out var v) || string.IsNullOrWhiteSpace(v)).ToList();
        if (missing.Count > 0)
            return new Refusal("AC-6.3", "ServiceDeskInformationIncomplete",
                $"The updated information for Device {device.Id} would lack {string.Join(", ", missing)}, which the DCC requires for Device Model {device.Model} (AC 3.4(b)); give a value for each.",
                RefusalKind.Invalid, "information");
        return merged;
    }
}
