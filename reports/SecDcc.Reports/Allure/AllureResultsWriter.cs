using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecDcc.Reports.Allure;

/// <summary>
/// Writes an allure-results directory: one <c>{uuid}-result.json</c> per test, <c>{uuid}-container.json</c>
/// per hook group, <c>{uuid}-attachment.{ext}</c> per attachment, plus environment, executor and categories.
/// Safe to call from parallel tests: every file has a unique name and is written whole, then renamed,
/// so a reader never sees half a file.
/// </summary>
public sealed class AllureResultsWriter
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public AllureResultsWriter(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public void WriteResult(AllureResult result) =>
        WriteJson($"{result.Uuid}-result.json", result);

    public void WriteContainer(AllureContainer container) =>
        WriteJson($"{container.Uuid}-container.json", container);

    /// <summary>Stores the bytes and returns the attachment record that points at them.</summary>
    public AllureAttachment WriteAttachment(string name, ReadOnlySpan<byte> content, string mimeType)
    {
        var source = $"{Guid.NewGuid()}-attachment{ExtensionFor(mimeType)}";
        WriteAtomically(source, content);
        return new AllureAttachment(name, source, mimeType);
    }

    public AllureAttachment WriteAttachment(string name, string text, string mimeType = "text/plain") =>
        WriteAttachment(name, Encoding.UTF8.GetBytes(text), mimeType);

    public void WriteEnvironment(IReadOnlyDictionary<string, string> properties)
    {
        // environment.properties is a Java properties file: escape the characters that would end a key.
        var sb = new StringBuilder();
        foreach (var (key, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            sb.Append(EscapeProperty(key, isKey: true)).Append(" = ").Append(EscapeProperty(value, isKey: false)).Append('\n');
        WriteAtomically("environment.properties", Encoding.UTF8.GetBytes(sb.ToString()));
    }

    public void WriteExecutor(AllureExecutor executor) => WriteJson("executor.json", executor);

    public void WriteCategories(IEnumerable<AllureCategory> categories) => WriteJson("categories.json", categories.ToList());

    private void WriteJson<T>(string fileName, T value) =>
        WriteAtomically(fileName, JsonSerializer.SerializeToUtf8Bytes(value, Json));

    private void WriteAtomically(string fileName, ReadOnlySpan<byte> content)
    {
        var target = Path.Combine(Directory, fileName);
        var temp = target + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(temp, content.ToArray());
        File.Move(temp, target, overwrite: true);
    }

    private static string ExtensionFor(string mimeType) => mimeType switch
    {
        "text/plain" => ".txt",
        "application/xml" or "text/xml" => ".xml",
        "application/json" => ".json",
        "text/html" => ".html",
        "text/csv" => ".csv",
        "image/png" => ".png",
        "application/zip" => ".zip",
        _ => ".bin",
    };

    private static string EscapeProperty(string s, bool isKey)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '=' or ':' or ' ' when isKey: sb.Append('\\').Append(c); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
