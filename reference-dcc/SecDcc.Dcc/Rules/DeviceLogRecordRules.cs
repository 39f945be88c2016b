using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Rules;

/// <summary>AC 9.2–9.3: the DCC's record of each CHF's and GPF's Device Log, and restoring a Device Log from it.</summary>
public static class DeviceLogRecordRules
{
    public const string RestoreCommand = "RestoreDeviceLog";

    /// <summary>AC 9.2: the DCC keeps a Device Log record only for a listed CHF or GPF.</summary>
    public static Refusal? LogOwner(DeviceId id, Device? owner, string clause, string field)
    {
        if (owner is null)
            return new Refusal(clause, "DeviceNotInSmi", $"Device {id} is not listed in the Smart Metering Inventory, so the DCC keeps no record of its Device Log.", RefusalKind.NotFound, field);
        if (owner.Type is not (DeviceType.CHF or DeviceType.GPF))
            return new Refusal(clause, "NoDeviceLogRecord",
                $"Device {id} is a {owner.Type}; the DCC keeps a record of the Device Log of Communications Hub Functions and Gas Proxy Functions only (AC 9.2).",
                RefusalKind.Invalid, field);
        return null;
    }

    /// <summary>
    /// AC 9.3: a Device Log is restored from the record of a Device of the same kind – a CHF's from a CHF's ('Restore HAN
    /// Device Log'), a GPF's from a GPF's ('Restore Gas Proxy Function Device Log').
    /// </summary>
    public static Refusal? SameKind(Device target, Device from) =>
        target.Type == from.Type
            ? null
            : new Refusal("AC-9.3", "DeviceLogKindsDiffer",
                $"Device {target.Id} is a {target.Type} and {from.Id} a {from.Type}; a {target.Type}'s Device Log is restored from the DCC's record of a {target.Type}'s.",
                RefusalKind.Invalid, "fromId");

    /// <summary>
    /// AC 9.3: the DCC determines what to restore from its own up-to-date record; a request that brings its own list of
    /// Devices is refused, because the DCC would otherwise restore what the requester says rather than what it recorded.
    /// </summary>
    public static Refusal EntriesGivenByRequester(string field) =>
        new("AC-9.3", "EntriesFromDccRecordOnly",
            "The request lists the Devices to restore. The DCC restores a Device Log from its own record of the Device Log being replaced (AC 9.2–9.3); " +
            "name the CHF or GPF being replaced, not its entries.",
            RefusalKind.Invalid, field);
}
