namespace SecDcc.Duis.Messages;

public enum DeviceType { Esme, Gsme, Gpf, Chf, Hcalcs, Ppmid, Ihd, Cad }

public enum DeviceStatus { Pending, Whitelisted, InstalledNotCommissioned, Commissioned, Decommissioned, Withdrawn, Suspended, Recovery, Recovered }

public enum CplStatus { Active, Cancelled, Expired, Withdrawn }

public enum CredentialType { DigitalSignature, KeyAgreement }

/// <summary>The RemotePartyRole token of 6.15.1 and 6.24.1.</summary>
public enum CredentialsRemotePartyRole { Acb, NetworkOperator, Recovery, Root, Supplier, TransCoS, LoadController }

public enum HanDeviceLogRequestType { Add, Remove }

/// <summary>The text each enumeration value has in the DUIS XSD.</summary>
public static class DuisEnumText
{
    private static readonly Dictionary<Type, (Array Values, string[] Texts)> Maps = new()
    {
        [typeof(DeviceType)] = (Enum.GetValues<DeviceType>(), ["ESME", "GSME", "GPF", "CHF", "HCALCS", "PPMID", "IHD", "CAD"]),
        [typeof(DeviceStatus)] = (Enum.GetValues<DeviceStatus>(), Enum.GetNames<DeviceStatus>()),
        [typeof(CplStatus)] = (Enum.GetValues<CplStatus>(), Enum.GetNames<CplStatus>()),
        [typeof(CredentialType)] = (Enum.GetValues<CredentialType>(), ["Digital Signature", "Key Agreement"]),
        [typeof(CredentialsRemotePartyRole)] = (Enum.GetValues<CredentialsRemotePartyRole>(),
            ["ACB", "NetworkOperator", "Recovery", "Root", "Supplier", "TransCoS", "LoadController"]),
        [typeof(HanDeviceLogRequestType)] = (Enum.GetValues<HanDeviceLogRequestType>(), ["Add", "Remove"]),
    };

    public static string ToText<T>(T value) where T : struct, Enum
    {
        var (values, texts) = Maps[typeof(T)];
        return texts[Array.IndexOf(values, value)];
    }

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var (values, texts) = Maps[typeof(T)];
        var i = text is null ? -1 : Array.IndexOf(texts, text.Trim());
        value = i < 0 ? default : (T)values.GetValue(i)!;
        return i >= 0;
    }

    public static IReadOnlyList<string> Texts<T>() where T : struct, Enum => Maps[typeof(T)].Texts;
}
