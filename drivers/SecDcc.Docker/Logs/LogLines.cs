using System.Text;

namespace SecDcc.Docker.Logs;

public sealed record LogLine(LogStreamKind Stream, string Text)
{
    public override string ToString() => Stream == LogStreamKind.Stderr ? $"stderr: {Text}" : Text;
}

/// <summary>
/// Turns frames into lines. A frame need not end at a line break, and stdout and stderr interleave, so each
/// stream keeps its own unfinished line until its newline (or the end) arrives.
/// </summary>
public sealed class LogLineAssembler
{
    private readonly Dictionary<LogStreamKind, StringBuilder> _pending = [];
    private readonly Dictionary<LogStreamKind, Decoder> _decoders = [];

    public IEnumerable<LogLine> Add(LogFrame frame)
    {
        if (!_pending.TryGetValue(frame.Stream, out var text))
        {
            text = _pending[frame.Stream] = new StringBuilder();
            _decoders[frame.Stream] = Encoding.UTF8.GetDecoder();
        }

        // A decoder per stream keeps a UTF-8 sequence that is split across two frames intact.
        var decoder = _decoders[frame.Stream];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(frame.Payload.Length)];
        var count = decoder.GetChars(frame.Payload.Span, chars, flush: false);
        var lines = new List<LogLine>();
        for (var i = 0; i < count; i++)
        {
            if (chars[i] == '\n')
            {
                lines.Add(new LogLine(frame.Stream, TrimCarriageReturn(text.ToString())));
                text.Clear();
            }
            else
            {
                text.Append(chars[i]);
            }
        }

        return lines;
    }

    /// <summary>The unfinished last lines, once the stream has ended.</summary>
    public IEnumerable<LogLine> Flush()
    {
        foreach (var (stream, text) in _pending)
        {
            if (text.Length > 0)
            {
                yield return new LogLine(stream, TrimCarriageReturn(text.ToString()));
                text.Clear();
            }
        }
    }

    private static string TrimCarriageReturn(string line) => line.EndsWith('\r') ? line[..^1] : line;
}
