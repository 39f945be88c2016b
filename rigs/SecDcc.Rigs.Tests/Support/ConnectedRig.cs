using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Tests.Support;

/// <summary>An emulated rig whose hub has connected to a fake gateway and been verified: where most WAN tests start.</summary>
public sealed class ConnectedRig : IAsyncDisposable
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private readonly TempFolder _folder;
    private readonly DeviceCertificateDirectory _directory;

    private ConnectedRig(TempFolder folder, FakeGateway gateway, EmulatedRig rig, DeviceCertificateDirectory directory, WanSession session, EventRecorder events, MemoryEmulatorLog log)
    {
        _folder = folder;
        Gateway = gateway;
        Rig = rig;
        _directory = directory;
        Session = session;
        Events = events;
        Log = log;
    }

    public FakeGateway Gateway { get; }

    public EmulatedRig Rig { get; }

    public WanSession Session { get; }

    public EventRecorder Events { get; }

    public MemoryEmulatorLog Log { get; }

    public DeviceCertificateDirectory Directory => _directory;

    /// <summary>Starts <paramref name="makeRig"/>'s rig against a new gateway and waits for the hub's verified 'connected' communication.</summary>
    /// <param name="clock">The devices' clock, for tests that move time themselves.</param>
    public static async Task<ConnectedRig> StartAsync(Func<string, WanConnection, RigDefinition> makeRig, CancellationToken ct, TimeProvider? clock = null)
    {
        TestRigs.RequirePseudoTerminals();
        var folder = new TempFolder();
        var gateway = new FakeGateway();
        var log = new MemoryEmulatorLog();
        var rig = await EmulatedRig.StartAsync(
            makeRig(folder.Path, gateway.Wan),
            new EmulatorOptions { DccCertificate = gateway.Certificate, Log = log, Clock = clock ?? TimeProvider.System },
            ct);
        var directory = new DeviceCertificateDirectory(rig.DeviceIssuerCertificates);
        var session = await gateway.AcceptAsync(directory, TimeSpan.FromSeconds(5), Within);
        var events = new EventRecorder(session);
        await events.WaitForAsync<HubConnectedEvent>(null, Within, "the hub's 'connected' communication");
        return new ConnectedRig(folder, gateway, rig, directory, session, events, log);
    }

    /// <summary>Sends a command and asserts it succeeded.</summary>
    public Task<CommandResponse> SucceedsAsync(Eui64 target, Func<RequestId, DeviceCommand> command, CancellationToken ct) =>
        SucceedsAsync(Session, target, command, ct);

    public static async Task<CommandResponse> SucceedsAsync(WanSession session, Eui64 target, Func<RequestId, DeviceCommand> command, CancellationToken ct)
    {
        var sent = command(session.NewRequestId(target));
        var outcome = await session.SendAsync(target, sent, ct);
        Assert.That(outcome.Response.Succeeded, Is.True, $"{sent.Describe()} to {target}: {outcome.Response.Reason} {outcome.Response.Detail}");
        return outcome.Response;
    }

    public async ValueTask DisposeAsync()
    {
        await Rig.DisposeAsync();
        await Gateway.DisposeAsync();
        _directory.Dispose();
        _folder.Dispose();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine(Log);
        }
    }
}
