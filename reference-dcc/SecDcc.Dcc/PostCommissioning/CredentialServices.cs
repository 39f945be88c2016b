namespace SecDcc.Dcc.PostCommissioning;

/// <summary>
/// The Service Requests Appendix AC 5 names or relies on, by their DUIS Service Reference Variants (the DCC's
/// published request matrix, drivers/SecDcc.Duis/Data/duis-request-matrix.json).
/// </summary>
public static class CredentialServices
{
    /// <summary>'Update Security Credentials (KRP)': AC 5.7(c)(iii); replaces Organisation Certificate information (5.2(b), 5.3(c)).</summary>
    public const string UpdateSecurityCredentialsKrp = "6.15.1";

    /// <summary>'Update Security Credentials (Device)': AC 5.7(c)(ii); stores a new Device Certificate (5.2(a), 5.3(b)).</summary>
    public const string UpdateSecurityCredentialsDevice = "6.15.2";

    /// <summary>'Issue Security Credentials': AC 5.7(c)(i); the Device re-generates a key pair (5.2(a), 5.3(b)).</summary>
    public const string IssueSecurityCredentials = "6.17";

    /// <summary>'Update Security Credentials (CoS)': replacing credentials on a change of supplier, AC 5.14(ii).</summary>
    public const string UpdateSecurityCredentialsCos = "6.23";

    /// <summary>'Retrieve Device Security Credentials (KRP)': reads the Device's trust anchor cells, the Supplier's interrogation of AC 5.14(b).</summary>
    public const string RetrieveDeviceSecurityCredentialsKrp = "6.24.1";

    private static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [UpdateSecurityCredentialsKrp] = "Update Security Credentials (KRP)",
        [UpdateSecurityCredentialsDevice] = "Update Security Credentials (Device)",
        [IssueSecurityCredentials] = "Issue Security Credentials",
        [UpdateSecurityCredentialsCos] = "Update Security Credentials (CoS)",
        [RetrieveDeviceSecurityCredentialsKrp] = "Retrieve Device Security Credentials (KRP)",
    };

    /// <summary>The Service Requests whose Successful Execution AC 5.7(c) counts.</summary>
    public static readonly IReadOnlyList<string> Counted = [IssueSecurityCredentials, UpdateSecurityCredentialsDevice, UpdateSecurityCredentialsKrp];

    /// <summary>"6.17 'Issue Security Credentials'", or the variant alone for one this class does not name.</summary>
    public static string Describe(string serviceReferenceVariant) =>
        Names.TryGetValue(serviceReferenceVariant, out var name) ? $"{serviceReferenceVariant} '{name}'" : serviceReferenceVariant;

    /// <summary>A DUIS Service Reference Variant is two or three dot-separated numbers (e.g. 6.17, 6.15.1, 8.7.1).</summary>
    public static bool IsWellFormed(string? serviceReferenceVariant)
    {
        if (string.IsNullOrWhiteSpace(serviceReferenceVariant))
            return false;
        var parts = serviceReferenceVariant.Split('.');
        return parts.Length is 2 or 3 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
