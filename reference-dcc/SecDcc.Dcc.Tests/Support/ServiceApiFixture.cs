using System.Net;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Support;

/// <summary>
/// The service run as its own process on a real SQLite file in test mode, with the Panel's standard CPL received and an
/// Electricity Distributor registered: what every JSON API test needs before its first request.
/// </summary>
[NonParallelizable]
public abstract class ServiceApiFixture(string name, ulong firstDeviceId, string clockStart, params string[] extraArguments)
{
    protected string _dir = null!;
    protected CplBuilder _cpl = null!;
    protected ServiceProcess _dcc = null!;
    protected readonly CancellationToken _ct = new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token;
    private ulong _next = firstDeviceId;

    protected static object Actor(Inventory.Actor a) => new { party = a.Party.ToString(), role = a.Role.ToString() };
    protected static object Model(Inventory.DeviceModel m) => new { manufacturer = m.Manufacturer, model = m.Model, hardwareVersion = m.HardwareVersion, firmwareVersion = m.FirmwareVersion };
    protected string NewId() => new Inventory.DeviceId(++_next).ToString();

    [OneTimeSetUp]
    public async Task StartServiceAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"secdcc-{name}-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _cpl = new CplBuilder();
        var keyFile = Path.Combine(_dir, "panel.pem");
        await File.WriteAllTextAsync(keyFile, _cpl.PanelPublicKeyPem, _ct);
        _dcc = await ServiceProcess.StartAsync(
            ["--data", Path.Combine(_dir, "smi.db"), "--test-mode", "--clock-start", clockStart, "--panel-key", keyFile, .. extraArguments], _ct);
        var (status, body) = await _dcc.PostRawAsync("/products/cpl", _cpl.SignedCpl(_cpl.StandardEntries(), Start), _ct);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString);
        await _dcc.PostJsonAsync("/clock/run-duties", new { }, _ct);
        await _dcc.PostJsonAsync("/inventory/network-operators", new { gas = false, prefix = "10", party = Distributor.Party.ToString() }, _ct);
    }

    [OneTimeTearDown]
    public async Task StopServiceAsync()
    {
        await _dcc.DisposeAsync();
        _cpl.Dispose();
        Directory.Delete(_dir, true);
    }
}
