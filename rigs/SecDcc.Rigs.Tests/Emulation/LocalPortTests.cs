using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>
/// Every emulated device answers over its own pseudo-terminal, opened with the real serial driver as a bench
/// would open a USB adapter. The same tests run over every device of the rig.
/// </summary>
[NonParallelizable]
public sealed class LocalPortTests
{
    private static readonly string[] DeviceNames = ["chf", "gpf", "esme", "gsme", "ppmid", "ihd"];

    private TempFolder _folder = null!;
    private FakeGateway _gateway = null!;
    private EmulatedRig _rig = null!;

    [OneTimeSetUp]
    public async Task StartRig()
    {
        TestRigs.RequirePseudoTerminals();
        _folder = new TempFolder();
        _gateway = new FakeGateway();
        _rig = await EmulatedRig.StartAsync(
            TestRigs.Full(_folder.Path, wan: _gateway.Wan),
            new EmulatorOptions { DccCertificate = _gateway.Certificate },
            CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopRig()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        _folder?.Dispose();
    }

    [TestCaseSource(nameof(DeviceNames))]
    [CancelAfter(10_000)]
    public async Task Identity_names_the_device_its_model_and_a_certificate_from_the_rigs_issuer(string name, CancellationToken ct)
    {
        var device = _rig[name];
        await using var port = LocalPortClient.Open(device.LocalPortPath);
        var identity = await port.ReadIdentityAsync(ct);
        using var certificate = X509CertificateLoader.LoadCertificate(identity.Certificate.Span);
        using var directory = new DeviceCertificateDirectory(_rig.DeviceIssuerCertificates);

        Assert.Multiple(() =>
        {
            Assert.That(identity.DeviceId, Is.EqualTo(device.Id));
            Assert.That(identity.DeviceType, Is.EqualTo(device.Type));
            Assert.That(identity.Model, Is.EqualTo(device.Model.ToInfo()), "the model file's manufacturer, model, versions and firmware hash");
            Assert.That(directory.Add(certificate), Is.EqualTo(device.Id), "the certificate names the device and chains to the rig's issuer");
        });
    }

    [TestCaseSource(nameof(DeviceNames))]
    [CancelAfter(10_000)]
    public async Task A_fresh_device_has_an_empty_device_log(string name, CancellationToken ct)
    {
        await using var port = LocalPortClient.Open(_rig[name].LocalPortPath);
        Assert.That(await port.ReadDeviceLogAsync(ct), Is.Empty);
    }

    [TestCaseSource(nameof(DeviceNames))]
    [CancelAfter(10_000)]
    public async Task State_shows_a_first_power_up_and_no_commissioning(string name, CancellationToken ct)
    {
        await using var port = LocalPortClient.Open(_rig[name].LocalPortPath);
        var state = await port.ReadStateAsync(ct);
        Assert.Multiple(() =>
        {
            Assert.That(state.PowerUpCount, Is.EqualTo(1UL));
            Assert.That(state.Commissioned, Is.False);
            Assert.That(state.JoinedDevices, Is.Empty);
            Assert.That(state.LinkStatistics, Does.Contain("local port: accepted"));
            Assert.That(state.WanState, name == "chf" ? Is.Not.Empty : Is.Empty, "only the CHF has a WAN");
        });
    }

    [TestCaseSource(nameof(DeviceNames))]
    [CancelAfter(10_000)]
    public async Task Credentials_hold_the_dccs_trust_anchor_and_the_device_certificate(string name, CancellationToken ct)
    {
        var device = _rig[name];
        await using var port = LocalPortClient.Open(device.LocalPortPath);
        var cells = (await port.ReadCredentialsAsync(ct)).ToDictionary(c => c.Name, c => c.Value);
        Assert.Multiple(() =>
        {
            Assert.That(cells["accessControlBroker/digitalSignature"], Is.EqualTo(new Octets(_gateway.Certificate.RawData)));
            Assert.That(cells[CredentialCells.DeviceCertificate], Is.EqualTo(new Octets(device.Certificate.RawData)));
        });
    }

    [TestCaseSource(nameof(DeviceNames))]
    [CancelAfter(10_000)]
    public async Task Line_noise_is_dropped_and_counted_and_the_device_still_answers(string name, CancellationToken ct)
    {
        var device = _rig[name];
        await using var serial = SerialPort.Open(device.LocalPortPath, new SerialSettings());
        await serial.WriteAsync(new byte[] { 0x7E, 0x01, 0x02, 0x03, 0x04, 0x7E, 0x55, 0x7E }, ct);
        await using var port = new LocalPortClient(serial, ownsPort: false);
        var state = await port.ReadStateAsync(ct);
        Assert.That(state.LinkStatistics, Does.Match(@"local port: accepted \d+, dropped [1-9]"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Two_runs_cannot_open_the_same_local_port(CancellationToken ct)
    {
        await using var first = LocalPortClient.Open(_rig["esme"].LocalPortPath);
        var e = Assert.Throws<SerialPortException>(() => LocalPortClient.Open(_rig["esme"].LocalPortPath))!;
        Assert.That(e.Error, Is.EqualTo(SerialError.Busy));
        Assert.That((await first.ReadIdentityAsync(ct)).DeviceId, Is.EqualTo(TestRigs.Esme));
    }
}
