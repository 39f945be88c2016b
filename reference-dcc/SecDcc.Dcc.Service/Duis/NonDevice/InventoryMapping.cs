using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Products;
using SecDcc.Duis.Messages;
using DomainType = SecDcc.Dcc.Inventory.DeviceType;
using DuisEui = SecDcc.Duis.Eui64;
using DuisType = SecDcc.Duis.Messages.DeviceType;

namespace SecDcc.Dcc.Service.Duis.NonDevice;

/// <summary>Domain Devices and DUIS inventory records, both ways (decision 1003).</summary>
public static class InventoryMapping
{
    /// <summary>What SMETSCHTSVersion says about the generation: text starting "SMETS1" is a SMETS1 Device, anything else SMETS2+.</summary>
    public const string Smets1Version = "SMETS1";
    public const string Smets2Version = "SMETS2+";

    public static DomainType ToDomain(DuisType type) => type switch
    {
        DuisType.Esme => DomainType.ESME,
        DuisType.Gsme => DomainType.GSME,
        DuisType.Chf => DomainType.CHF,
        DuisType.Gpf => DomainType.GPF,
        DuisType.Hcalcs => DomainType.HCALCS,
        DuisType.Ppmid => DomainType.PPMID,
        DuisType.Ihd => DomainType.IHD,
        _ => DomainType.CAD,
    };

    public static DuisType ToDuis(DomainType type) => type switch
    {
        DomainType.ESME => DuisType.Esme,
        DomainType.GSME => DuisType.Gsme,
        DomainType.CHF => DuisType.Chf,
        DomainType.GPF => DuisType.Gpf,
        DomainType.HCALCS => DuisType.Hcalcs,
        DomainType.PPMID => DuisType.Ppmid,
        DomainType.IHD => DuisType.Ihd,
        _ => DuisType.Cad,
    };

    public static SmetsGeneration Generation(string? smetsChtsVersion) =>
        smetsChtsVersion is { } v && v.Replace(" ", "", StringComparison.Ordinal).StartsWith(Smets1Version, StringComparison.OrdinalIgnoreCase)
            ? SmetsGeneration.SMETS1
            : SmetsGeneration.SMETS2Plus;

    public static DeviceId Device(DuisEui eui) => new(eui.Value);

    public static DuisEui Eui(DeviceId id) => new(id.Value);

    /// <summary>One Device as DSPInventory lists it. Values longer than the XSD allows are cut to its length, so the response stays schema-valid.</summary>
    public static InventoryDevice ToInventoryDevice(Device d) => new(
        Eui(d.Id),
        ToDuis(d.Type),
        Clip(d.Model.Manufacturer, 30),
        Clip(d.Model.Model, 30),
        d.Status is { } s ? ToDuis(s) : null,
        SmetsChtsVersion: d.Generation == SmetsGeneration.SMETS1 ? Smets1Version : Smets2Version,
        DeviceFirmwareVersion: d.Model.FirmwareVersion.Length == 0 ? null : Clip(d.Model.FirmwareVersion, 8),
        ImportMpxn: d.Mpxns.Count > 0 ? Clip(d.Mpxns[0], 13) : null,
        ExportMpan: d.Mpxns.Count > 1 && d.Mpxns[1].Length == 13 ? d.Mpxns[1] : null);

    public static DeviceStatus ToDuis(SmiStatus status) => status switch
    {
        SmiStatus.Pending => DeviceStatus.Pending,
        SmiStatus.Whitelisted => DeviceStatus.Whitelisted,
        SmiStatus.InstalledNotCommissioned => DeviceStatus.InstalledNotCommissioned,
        SmiStatus.Commissioned => DeviceStatus.Commissioned,
        SmiStatus.Decommissioned => DeviceStatus.Decommissioned,
        SmiStatus.Withdrawn => DeviceStatus.Withdrawn,
        _ => DeviceStatus.Suspended,
    };

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary>
    /// The Device Model a DUIS request names. DUIS carries manufacturer, model and (optionally) firmware version but no
    /// hardware version, which the CPL holds (F2.2); the DCC takes it from the one CPL entry that matches. With no match
    /// the model is passed on with an empty hardware version, so the domain's own CPL rule (AC 2.6) refuses it.
    /// </summary>
    public static Outcome<DeviceModel> ResolveModel(string manufacturer, string model, string? firmware, DomainType type, IReadOnlyList<CplEntry> cpl)
    {
        var candidates = cpl
            .Where(e => e.Model.Manufacturer == manufacturer && e.Model.Model == model && (firmware is null || e.Model.FirmwareVersion == firmware) && e.Covers(type))
            .Select(e => e.Model)
            .DistinctBy(m => m.Key)
            .ToList();
        if (candidates.Count == 1)
            return candidates[0];
        if (candidates.Count == 0)
            return new DeviceModel(manufacturer, model, "", firmware ?? "");
        var what = firmware is null ? "FirmwareVersion is not given and the CPL lists" : "the CPL lists";
        return new Refusal("F2.2", "DeviceModelAmbiguous",
            $"{what} {candidates.Count} Device Models for manufacturer '{manufacturer}', model '{model}'" +
            $"{(firmware is null ? "" : $", firmware '{firmware}'")}: {string.Join("; ", candidates)}. DUIS names no hardware version; " +
            "give the FirmwareVersion, or list one hardware version per firmware version on the CPL.",
            RefusalKind.Invalid, "DeviceModel");
    }
}
