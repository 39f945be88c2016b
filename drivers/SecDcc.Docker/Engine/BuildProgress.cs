using System.Text;
using System.Text.Json;

namespace SecDcc.Docker.Engine;

/// <summary>
/// Reads the JSON messages of POST /build: {"stream": text} pieces of output (not always whole lines),
/// {"status": …} while a base is pulled, {"aux": {"ID": "sha256:…"}} with the image, {"error": …} when it failed.
/// </summary>
internal sealed class BuildProgress
{
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();

    public IReadOnlyList<string> Lines => _lines;
    public string? Error { get; private set; }
    public string? ImageId { get; private set; }

    public static async Task<BuildProgress> ReadAsync(Stream body, Action<string>? output, CancellationToken ct)
    {
        var progress = new BuildProgress();
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            progress.Add(line, output);
        }

        progress.FlushPartial(output);
        return progress;
    }

    internal void Add(string line, Action<string>? output)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            // Not a message: keep the text rather than lose what the engine said.
            Emit(line, output);
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            var error = root.Str("error");
            if (error.Length == 0)
            {
                error = root.Obj("errorDetail").Str("message");
            }

            if (error.Length > 0)
            {
                FlushPartial(output);
                Error = error.TrimEnd();
                Emit("ERROR: " + Error, output);
                return;
            }

            var id = root.Obj("aux").Str("ID");
            if (id.Length > 0)
            {
                ImageId = id;
            }

            var stream = root.Str("stream");
            if (stream.Length > 0)
            {
                foreach (var c in stream)
                {
                    if (c == '\n')
                    {
                        FlushPartial(output);
                    }
                    else if (c != '\r')
                    {
                        _partial.Append(c);
                    }
                }
            }

            var status = root.Str("status");
            if (status.Length > 0)
            {
                var itemId = root.Str("id");
                Emit(itemId.Length > 0 ? $"{itemId}: {status}" : status, output);
            }
        }
    }

    private void FlushPartial(Action<string>? output)
    {
        if (_partial.Length > 0)
        {
            Emit(_partial.ToString(), output);
            _partial.Clear();
        }
    }

    private void Emit(string line, Action<string>? output)
    {
        _lines.Add(line);
        output?.Invoke(line);
    }
}
