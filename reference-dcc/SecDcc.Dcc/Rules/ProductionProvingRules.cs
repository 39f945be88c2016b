using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 12.3: CH Production Proving hubs enter the SMI only with the Security Sub-Committee's approval.</summary>
public static class ProductionProvingRules
{
    /// <summary>An approval names the CHF and the GPF of one Communications Hub and the Security Sub-Committee's reference for it.</summary>
    public static Refusal? ApprovalWellFormed(ProductionProvingApprovalRequest request)
    {
        if (request.GpfId is not { } gpf)
            return Refusal.InvalidField("AC-12.3", "gpfId",
                $"The approval for CHF {request.ChfId} must also name the Gas Proxy Function of the same Communications Hub: AC 12.3 approves a CHF and its GPF together.");
        if (gpf == request.ChfId)
            return Refusal.InvalidField("AC-12.3", "gpfId", $"The CHF and the GPF of a Communications Hub are two Devices; both were given as {gpf}.");
        if (string.IsNullOrWhiteSpace(request.Reference))
            return Refusal.InvalidField("AC-12.3", "reference", "Give the Security Sub-Committee's reference for its approval, so the inclusion can be traced to it.");
        return null;
    }

    /// <summary>
    /// AC 12.3: the DCC includes a CHF (and its GPF) in the SMI for CH Production Proving only where the Security
    /// Sub-Committee has approved the inclusion of that CHF and that GPF for the purpose.
    /// </summary>
    public static Refusal? Approved(DeviceId chfId, DeviceId gpfId, ProductionProvingApproval? approval)
    {
        if (approval is null)
            return new Refusal("AC-12.3", "ProductionProvingNotApproved",
                $"The Security Sub-Committee has not approved including CHF {chfId} in the Smart Metering Inventory for CH Production Proving; " +
                "record its approval for this Communications Hub first.",
                RefusalKind.Conflict, "chfId");
        if (approval.GpfId != gpfId)
            return new Refusal("AC-12.3", "ProductionProvingNotApproved",
                $"The Security Sub-Committee's approval '{approval.Reference}' for CHF {chfId} covers GPF {approval.GpfId}, not GPF {gpfId}; " +
                "only the Communications Hub it approved may be included.",
                RefusalKind.Conflict, "gpfId");
        return null;
    }
}
