using System.Diagnostics;
using System.Globalization;
using SecDcc.Docker.Engine;
using SecDcc.Docker.Sessions;
using SecDcc.Docker.Tests.Support;

namespace SecDcc.Docker.Tests.Unit;

public sealed class SessionTests
{
    private static readonly DockerSession Current = new("secdcc", "run-now", ProcessIdentity.Current);

    private static Dictionary<string, string> LabelsOf(string session, ProcessIdentity process) =>
        new DockerSession("secdcc", session, process).Labels.ToDictionary();

    [Test]
    public void The_start_time_is_found_after_a_command_name_with_spaces_and_parentheses()
    {
        const string stat = "4242 (dotnet (test) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 12 0 987654 123456789 2000";
        Assert.That(ProcessIdentity.ParseStartTicks(stat), Is.EqualTo(987654));
    }

    [Test]
    public void This_process_is_alive_and_a_reused_pid_is_not()
    {
        var me = ProcessIdentity.Current;
        Assert.That(me.IsAlive(), Is.True);
        Assert.That((me with { StartTicks = me.StartTicks + 1 }).IsAlive(), Is.False, "same pid, different start: the pid was reused");
    }

    [Test]
    public async Task A_finished_process_is_not_alive()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "0.01"))!;
        var identity = new ProcessIdentity(Environment.MachineName, ProcessIdentity.ReadBootId(), child.Id, ProcessIdentity.ReadStartTicks(child.Id) ?? -1);
        await child.WaitForExitAsync();
        // The zombie is reaped once the Process object has observed the exit.
        Assert.That(identity.IsAlive(), Is.False);
    }

    [Test]
    public void Containers_of_this_run_and_of_live_runs_are_kept()
    {
        Assert.That(Current.Judge(LabelsOf("run-now", ProcessIdentity.Current)).ShouldReap, Is.False);
        var live = Current.Judge(LabelsOf("run-other", ProcessIdentity.Current));
        Assert.That(live.ShouldReap, Is.False);
        Assert.That(live.Reason, Does.Contain("still going"));
    }

    [Test]
    public void Containers_of_ended_runs_and_earlier_boots_are_reaped()
    {
        var ended = Current.Judge(LabelsOf("run-crashed", ProcessIdentity.Current with { StartTicks = ProcessIdentity.Current.StartTicks + 7 }));
        var earlierBoot = Current.Judge(LabelsOf("run-before-reboot", ProcessIdentity.Current with { BootId = "00000000-0000-0000-0000-000000000000" }));

        Assert.That(ended, Is.EqualTo(LeftoverVerdict.Reap($"its run (pid {Environment.ProcessId}, session run-crashed) has ended")));
        Assert.That(earlierBoot.ShouldReap, Is.True);
        Assert.That(earlierBoot.Reason, Does.Contain("earlier boot"));
    }

    [Test]
    public void Containers_of_other_hosts_or_without_process_labels_are_left_alone()
    {
        var otherHost = Current.Judge(LabelsOf("run-x", ProcessIdentity.Current with { Host = "bench-7" }));
        var unlabelled = Current.Judge(new Dictionary<string, string> { [DockerSession.OwnerLabel] = "secdcc", [DockerSession.SessionLabel] = "old", [DockerSession.HostLabel] = Environment.MachineName });

        Assert.That(otherHost.ShouldReap, Is.False);
        Assert.That(otherHost.Reason, Does.Contain("bench-7"));
        Assert.That(unlabelled.ShouldReap, Is.False);
        Assert.That(unlabelled.Reason, Does.Contain("no secdcc.pid"));
    }

    [Test]
    public async Task Reaping_removes_only_leftovers_of_ended_runs_of_the_same_owner()
    {
        var engine = new FakeDockerEngine();
        ContainerSummary Summary(string id, IReadOnlyDictionary<string, string> labels) =>
            new(id, [id], "img", "exited", "Exited (137)", DateTimeOffset.UtcNow, labels);
        var dead = ProcessIdentity.Current with { StartTicks = ProcessIdentity.Current.StartTicks + 1 };
        engine.Containers.Add(Summary("mine", LabelsOf("run-now", ProcessIdentity.Current)));
        engine.Containers.Add(Summary("crashed", LabelsOf("run-crashed", dead)));
        engine.Containers.Add(Summary("other-owner", new DockerSession("someone-else", "run-x", dead).Labels));

        var report = await Current.ReapLeftoversAsync(engine, CancellationToken.None);

        Assert.That(engine.Removed, Is.EqualTo(new[] { "crashed" }));
        Assert.That(report.Reaped.Select(r => r.Id), Is.EqualTo(new[] { "crashed" }));
        Assert.That(report.Kept.Select(r => r.Id), Is.EqualTo(new[] { "mine" }));
        Assert.That(report.ToString(), Does.StartWith("reaped 1 leftover container(s)\n  removed crashed: its run"));
    }

    [Test]
    public void Session_labels_name_the_process()
    {
        var labels = Current.Labels;
        Assert.That(labels[DockerSession.PidLabel], Is.EqualTo(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
        Assert.That(labels[DockerSession.SessionLabel], Is.EqualTo("run-now"));
        Assert.That(labels[DockerSession.OwnerLabel], Is.EqualTo("secdcc"));
        Assert.That(DockerSession.NewId(), Does.Match(@"^\d{8}T\d{6}-[0-9a-f]{8}$"));
    }
}
