using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Products;

/// <summary>
/// One Device Model on the Central Products List with the F2.2 fields: (a) manufacturer and model,
/// (b) hardware version with release notes, (c) firmware version with release notes, (d) the Firmware Hash
/// (signed by the manufacturer, F2.8), (e) the SMETS/CHTS version, (f) the Assurance Certificate numbers,
/// (g) the CPA Certificate expiry date.
/// </summary>
public sealed record CplEntry
{
    /// <summary>The Device Type the CPL identifies the model by: a Device Type name, or "CH" for a Communications Hub (AC 2.4).</summary>
    public required string DeviceType { get; init; }
    public required DeviceModel Model { get; init; }
    public required string HardwareReleaseNotes { get; init; }
    public required string FirmwareReleaseNotes { get; init; }
    /// <summary>SHA-256 of the firmware image, lower-case hex.</summary>
    public required string FirmwareHash { get; init; }
    /// <summary>The manufacturer's ECDSA P-256 signature over the Firmware Hash bytes, base64.</summary>
    public required string FirmwareHashSignature { get; init; }
    /// <summary>The manufacturer's public key registered with the entry (SubjectPublicKeyInfo, base64).</summary>
    public required string ManufacturerKey { get; init; }
    public required SmetsGeneration Generation { get; init; }
    public required string TechnicalSpecificationVersion { get; init; }
    public IReadOnlyList<string> AssuranceCertificates { get; init; } = [];
    public DateOnly? CpaExpiry { get; init; }

    /// <summary>Whether a device of <paramref name="type"/> and this model is "of a Device Model identified in the CPL".</summary>
    public bool Covers(DeviceType type) =>
        DeviceType == type.ToString()
        || (DeviceType == CplDeviceTypes.CommunicationsHub && type is Inventory.DeviceType.CHF or Inventory.DeviceType.GPF);
}

public static class CplDeviceTypes
{
    /// <summary>A Communications Hub: its CHF and GPF are of the hub's Device Model (AC 2.4).</summary>
    public const string CommunicationsHub = "CH";
}

/// <summary>A verified CPL as received from the Panel (F2.14(a)), and when the SMI was brought in line with it (F2.15(b)).</summary>
public sealed record CplDocumentRecord(long Sequence, DateTimeOffset IssuedAt, DateTimeOffset ReceivedAt, DateTimeOffset? SmiUpdatedAt, int EntryCount);

public enum CombinationList
{
    /// <summary>SMETS1 Eligible Product Combinations.</summary>
    EPC,
    /// <summary>SMETS1 Pending Product Combinations (under PPC test).</summary>
    PPC,
}

/// <summary>
/// A combination: the set of Device Models that comprise a SMETS1 Smart Metering System (BEIS consultation 2.4–2.5).
/// Order does not matter; <see cref="Key"/> is the same for the same set.
/// </summary>
public sealed record ProductCombination
{
    public required IReadOnlyList<DeviceModel> Models { get; init; }
    public required CombinationList List { get; init; }
    public required DateTimeOffset AddedAt { get; init; }
    /// <summary>The Testing Participant who asked for a PPC test (6.12), if any.</summary>
    public PartyId? Requester { get; init; }

    public string Key => KeyOf(Models);

    /// <summary>The stable identity (SHA-256 of the canonical form) the CLI's combination files share; see <see cref="CombinationIdentity"/>.</summary>
    public string Identity => CombinationIdentity.Of(Models);

    public static string KeyOf(IEnumerable<DeviceModel> models) =>
        string.Join(";", models.Select(m => m.Key).Distinct().OrderBy(k => k, StringComparer.Ordinal));
}

/// <summary>One row of the Deployed Products List (F2.16): a combination that exists in the SMI and how many systems have it.</summary>
public sealed record DeployedCombination(IReadOnlyList<DeviceModel> SystemModels, IReadOnlyList<DeviceModel> Type2Models, int Systems);
