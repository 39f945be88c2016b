using System.Net.Http.Json;
using System.Text.Json;

namespace SecDcc.Cli.Ppc;

/// <summary>The reference DCC's PPC endpoints (reference-dcc/SecDcc.Dcc.Service/Api/ProductsApi.cs) over its JSON API.</summary>
public sealed class PpcClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Entry(string Identity, string Key, string List, DateTimeOffset AddedAt, string? Requester);

    public sealed record Failure(string Step, string Reason);

    public sealed record Record(string Identity, string? Requester, DateTimeOffset RequestedAt, string Outcome, DateTimeOffset? ConcludedAt,
        IReadOnlyList<Failure> Failures, bool? MaterialChangeToDccSystems, bool? SecModification);

    /// <summary>BEIS consultation 6.12: asks the DCC to test the combination; the DCC's answer or its refusal text.</summary>
    public async Task<(Entry? Entry, string? Refusal)> RequestAsync(CombinationDefinition combination, string requester, CancellationToken ct)
    {
        var body = new
        {
            requester,
            models = combination.DistinctModels.Select(m => new { manufacturer = m.Manufacturer, model = m.Model, hardwareVersion = m.HardwareVersion, firmwareVersion = m.FirmwareVersion }),
        };
        using var response = await http.PostAsJsonAsync("products/ppc", body, Json, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? (JsonSerializer.Deserialize<Entry>(text, Json), null) : (null, $"{(int)response.StatusCode}: {text}");
    }

    public async Task<IReadOnlyList<Record>> RecordsAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<Record>>("products/ppc/records", Json, ct) ?? [];

    public async Task<IReadOnlyList<Entry>> EligibleAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<Entry>>("products/epc", Json, ct) ?? [];

    public Task<string> SignedListsAsync(CancellationToken ct) => http.GetStringAsync("products/lists/signed", ct);

    public Task<string> SigningKeyAsync(CancellationToken ct) => http.GetStringAsync("products/lists/signing-key", ct);
}
