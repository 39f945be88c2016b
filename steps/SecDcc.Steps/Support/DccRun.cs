using System.Security.Cryptography;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Support;

/// <summary>
/// How a host that knows better than the bindings (e.g. `secdcc run --dcc docker`) supplies the DCC under test:
/// registered in the run's <see cref="TestRunContext"/> under <see cref="Key"/> before the first scenario.
/// </summary>
public sealed class DccTargetFactory(Func<string, TimeSpan, CancellationToken, Task<IDccTarget>> start)
{
    public const string Key = "secdcc.dcc-target-factory";

    /// <param name="panelPublicKeyPem">The Panel public key the DCC must trust for CPL documents (F2.15(a)).</param>
    public Task<IDccTarget> StartAsync(string panelPublicKeyPem, TimeSpan readyTimeout, CancellationToken cancellationToken) =>
        start(panelPublicKeyPem, readyTimeout, cancellationToken);
}

/// <summary>
/// Everything a run shares: the DCC under test, one HTTP client to it, the Panel that signs the CPL, and the
/// allocators that keep every scenario's Device IDs, Party IDs, MPxN prefixes and Device Models its own, so
/// scenarios never collide in the one Smart Metering Inventory they share.
/// </summary>
public sealed class DccRun : IAsyncDisposable
{
    public const string Key = "secdcc.dcc-run";
    private long _counter;

    private DccRun(IDccTarget target, Panel panel)
    {
        Target = target;
        Panel = panel;
        Http = new HttpClient { BaseAddress = target.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        // Two random octets per run keep IDs apart when one long-lived DCC (SECDCC_DCC_URL) serves many runs.
        RunTag = (ushort)RandomNumberGenerator.GetInt32(0x100, 0x10000);
    }

    public IDccTarget Target { get; }
    public HttpClient Http { get; }
    public Panel Panel { get; }
    public ushort RunTag { get; }

    public static async Task<DccRun> StartAsync(DccTargetFactory? factory, CancellationToken ct)
    {
        var ready = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SECDCC_DCC_READY_SECONDS"), out var s) && s > 0 ? s : 90);
        var panel = Panel.FromEnvironment();
        IDccTarget target;
        if (factory is not null)
            target = await factory.StartAsync(panel.PublicKeyPem, ready, ct);
        else if (Environment.GetEnvironmentVariable("SECDCC_DCC_URL") is { Length: > 0 } url)
            target = await RemoteDcc.ConnectAsync(url, ready, ct);
        else
            target = await DccProcess.StartAsync(ready, panel.PublicKeyPem, ct);
        return new DccRun(target, panel);
    }

    /// <summary>A number unique within the run, for IDs and names.</summary>
    public long Next() => Interlocked.Increment(ref _counter);

    /// <summary>A fresh EUI-64: one fixed octet, the run's two, then a 40-bit counter.</summary>
    public string NewEui64()
    {
        var value = (0x5DUL << 56) | ((ulong)RunTag << 40) | ((ulong)Next() & 0xFF_FFFF_FFFF);
        return string.Join('-', Enumerable.Range(0, 8).Select(i => ((byte)(value >> (56 - 8 * i))).ToString("X2")));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Panel.Dispose();
        await Target.DisposeAsync();
    }
}
