using System.Text.Json;

namespace SecDcc.Duis.Messages;

/// <summary>A DUIS ResponseCode: I0 success, I99 acknowledgement, E… errors and W… warnings.</summary>
public readonly record struct ResponseCode
{
    public ResponseCode(string value)
    {
        if (!ResponseCodes.IsDefined(value))
        {
            throw new ArgumentException(
                $"'{value}' is not a ResponseCode of the DUIS schema (V5.1); known codes are listed in ResponseCodes.All.", nameof(value));
        }
        Value = value;
    }

    public string Value { get; }

    public static ResponseCode Success { get; } = new("I0");
    public static ResponseCode Acknowledgement { get; } = new("I99");

    public bool IsSuccess => Value == "I0";
    public bool IsAcknowledgement => Value == "I99";
    public bool IsError => Value.StartsWith('E');
    public bool IsWarning => Value.StartsWith('W');

    /// <summary>What the code means, where the texts this project follows say (see ResponseCodes).</summary>
    public string? Description => ResponseCodes.DescriptionOf(Value);

    public override string ToString() => Value;
}

/// <summary>The ResponseCode list of the DUIS XSD, with descriptions for the generic codes (embedded data).</summary>
public static class ResponseCodes
{
    private static readonly Dictionary<string, string?> Codes = Load();

    public static IReadOnlyCollection<string> All => Codes.Keys;

    public static bool IsDefined(string? code) => code is not null && Codes.ContainsKey(code);

    public static string? DescriptionOf(string code) => Codes.GetValueOrDefault(code);

    private static Dictionary<string, string?> Load()
    {
        using var json = JsonDocument.Parse(EmbeddedData.Read("response-codes.json"));
        var codes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in json.RootElement.GetProperty("codes").EnumerateArray())
        {
            var description = entry.GetProperty("description");
            codes[entry.GetProperty("code").GetString()!] = description.ValueKind == JsonValueKind.String ? description.GetString() : null;
        }
        return codes;
    }
}
