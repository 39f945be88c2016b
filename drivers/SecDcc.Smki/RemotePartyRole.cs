namespace SecDcc.Smki;

/// <summary>
/// The GBCS RemotePartyRole, as carried in an Organisation Certificate's subject OU (two hex digits) and in
/// a Trust Anchor Cell identifier; also the OUs of the DCC's XML signing certificates, which name no Trust
/// Anchor Cell. Any other OU is kept as its number.
/// </summary>
public enum RemotePartyRole
{
    Root = 0,
    Recovery = 1,
    Supplier = 2,
    NetworkOperator = 3,
    AccessControlBroker = 4,
    TransitionalCoS = 5,
    WanProvider = 6,
    IssuingAuthority = 7,
    LoadController = 8,
    Other = 127,

    /// <summary>OU 87: a User's XML signing certificate in the DCC Boxed (ZAZ1) key store; not a GBCS role.</summary>
    XmlSign = 0x87,

    /// <summary>OU 89: the DCC's own DSP XML signing certificate in the DCC Boxed (ZAZ1) key store; not a GBCS role.</summary>
    DccXmlSign = 0x89,
}

/// <summary>The GBCS spellings of <see cref="RemotePartyRole"/> ("networkOperator") and the OU form ("03").</summary>
public static class RemotePartyRoles
{
    private static readonly Dictionary<RemotePartyRole, string> Names = new()
    {
        [RemotePartyRole.Root] = "root",
        [RemotePartyRole.Recovery] = "recovery",
        [RemotePartyRole.Supplier] = "supplier",
        [RemotePartyRole.NetworkOperator] = "networkOperator",
        [RemotePartyRole.AccessControlBroker] = "accessControlBroker",
        [RemotePartyRole.TransitionalCoS] = "transitionalCoS",
        [RemotePartyRole.WanProvider] = "wanProvider",
        [RemotePartyRole.IssuingAuthority] = "issuingAuthority",
        [RemotePartyRole.LoadController] = "loadController",
        [RemotePartyRole.Other] = "other",
    };

    /// <summary>"networkOperator" for NetworkOperator; a role with no GBCS name is written as its number.</summary>
    public static string Name(this RemotePartyRole role) =>
        Names.TryGetValue(role, out var name) ? name : ((int)role).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The subject OU of an Organisation Certificate: the role as two upper-case hex digits.</summary>
    public static string OrganizationalUnit(this RemotePartyRole role) =>
        (int)role is >= 0 and <= 0xFF
            ? ((int)role).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(role), role, "a Remote Party Role fits in one byte (0 to 255)");

    public static bool TryParseName(string text, out RemotePartyRole role)
    {
        foreach (var (value, name) in Names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                role = value;
                return true;
            }
        }

        role = default;
        return false;
    }

    public static string AllNames => string.Join(", ", Names.Values);
}
