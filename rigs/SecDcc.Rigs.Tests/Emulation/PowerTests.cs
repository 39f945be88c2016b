using SecDcc.Drivers.Tests.Fakes;
using System.Text.Json;
using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Emulation.State;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>A relay in an emulated device's supply: what a cut stops, what it keeps, and that the state file is never half written.</summary>
public sealed class PowerTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Test]
    [CancelAfter(30_000)]
    public async Task A_cut_through_the_relay_stops_the_device_and_closing_it_restarts_the_device_from_its_state_file(CancellationToken ct)
    {
        await using var connected = await ConnectedRig.StartAsync((state, wan) => WithBench(Small(state, wan: wan)), ct);
        var rig = connected.Rig;
        await ConnectedRig.SucceedsAsync(connected.Session, Chf, id => new UpdateHanDeviceLog(id, HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty), ct);
        // The hub must hear the meter on the HAN before a Command to it can be relayed.
        await connected.Events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Esme, Within, "the HAN alert for the ESME");
        await ConnectedRig.SucceedsAsync(connected.Session, Esme, id => new CommissionDevice(id), ct);
        await using var bench = new BenchHardware(rig.Definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
        var power = await bench.PowerAsync("esme", ct);
        await using var port = new LocalPortClient(SerialPort.Open(rig["esme"].LocalPortPath, new SerialSettings()), ownsPort: true, TimeSpan.FromMilliseconds(300));

        await power.OffAsync(ct);
        await Eventually.GetAsync(_ => Task.FromResult(rig["esme"].IsPoweredOn), on => !on, Within, "the ESME going down with its relay open");
        Assert.That(async () => await port.ReadIdentityAsync(ct), Throws.TypeOf<TimeoutException>(), "a device without power does not answer on its local port");

        await power.OnAsync(ct);
        var state = await Eventually.GetAsync(port.ReadStateAsync, s => s.PowerUpCount == 2, Within, "the ESME answering again after its second power-up");
        Assert.Multiple(() =>
        {
            Assert.That(state.Commissioned, Is.True, "the commissioned flag is non-volatile");
            Assert.That(rig.SimulatedBanks["bench"].GetOutput("esme-power"), Is.EqualTo(GpioLevel.High), "the relay is closed");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Cutting_the_hubs_power_closes_its_wan_and_takes_the_gpf_down_with_it(CancellationToken ct)
    {
        await using var connected = await ConnectedRig.StartAsync((state, wan) => WithBench(Small(state, wan: wan)), ct);
        var rig = connected.Rig;
        await using var bench = new BenchHardware(rig.Definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
        var power = await bench.PowerAsync("chf", ct);
        Assert.That(await bench.PowerAsync("gpf", ct), Is.SameAs(power), "the GPF is on the CHF's relay");

        await power.OffAsync(ct);
        var ended = await connected.Events.WaitForAsync<SessionEndedEvent>(null, Within, "the gateway session ending as the hub loses power");
        Assert.Multiple(() =>
        {
            Assert.That(rig["chf"].IsPoweredOn, Is.False);
            Assert.That(rig["gpf"].IsPoweredOn, Is.False);
            Assert.That(rig["esme"].IsPoweredOn, Is.True, "the meter has its own supply");
            Assert.That(ended.Reason, Is.Not.Empty);
        });

        await power.OnAsync(ct);
        var second = await connected.Gateway.AcceptAsync(connected.Directory, TimeSpan.FromSeconds(5), Within);
        var reconnected = await new EventRecorder(second).WaitForAsync<HubConnectedEvent>(null, Within, "the hub's 'connected' communication after power returns");
        Assert.That(reconnected.Alert.PowerUpCount, Is.EqualTo(2UL));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_relay_nobody_has_claimed_leaves_the_device_powered_and_claiming_it_switches_nothing(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var rig = await EmulatedRig.StartAsync(WithBench(Small(folder.Path)), new EmulatorOptions(), ct);
        Assert.That(rig.Devices.Where(d => !d.IsPoweredOn).Select(d => d.Name), Is.Empty, "the bench's supply is on before the harness takes the relays");

        await using var bench = new BenchHardware(rig.Definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
        foreach (var device in rig.Devices)
        {
            await bench.PowerAsync(device.Name, ct);
        }

        await using var port = LocalPortClient.Open(rig["esme"].LocalPortPath);
        Assert.That((await port.ReadStateAsync(ct)).PowerUpCount, Is.EqualTo(1UL), "claiming the relays closed did not cycle anything");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Cuts_while_the_device_writes_its_state_never_leave_a_file_a_reader_cannot_read(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var rig = await EmulatedRig.StartAsync(WithBench(Small(folder.Path)), new EmulatorOptions(), ct);
        await using var bench = new BenchHardware(rig.Definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
        var power = await bench.PowerAsync("esme", ct);
        var meter = rig.Meter("esme");
        var path = meter.StatePath;

        // A reader racing the writes sees the old file or the new one, never a part of one; each power-up and
        // each cut (the meter's register) writes the whole file again.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reads = 0;
        var reader = Task.Run(
            async () =>
            {
                ulong last = 0;
                while (!stop.IsCancellationRequested)
                {
                    var text = await File.ReadAllTextAsync(path, CancellationToken.None);
                    var state = JsonSerializer.Deserialize<NonVolatileState>(text, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                        ?? throw new InvalidDataException("the state file read as null");
                    Assert.That(state.PowerUpCount, Is.GreaterThanOrEqualTo(last), "the power-up count went backwards");
                    last = state.PowerUpCount;
                    reads++;
                }
            },
            CancellationToken.None);

        meter.SetLoad(3_600_000);
        for (var cycle = 0; cycle < 25; cycle++)
        {
            await power.OffAsync(ct);
            await Eventually.GetAsync(_ => Task.FromResult(meter.IsPoweredOn), on => !on, Within, $"cut {cycle + 1} taking effect");
            await power.OnAsync(ct);
            await Eventually.GetAsync(_ => Task.FromResult(meter.IsPoweredOn), on => on, Within, $"power {cycle + 1} returning");
        }

        meter.SetLoad(0);
        await stop.CancelAsync();
        await reader;
        var final = new StateFile(path).Load()!;
        Assert.Multiple(() =>
        {
            Assert.That(reads, Is.GreaterThan(0));
            Assert.That(final.PowerUpCount, Is.EqualTo(26UL));
            Assert.That(final.EnergyWh, Is.GreaterThan(0m), "the register is kept across the cuts");
            Assert.That(new StateFile(path).InterruptedWrites(), Is.Empty);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_write_cut_short_leaves_the_previous_state_which_the_device_starts_from(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        var definition = WithBench(Small(folder.Path));
        await (await EmulatedRig.StartAsync(definition, new EmulatorOptions(), ct)).DisposeAsync();
        var path = Directory.GetFiles(folder.Path, "esme-*.json").Single();
        var whole = await File.ReadAllTextAsync(path, ct);

        // What a cut during AtomicFile's write leaves: a part-written temporary file beside the untouched state file.
        var leftover = Path.Combine(folder.Path, $".{Path.GetFileName(path)}.4242.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(leftover, whole[..(whole.Length / 2)], ct);

        await using var rig = await EmulatedRig.StartAsync(definition, new EmulatorOptions(), ct);
        await using var port = LocalPortClient.Open(rig["esme"].LocalPortPath);
        Assert.Multiple(async () =>
        {
            Assert.That((await port.ReadStateAsync(ct)).PowerUpCount, Is.EqualTo(2UL), "started from the state file the cut left whole");
            Assert.That(File.Exists(leftover), Is.False, "the interrupted write is cleared at power-up");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task The_meters_register_is_kept_across_a_cut_and_grows_only_while_powered(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        var clock = new ManualTimeProvider();
        await using var rig = await EmulatedRig.StartAsync(WithBench(Small(folder.Path)), new EmulatorOptions { Clock = clock }, ct);
        var meter = rig.Meter("esme");
        meter.SetLoad(3600);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.That(meter.EnergyWh, Is.EqualTo(30m), "3.6 kW for 30 s is 30 Wh");

        await rig.PowerOffAsync("esme");
        clock.Advance(TimeSpan.FromSeconds(30));
        await rig.PowerOnAsync("esme", ct);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(meter.EnergyWh, Is.EqualTo(40m), "kept through the cut, and nothing measured without power");
    }
}
