using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Gpio.Emulation;
using SecDcc.Drivers.Gpio.SerialModule;
using SecDcc.Drivers.Gpio.Simulated;
using SecDcc.Drivers.Tests.Serial;

namespace SecDcc.Drivers.Tests.Gpio;

/// <summary>Rig-file specs, and probing that falls back only when a backend is not there.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class GpioBackendsTests
{
    private const string AbsentChip = "/dev/gpiochip-secdcc-absent";

    [Test]
    public async Task Sim_makes_a_bank_of_64_lines(CancellationToken ct)
    {
        await using var backend = await GpioBackends.OpenAsync("sim", cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(backend, Is.InstanceOf<SimulatedGpioBank>());
            Assert.That(backend.Lines, Has.Count.EqualTo(64));
            Assert.That(backend.Lines[63].Name, Is.EqualTo("gpio63"));
        });
    }

    [Test]
    public async Task Sim_with_a_name_gives_the_bank_the_emulated_rig_registered(CancellationToken ct)
    {
        var bank = new SimulatedGpioBank("relay-board", 8);
        var options = new GpioBackendOptions { SimulatedBanks = new Dictionary<string, SimulatedGpioBank> { ["relay-board"] = bank } };

        var found = await GpioBackends.OpenAsync("sim:relay-board", options, ct);
        var missing = Assert.ThrowsAsync<GpioException>(async () => await GpioBackends.OpenAsync("sim:io-board", options, ct));

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.SameAs(bank));
            Assert.That(missing!.Error, Is.EqualTo(GpioError.NotAvailable));
            Assert.That(missing.Message, Is.EqualTo("GPIO spec 'sim:io-board': no simulated bank named 'io-board'; the emulated rig has relay-board"));
        });
    }

    [Test]
    public void A_missing_chip_is_not_available_and_the_message_says_what_to_use_instead(CancellationToken ct)
    {
        var e = Assert.ThrowsAsync<GpioException>(async () => await GpioBackends.OpenAsync("chardev:" + AbsentChip, cancellationToken: ct));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(GpioError.NotAvailable));
            Assert.That(e.Errno, Is.EqualTo(2));
            Assert.That(e.Message, Does.StartWith($"no GPIO character device {AbsentChip} (open: errno 2 ENOENT, No such file or directory): this kernel has no GPIO support or the chip is absent"));
            Assert.That(e.Message, Does.EndWith("— use a USB serial relay module (serial:/dev/ttyACM0) or the simulated bank (sim)"));
        });
    }

    [Test]
    public void A_device_that_is_not_a_gpio_chip_is_named_as_such(CancellationToken ct)
    {
        var e = Assert.ThrowsAsync<GpioException>(async () => await GpioBackends.OpenAsync("chardev:/dev/null", cancellationToken: ct));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(GpioError.NotAvailable));
            Assert.That(e.Message, Does.StartWith("/dev/null is not a GPIO character device (ioctl GPIO_GET_CHIPINFO: errno 25 ENOTTY"));
        });
    }

    [Test]
    public void A_missing_serial_module_is_not_available(CancellationToken ct)
    {
        var e = Assert.ThrowsAsync<GpioException>(async () => await GpioBackends.OpenAsync("serial:/dev/ttyACM-secdcc-absent", cancellationToken: ct));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(GpioError.NotAvailable));
            Assert.That(e.Message, Does.StartWith("no serial GPIO/relay module at /dev/ttyACM-secdcc-absent: no such serial port"));
        });
    }

    [Test]
    public async Task Probing_falls_back_past_backends_that_are_not_there(CancellationToken ct)
    {
        await using var backend = await GpioBackends.OpenFirstAvailableAsync(["chardev:" + AbsentChip, "serial:/dev/ttyACM-secdcc-absent", "sim"], cancellationToken: ct);

        Assert.That(backend, Is.InstanceOf<SimulatedGpioBank>());
    }

    [Test]
    public void Probing_that_finds_nothing_gives_each_reason(CancellationToken ct)
    {
        var e = Assert.ThrowsAsync<GpioException>(async () => await GpioBackends.OpenFirstAvailableAsync(["chardev:" + AbsentChip, "sim:none"], cancellationToken: ct));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(GpioError.NotAvailable));
            Assert.That(e.Message, Does.StartWith("no GPIO backend is available:"));
            Assert.That(e.Message, Does.Contain($"chardev:{AbsentChip}: no GPIO character device"));
            Assert.That(e.Message, Does.Contain("sim:none: GPIO spec 'sim:none': no simulated bank named 'none'; no emulated rig has registered any"));
        });
    }

    [Test]
    public void Probing_stops_at_a_backend_that_is_there_but_failing(CancellationToken ct)
    {
        using var wire = TermiosLayoutTests.PtyOrIgnore();

        var e = Assert.ThrowsAsync<GpioException>(async () =>
            await GpioBackends.OpenFirstAvailableAsync([$"serial:{wire.SlavePath}?timeout=100ms", "sim"], cancellationToken: ct));

        Assert.That(e!.Error, Is.EqualTo(GpioError.ModuleNotResponding), "a silent module needs fixing, not hiding behind the simulated bank");
    }

    [Test]
    public async Task A_serial_spec_carries_the_module_layout_and_timing(CancellationToken ct)
    {
        using var wire = TermiosLayoutTests.PtyOrIgnore();
        await using var module = EmulatedGpioModule.Start(wire.Master, new EmulatedGpioModuleOptions { Relays = 2, Gpios = 3 });

        await using var backend = await GpioBackends.OpenAsync($"serial:{wire.SlavePath}?relays=2&gpios=3&poll=5ms&timeout=2s&baud=9600", cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(backend, Is.InstanceOf<SerialGpioModule>());
            Assert.That(backend.Lines.Select(l => l.Name), Is.EqualTo(new[] { "relay0", "relay1", "gpio0", "gpio1", "gpio2" }));
            Assert.That(backend.EdgeTiming, Does.StartWith("polled every 5 ms"));
            Assert.That(wire.Master.QueryLineSettings().BaudRate, Is.EqualTo(9600));
        });
    }

    [TestCase("usb:/dev/ttyACM0", "is not one this harness knows")]
    [TestCase("serial:", "names no serial port")]
    [TestCase("serial:/dev/ttyACM0?relay=8", "unknown setting 'relay'")]
    [TestCase("serial:/dev/ttyACM0?poll=fast", "poll=fast is not a duration")]
    [TestCase("serial:/dev/ttyACM0?gpios=-1", "gpios=-1 is not a whole number")]
    [TestCase("chardev:", "names no chip")]
    public void Malformed_specs_say_what_is_wrong(string spec, string says) =>
        Assert.That(async () => await GpioBackends.OpenAsync(spec), Throws.ArgumentException.With.Message.Contains(says));
}
