using System.Globalization;
using System.Text;
using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Serial;

/// <summary>Finds out, as far as /proc allows, which processes hold or have open a device.</summary>
/// <remarks>
/// Only used to word an error message, so every failure to read /proc (another user's process, a process
/// that exits meanwhile, no /proc at all) leaves that process out rather than hiding the real error.
/// </remarks>
internal static class PortHolders
{
    /// <summary>Like <see cref="Describe(string, uint, uint, ulong, string)"/>, for a path that is not open here.</summary>
    public static string Describe(string path)
    {
        return Libc.StatxPath(Statx.AT_FDCWD, path, 0, Statx.STATX_BASIC_STATS, out var st) == 0
            ? Describe(path, st.stx_dev_major, st.stx_dev_minor, st.stx_ino)
            : Describe(path, 0, 0, 0);
    }

    /// <summary>"pid 1234 (picocom -b 115200 /dev/ttyUSB0)" for every flock holder of the inode, else every opener.</summary>
    public static string Describe(string path, uint devMajor, uint devMinor, ulong inode, string procRoot = "/proc")
    {
        var lockers = FlockHolders(devMajor, devMinor, inode, procRoot);
        if (lockers.Count > 0)
        {
            return "held by " + string.Join(", ", lockers.Select(pid => Process(pid, procRoot)));
        }

        var openers = Openers(path, procRoot);
        return openers.Count > 0
            ? "open in " + string.Join(", ", openers.Select(pid => Process(pid, procRoot)))
            : "no holder is visible in /proc (it may belong to another user or another container)";
    }

    /// <summary>Parses /proc/locks lines such as "1: FLOCK  ADVISORY  WRITE 12358 00:1a:5 0 EOF".</summary>
    internal static IReadOnlyList<int> FlockHolders(uint devMajor, uint devMinor, ulong inode, string procRoot)
    {
        var wanted = string.Create(CultureInfo.InvariantCulture, $"{devMajor:x2}:{devMinor:x2}:{inode}");
        var pids = new List<int>();
        foreach (var line in ReadLines(Path.Combine(procRoot, "locks")))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

            // A lock with waiters shows extra "->" lines; the holder's line has the 8 plain fields.
            if (fields.Length < 6 || fields[1] == "->" || fields[1] != "FLOCK")
            {
                continue;
            }

            if (string.Equals(fields[5], wanted, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(fields[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                && !pids.Contains(pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    private static IReadOnlyList<int> Openers(string path, string procRoot)
    {
        var pids = new List<int>();
        string full;
        try
        {
            full = Path.GetFullPath(path);
            var resolved = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            if (resolved is not null)
            {
                full = resolved.FullName;
            }

            foreach (var dir in Directory.EnumerateDirectories(procRoot))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                try
                {
                    foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                    {
                        if (new FileInfo(fd).LinkTarget == full)
                        {
                            pids.Add(pid);
                            break;
                        }
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another user's process, or one that has just exited.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc to look at: the caller says the holder is unknown.
        }

        return pids;
    }

    private static string Process(int pid, string procRoot)
    {
        var self = pid == Environment.ProcessId ? ", this process" : string.Empty;
        try
        {
            var raw = File.ReadAllBytes(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "cmdline"));
            var cmd = Encoding.UTF8.GetString(raw).Replace('\0', ' ').Trim();
            if (cmd.Length > 120)
            {
                cmd = cmd[..117] + "...";
            }

            return $"pid {pid} ({(cmd.Length == 0 ? "?" : cmd)}{self})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"pid {pid}{self}";
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
