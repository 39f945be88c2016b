using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Products;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 3.8–3.10 and H5 (BEIS consultation 4.8): what must hold before a SMETS1 Device is Commissioned.</summary>
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
}
