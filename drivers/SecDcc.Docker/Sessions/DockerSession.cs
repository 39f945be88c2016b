using System.Globalization;
using System.Security.Cryptography;
using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Sessions;

/// <summary>
/// One run of the harness, as the labels on every container it creates. Containers carry
/// <c>secdcc.owner</c> (which tool), <c>secdcc.session</c> (which run), and the identity of the process that
/// made them (<c>secdcc.host</c>, <c>secdcc.boot-id</c>, <c>secdcc.pid</c>, <c>secdcc.pid-start</c>), so a later run
/// can tell a crashed run's leftovers from the containers of a run that is still going.
/// See docs/decisions/0402-docker-session-labels-and-reaping.md.
/// </summary>
public sealed class DockerSession
{
    public const string OwnerLabel = "secdcc.owner";
    public const string SessionLabel = "secdcc.session";
    public const string HostLabel = "secdcc.host";
    public const string BootIdLabel = "secdcc.boot-id";
    public const string PidLabel = "secdcc.pid";
    public const string PidStartLabel = "secdcc.pid-start";
    public const string DefaultOwner = "secdcc";

    public DockerSession(string owner, string id, ProcessIdentity process)
    {
        if (string.IsNullOrWhiteSpace(owner) || string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("a Docker session needs a non-empty owner and id, e.g. owner \"secdcc\" and a run id");
        }

        Owner = owner;
        Id = id;
        Process = process;
    }

    /// <summary>This process's session: one per run of the harness.</summary>
    public static DockerSession Current { get; } = new(DefaultOwner, NewId(), ProcessIdentity.Current);

    public string Owner { get; }
    public string Id { get; }
    public ProcessIdentity Process { get; }

    public IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string>
    {
        [OwnerLabel] = Owner,
        [SessionLabel] = Id,
        [HostLabel] = Process.Host,
        [BootIdLabel] = Process.BootId,
        [PidLabel] = Process.Pid.ToString(CultureInfo.InvariantCulture),
        [PidStartLabel] = Process.StartTicks.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A sortable run id: UTC time to the second, then random hex.</summary>
    public static string NewId() =>
        $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>Decides what to do with a container that carries this session's owner label.</summary>
    public LeftoverVerdict Judge(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.GetValueOrDefault(SessionLabel) == Id)
        {
            return LeftoverVerdict.Keep("it belongs to this run");
        }

        var host = labels.GetValueOrDefault(HostLabel);
        if (host != Process.Host)
        {
            // Another machine (or a harness in another container) shares this engine; its processes are not visible here.
            return LeftoverVerdict.Keep($"it was made on host '{host ?? "(no label)"}', not '{Process.Host}', so its process cannot be checked from here");
        }

        if (!int.TryParse(labels.GetValueOrDefault(PidLabel), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ||
            !long.TryParse(labels.GetValueOrDefault(PidStartLabel), NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return LeftoverVerdict.Keep("it has no secdcc.pid/secdcc.pid-start labels, so whether its run is over cannot be told");
        }

        var bootId = labels.GetValueOrDefault(BootIdLabel) ?? string.Empty;
        if (bootId.Length > 0 && Process.BootId.Length > 0 && bootId != Process.BootId)
        {
            return LeftoverVerdict.Reap($"its run (pid {pid}) was on an earlier boot of this machine");
        }

        var owner = new ProcessIdentity(host, bootId, pid, start);
        return owner.IsAlive()
            ? LeftoverVerdict.Keep($"its run (pid {pid}) is still going")
            : LeftoverVerdict.Reap($"its run (pid {pid}, session {labels.GetValueOrDefault(SessionLabel)}) has ended");
    }

    /// <summary>
    /// Removes (with their anonymous volumes) the containers of this owner whose run has ended. Containers of
    /// live runs, of other hosts, or without process labels are left alone and listed in the report.
    /// </summary>
    public async Task<ReapReport> ReapLeftoversAsync(IDockerEngine engine, CancellationToken cancellationToken)
    {
        var containers = await engine.ListContainersAsync(
            new Dictionary<string, string?> { [OwnerLabel] = Owner }, cancellationToken).ConfigureAwait(false);
        var reaped = new List<ReapedContainer>();
        var kept = new List<ReapedContainer>();
        foreach (var c in containers)
        {
            var verdict = Judge(c.Labels);
            var entry = new ReapedContainer(c.Id, c.Names.FirstOrDefault() ?? c.ShortId, verdict.Reason);
            if (!verdict.ShouldReap)
            {
                kept.Add(entry);
                continue;
            }

            await engine.RemoveContainerAsync(c.Id, force: true, removeVolumes: true, cancellationToken).ConfigureAwait(false);
            reaped.Add(entry);
        }

        return new ReapReport(reaped, kept);
    }
}

public readonly record struct LeftoverVerdict(bool ShouldReap, string Reason)
{
    public static LeftoverVerdict Reap(string reason) => new(true, reason);
    public static LeftoverVerdict Keep(string reason) => new(false, reason);
}

public sealed record ReapedContainer(string Id, string Name, string Reason);

public sealed record ReapReport(IReadOnlyList<ReapedContainer> Reaped, IReadOnlyList<ReapedContainer> Kept)
{
    public override string ToString() =>
        $"reaped {Reaped.Count} leftover container(s)" +
        string.Concat(Reaped.Select(r => $"\n  removed {r.Name}: {r.Reason}")) +
        string.Concat(Kept.Where(k => !k.Reason.StartsWith("it belongs to this run", StringComparison.Ordinal)).Select(k => $"\n  kept {k.Name}: {k.Reason}"));
}
