using System.Text.Json;

namespace SecDcc.Duis.Messages;

/// <summary>DCC User roles as the DUIS request matrix names them.</summary>
public enum DuisUserRole
{
    /// <summary>Import Supplier.</summary>
    IS,
    /// <summary>Export Supplier.</summary>
    ES,
    /// <summary>Gas Supplier.</summary>
    GS,
    /// <summary>Registered Supplier Agent.</summary>
    RSA,
    /// <summary>Electricity Distributor.</summary>
    ED,
    /// <summary>Gas Transporter.</summary>
    GT,
    /// <summary>Other User.</summary>
    OU,
}

/// <summary>One Service Reference Variant: its name, nature, allowed Command Variants and eligible roles.</summary>
public sealed record ServiceRequestVariant(
    string ServiceReferenceVariant,
    string ServiceReference,
    string Name,
    bool Critical,
    bool NonDevice,
    bool OnDemand,
    string FutureDatedResponsePattern,
    bool DccScheduled,
    IReadOnlyList<DuisUserRole> EligibleRoles,
    IReadOnlyList<int> CommandVariants)
{
    public bool IsEligible(DuisUserRole role) => EligibleRoles.Contains(role);
}

/// <summary>
/// Every SRV of the DUIS request matrix (copied from @smartdcc/duis-parser 0.6.0) with the Command
/// Variants the XSD allows for it, so the DCC can answer "may role X send SRV Y, with CV Z?".
/// </summary>
public sealed class ServiceRequestCatalogue
{
    private readonly Dictionary<string, ServiceRequestVariant> _bySrv;

    private ServiceRequestCatalogue(Dictionary<string, ServiceRequestVariant> bySrv) => _bySrv = bySrv;

    public static ServiceRequestCatalogue Default { get; } = LoadEmbedded();

    public IReadOnlyCollection<ServiceRequestVariant> All => _bySrv.Values;

    public ServiceRequestVariant Get(string serviceReferenceVariant) =>
        TryGet(serviceReferenceVariant, out var srv) ? srv
            : throw new KeyNotFoundException($"'{serviceReferenceVariant}' is not a Service Reference Variant in the DUIS request matrix.");

    public bool TryGet(string serviceReferenceVariant, out ServiceRequestVariant srv) =>
        _bySrv.TryGetValue(serviceReferenceVariant, out srv!);

    /// <summary>Whether the role may send the SRV (false for SRVs the matrix does not know).</summary>
    public bool IsEligible(DuisUserRole role, string serviceReferenceVariant) =>
        TryGet(serviceReferenceVariant, out var srv) && srv.IsEligible(role);

    private static ServiceRequestCatalogue LoadEmbedded()
    {
        using var matrix = JsonDocument.Parse(EmbeddedData.Read("duis-request-matrix.json"));
        using var cvs = JsonDocument.Parse(EmbeddedData.Read("srv-command-variants.json"));
        var variants = cvs.RootElement.GetProperty("commandVariants");
        var result = new Dictionary<string, ServiceRequestVariant>(StringComparer.Ordinal);
        foreach (var row in matrix.RootElement.EnumerateArray())
        {
            var srv = row.GetProperty("Service Reference Variant").GetString()!;
            var roles = row.GetProperty("Eligible User Roles").EnumerateArray()
                .Select(r => Enum.Parse<DuisUserRole>(r.GetString()!)).ToList();
            var allowed = variants.TryGetProperty(srv, out var list) ? list.EnumerateArray().Select(v => v.GetInt32()).ToList() : [];
            result[srv] = new ServiceRequestVariant(
                srv,
                row.GetProperty("Service Reference").GetString()!,
                // The matrix keeps the spec's line breaks in some names (8.2); one line reads better in messages.
                string.Join(' ', row.GetProperty("Service Request Name").GetString()!.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim(),
                YesNo(row, "Critical"),
                YesNo(row, "Non-Device Request"),
                YesNo(row, "On Demand"),
                row.GetProperty("Future Dated Response Pattern").GetString() ?? string.Empty,
                YesNo(row, "DCC Scheduled"),
                roles,
                allowed);
        }
        return new ServiceRequestCatalogue(result);
    }

    private static bool YesNo(JsonElement row, string property) =>
        string.Equals(row.GetProperty(property).GetString(), "Yes", StringComparison.OrdinalIgnoreCase);
}

internal static class EmbeddedData
{
    public static string Read(string fileName)
    {
        var name = "SecDcc.Duis.Data." + fileName;
        using var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing from SecDcc.Duis; it is built from drivers/SecDcc.Duis/Data/{fileName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
