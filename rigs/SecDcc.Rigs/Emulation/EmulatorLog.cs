namespace SecDcc.Rigs.Emulation;

/// <summary>Where the emulator says what its devices do: the standalone runner prints it, tests keep it as evidence.</summary>
public interface IEmulatorLog
{
    /// <param name="source">The device's name in the rig, or "rig".</param>
    void Write(string source, string message);
}

public sealed class NullEmulatorLog : IEmulatorLog
{
    public static NullEmulatorLog Instance { get; } = new();

    public void Write(string source, string message)
    {
        // Nobody asked to hear it.
    }
}

/// <summary>Writes "12:00:01.234 esme: message" lines.</summary>
public sealed class TextWriterEmulatorLog(TextWriter writer, TimeProvider? clock = null) : IEmulatorLog
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public void Write(string source, string message)
    {
        lock (_gate)
        {
            writer.WriteLine($"{_clock.GetLocalNow():HH:mm:ss.fff} {source}: {message}");
            writer.Flush();
        }
    }
}

/// <summary>Keeps every line, for a test to show when it fails.</summary>
public sealed class MemoryEmulatorLog : IEmulatorLog
{
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    public void Write(string source, string message)
    {
        lock (_gate)
        {
            _lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {source}: {message}");
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, Lines);
}
