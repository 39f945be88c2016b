using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 4.1–4.2 (CHF) and 4.11–4.13, 4.15 (Smart Meters): when the DCC Commissions.</summary>
public static class CommissioningRules
{
    /// <summary>AC 4.1–4.2: the CHF is listed, is a CHF, is 'pending' or 'installed not commissioned', and the communication is authentic.</summary>
    public static Refusal? ChfMayBeCommissioned(ChfCommunication evt, Device? chf)
    {
        if (chf is null)
            return new Refusal("AC-4.2(a)", "DeviceNotInSmi",
                $"Communications Hub Function {evt.ChfId} is not listed in the Smart Metering Inventory, so its connection does not Commission it.",
                RefusalKind.NotFound, "chfId");
        if (chf.Type != DeviceType.CHF)
            return new Refusal("AC-4.1", "NotACommunicationsHubFunction",
                $"Device {chf.Id} is a {chf.Type}; only a Communications Hub Function is Commissioned by its connection to the SM WAN.",
                RefusalKind.Invalid, "chfId");
        if (!evt.IntegrityVerified || !evt.OriginVerified)
            return new Refusal("AC-4.2(c)", "CommunicationNotAuthentic",
                $"The communication naming CHF {chf.Id} " +
                (!evt.IntegrityVerified ? "may have changed in transit" : "does not originate from that CHF") +
                "; the DCC Commissions a CHF only on a communication it has confirmed comes unaltered from that CHF.",
                RefusalKind.Conflict, "chfId");
        if (chf.Status is not { } status || !StatusSets.ChfCommissionable.Contains(status))
            return new Refusal("AC-4.2(b)", "ChfStatusNotCommissionable",
                $"CHF {chf.Id} has status {StatusSets.Describe(chf.Status)}; a CHF is Commissioned from {StatusSets.Names(StatusSets.ChfCommissionable)} only.",
                RefusalKind.Conflict, "chfId");
        return null;
    }

    /// <summary>AC 4.11–4.12, 4.15: the Commission Device Service Request may be acted on.</summary>
    public static Refusal? MeterMayBeCommissioned(CommissionDeviceRequest request, Device? meter, Device? chf)
    {
        if (meter is null)
            return new Refusal("AC-4.12(a)", "DeviceNotInSmi",
                $"Smart Meter {request.MeterId} is not listed in the Smart Metering Inventory; pre-notify it (AC 2.6) before asking to Commission it.",
                RefusalKind.NotFound, "meterId");
        if (meter.IsType2)
            return new Refusal("AC-4.15", "Type2NotCommissioned",
                $"Device {meter.Id} is a {meter.Type}, a Type 2 Device; there is no concept of commissioning a Type 2 Device.",
                RefusalKind.Invalid, "meterId");
        if (!meter.Type.IsSmartMeter())
            return new Refusal("AC-4.11", "NotASmartMeter",
                $"Device {meter.Id} is a {meter.Type}; 'Commission Device' is for Smart Meters. " +
                (meter.Type == DeviceType.CHF ? "A CHF is Commissioned by its connection to the SM WAN (AC 4.1)." : "A Type 1 Device or GPF is Commissioned by joining it to a Commissioned meter (AC 4.9, 4.10)."),
                RefusalKind.Invalid, "meterId");
        if (!meter.IsResponsibleSupplier(request.Requester.Party) || !request.Requester.IsSupplier)
            return new Refusal("AC-4.11", "NotResponsibleSupplier",
                $"{request.Requester} is not the Responsible Supplier for Smart Meter {meter.Id} (its Responsible Supplier is {string.Join(", ", meter.ResponsibleSuppliers)}); only the Responsible Supplier asks to Commission it.",
                RefusalKind.NotPermitted, "requester");
        if (meter.Status is { } s && StatusSets.CommissionRefused.Contains(s))
            return new Refusal("AC-4.12(b)", "MeterStatusNotCommissionable",
                $"Smart Meter {meter.Id} has status '{s}'; the DCC sends no Commission command to a meter that is {StatusSets.Names(StatusSets.CommissionRefused)}." +
                (s is SmiStatus.Decommissioned or SmiStatus.Withdrawn ? " Return it to 'pending' first (AC 8.1)." : ""),
                RefusalKind.Conflict, "meterId");
        if (chf is null)
            return new Refusal("AC-4.12(c)", "ChfNotCommissioned",
                $"Smart Meter {meter.Id} is in no Communications Hub Function's Device Log, so its Smart Metering System has no Commissioned CHF; add it with Update HAN Device Log (AC 4.3) first.",
                RefusalKind.Conflict, "meterId");
        if (chf.Status != SmiStatus.Commissioned)
            return new Refusal("AC-4.12(c)", "ChfNotCommissioned",
                $"CHF {chf.Id} of Smart Meter {meter.Id}'s Smart Metering System has status {StatusSets.Describe(chf.Status)}, not 'Commissioned'; it is Commissioned when it connects to the SM WAN (AC 4.1).",
                RefusalKind.Conflict, "meterId");
        return null;
    }

    /// <summary>AC 4.13: the Response completes a Commission Device request the DCC acted on, for a meter still commissionable.</summary>
    public static Refusal? ResponseCompletesRequest(CommissionDeviceResponse response, bool outstanding, Device? meter)
    {
        if (!outstanding)
            return new Refusal("AC-4.13", "NoCommissionDeviceOutstanding",
                $"No Commission Device request for {response.MeterId} is awaiting a Response; the SMI changes only on the Response to a request accepted under AC 4.11–4.12.",
                RefusalKind.Conflict, "meterId");
        if (meter is null)
            return Refusal.NotInSmi("AC-4.13", response.MeterId, "Smart Meter");
        if (meter.Status is { } s && StatusSets.CommissionRefused.Contains(s))
            return new Refusal("AC-4.12(b)", "MeterStatusNotCommissionable",
                $"Smart Meter {meter.Id} became '{s}' while its Commission command was outstanding, so the Response does not Commission it.",
                RefusalKind.Conflict, "meterId");
        return null;
    }
}
