using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 4.3 (Update HAN Device Log) and 4.4 (HAN alert).</summary>
public static class HanDeviceLogRules
{
    public static Refusal? ChfListed(DeviceId chfId, Device? chf, string clause)
    {
        if (chf is null)
            return new Refusal(clause, "DeviceNotInSmi", $"Communications Hub Function {chfId} is not listed in the Smart Metering Inventory.", RefusalKind.NotFound, "chfId");
        if (chf.Type != DeviceType.CHF)
            return new Refusal(clause, "NotACommunicationsHubFunction", $"Device {chfId} is a {chf.Type}, not a Communications Hub Function; only a CHF has a HAN Device Log.", RefusalKind.Invalid, "chfId");
        return null;
    }

    /// <summary>
    /// AC 4.3: the Device added to the CHF's Device Log is listed and not itself a CHF; a Decommissioned, Withdrawn or
    /// Suspended Device leaves that status only through AC 8.1 or 8.3, so an added log entry does not whitelist it.
    /// </summary>
    public static Refusal? DeviceMayBeWhitelisted(HanDeviceLogUpdate evt, Device? device)
    {
        if (device is null)
            return new Refusal("AC-4.3(a)", "DeviceNotInSmi",
                $"Device {evt.DeviceId} is not listed in the Smart Metering Inventory, so it cannot be Associated with CHF {evt.ChfId}; pre-notify it first (AC 2.6, 2.9).",
                RefusalKind.NotFound, "deviceId");
        if (device.Type == DeviceType.CHF)
            return new Refusal("AC-4.3", "CannotAddChfToDeviceLog", $"Device {device.Id} is a CHF; a CHF's Device Log holds the other Devices of its system, not CHFs.", RefusalKind.Invalid, "deviceId");
        return Inactive(device, "AC-4.3(c)");
    }

    /// <summary>AC 4.3(b): Smart Meters come with their MPAN(s) (ESME) or MPRN (GSME); other Devices with none.</summary>
    public static Outcome<IReadOnlyList<string>> MpxnsFor(Device device, IReadOnlyList<string>? given, string clause)
    {
        given ??= [];
        if (!device.Type.IsSmartMeter())
            return given.Count == 0
                ? Outcome<IReadOnlyList<string>>.Success([])
                : Refusal.InvalidField(clause, "mpxns", $"Device {device.Id} is a {device.Type}; only Smart Meters have MPANs or MPRNs recorded against them.");
        if (given.Count == 0)
            return Refusal.InvalidField(clause, "mpxns",
                $"Smart Meter {device.Id} needs its {(device.Type == DeviceType.GSME ? "MPRN" : "MPAN(s)")} in the request: the DCC records them against the meter and tells the " +
                $"{(device.Type == DeviceType.GSME ? "Gas Transporter" : "Electricity Distributor")}.");
        if (device.Type == DeviceType.GSME)
        {
            if (given.Count != 1)
                return Refusal.InvalidField(clause, "mpxns", $"A Gas Smart Meter has one MPRN; {given.Count} were given.");
            return Mpxn.TryParseMprn(given[0], out var mprn, out var error)
                ? Outcome<IReadOnlyList<string>>.Success([mprn.Value])
                : Refusal.InvalidField(clause, "mpxns[0]", error!);
        }
        if (given.Count > 2)
            return Refusal.InvalidField(clause, "mpxns", $"An Electricity Smart Meter has at most two MPANs (import and export); {given.Count} were given.");
        var list = new List<string>();
        for (var i = 0; i < given.Count; i++)
        {
            if (!Mpxn.TryParseMpan(given[i], out var mpan, out var error))
                return Refusal.InvalidField(clause, $"mpxns[{i}]", error!);
            list.Add(mpan.Value);
        }
        if (list.Distinct().Count() != list.Count)
            return Refusal.InvalidField(clause, "mpxns", "The same MPAN was given twice.");
        return Outcome<IReadOnlyList<string>>.Success(list);
    }

    /// <summary>AC 4.4: the alert is about a listed Device in the reporting CHF's Device Log.</summary>
    public static Refusal? AlertApplies(HanAlert alert, Device? device)
    {
        if (device is null)
            return new Refusal("AC-4.4", "DeviceNotInSmi", $"Device {alert.DeviceId} named in the HAN alert is not listed in the Smart Metering Inventory.", RefusalKind.NotFound, "deviceId");
        if (device.ChfId != alert.ChfId)
            return new Refusal("AC-4.4", "DeviceNotInChfDeviceLog",
                $"Device {device.Id} is not Associated with CHF {alert.ChfId} " +
                (device.ChfId is { } other ? $"(it is in CHF {other}'s Device Log)" : "(it is in no CHF's Device Log)") +
                "; a CHF reports HAN communication only with Devices added to its Device Log (AC 4.3).",
                RefusalKind.Conflict, "deviceId");
        return null;
    }

    /// <summary>AC 4.4: Type 2 Devices and Devices already 'commissioned' keep their status.</summary>
    public static bool AlertLeavesStatus(Device device) => device.IsType2 || device.Status == SmiStatus.Commissioned;

    public static Refusal? Inactive(Device device, string clause) =>
        device.Status is { } s && StatusSets.Inactive.Contains(s)
            ? new Refusal(clause, "DeviceInactive",
                $"Device {device.Id} is '{s}'; it leaves that status only " +
                (s == SmiStatus.Suspended ? "when its Suspension ends (AC 8.3)." : "by a reactivation request from its Responsible Supplier (AC 8.1)."),
                RefusalKind.Conflict, "deviceId")
            : null;
}
