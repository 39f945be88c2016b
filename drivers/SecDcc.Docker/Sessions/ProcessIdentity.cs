using System.Globalization;

namespace SecDcc.Docker.Sessions;

/// <summary>
/// Names one process on one boot of one machine. A pid alone is reused; pid plus its start time (in clock
/// ticks since boot, field 22 of /proc/PID/stat) is not, within a boot, and the boot id tells boots apart.
/// </summary>
public sealed record ProcessIdentity(string Host, string BootId, int Pid, long StartTicks)
{
    public static ProcessIdentity Current { get; } = new(
        Environment.MachineName, ReadBootId(), Environment.ProcessId, ReadStartTicks(Environment.ProcessId) ?? 0);

    /// <summary>The boot id of this machine, or "" where /proc does not offer one.</summary>
    public static string ReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>The start time of a process in clock ticks since boot, or null when no such process exists.</summary>
    public static long? ReadStartTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return ParseStartTicks(stat);
    }

    /// <summary>
    /// The command name (field 2) is in parentheses and may itself contain spaces and ')', so fields are counted
    /// from the last ')'; starttime is field 22, the 20th after it.
    /// </summary>
    internal static long? ParseStartTicks(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    /// <summary>True while this process still runs (same pid, same start time, same boot).</summary>
    public bool IsAlive()
    {
        if (BootId.Length > 0 && BootId != ReadBootId())
        {
            return false;
        }

        return ReadStartTicks(Pid) == StartTicks;
    }
}
