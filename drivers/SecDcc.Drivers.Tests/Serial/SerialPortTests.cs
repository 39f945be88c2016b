using System.Diagnostics;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Tests.Serial;

/// <summary>The real driver against real pseudo-terminals: the slave end is opened like any serial port.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class SerialPortTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private PseudoTerminal _pty = null!;

    [SetUp]
    public void CreatePair() => _pty = TermiosLayoutTests.PtyOrIgnore();

    [TearDown]
    public void DisposePair() => _pty?.Dispose();

    [Test]
    public void Open_configures_the_line_as_asked()
    {
        var asked = new SerialSettings { BaudRate = 9600, StopBits = StopBits.Two, FlowControl = FlowControl.RtsCts };
        using var port = SerialPort.Open(_pty.SlavePath, asked);

        var seenByDevice = _pty.Master.QueryLineSettings();
        Assert.Multiple(() =>
        {
            Assert.That(port.Settings, Is.EqualTo(asked));
            Assert.That(port.IsPseudoTerminal, Is.True);
            Assert.That(seenByDevice.BaudRate, Is.EqualTo(9600));
            Assert.That(seenByDevice.StopBits, Is.EqualTo(StopBits.Two));
            Assert.That(seenByDevice.FlowControl, Is.EqualTo(FlowControl.RtsCts));
        });
    }

    [TestCaseSource(typeof(SerialSettings), nameof(SerialSettings.SupportedBaudRates))]
    public void Every_standard_rate_is_set_and_read_back(int baud)
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings { BaudRate = baud });

        Assert.That(port.QueryLineSettings().BaudRate, Is.EqualTo(baud));
    }

    [Test]
    public void Reconfigure_changes_the_rate_mid_session_as_iec_62056_21_mode_c_does()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings { BaudRate = 300, DataBits = 7, Parity = Parity.Even });

        port.Configure(port.Settings with { BaudRate = 9600, FlowControl = FlowControl.XonXoff });

        var now = _pty.Master.QueryLineSettings();
        Assert.Multiple(() =>
        {
            Assert.That(now.BaudRate, Is.EqualTo(9600));
            Assert.That(now.FlowControl, Is.EqualTo(FlowControl.XonXoff));
            Assert.That(port.Settings.DataBits, Is.EqualTo(7), "7E1 asked; a pty forces CS8 and the port does not call that a refusal");
        });
    }

    [Test]
    public void Bytes_round_trip_both_ways()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        var toDevice = RandomBytes(100_000, seed: 1);
        var fromDevice = RandomBytes(100_000, seed: 2);

        var sendDown = port.WriteAsync(toDevice).AsTask();
        var sendUp = _pty.Master.WriteAsync(fromDevice).AsTask();
        var readByDevice = ReadExactly(_pty.Master, toDevice.Length);
        var readByHarness = ReadExactly(port, fromDevice.Length);

        Assert.That(Task.WhenAll(sendDown, sendUp, readByDevice, readByHarness).Wait(Deadline), Is.True, "transfer finished in time");
        Assert.Multiple(() =>
        {
            Assert.That(readByDevice.Result, Is.EqualTo(toDevice), "every byte the harness wrote reached the device, in order");
            Assert.That(readByHarness.Result, Is.EqualTo(fromDevice), "every byte the device wrote reached the harness, in order");
        });
    }

    [Test]
    public void Every_byte_value_passes_unchanged_in_raw_mode()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        _pty.Master.WriteAsync(all).AsTask().Wait(Deadline);
        var got = ReadExactly(port, all.Length);

        Assert.That(got.Wait(Deadline), Is.True);
        Assert.That(got.Result, Is.EqualTo(all), "no CR/LF mapping, no XON/XOFF eaten, no 8th bit stripped");
    }

    [Test]
    public async Task Concurrent_writes_are_not_interleaved()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        var a = Enumerable.Repeat((byte)'a', 50_000).ToArray();
        var b = Enumerable.Repeat((byte)'b', 50_000).ToArray();

        var reading = ReadExactly(_pty.Master, a.Length + b.Length);
        await Task.WhenAll(port.WriteAsync(a).AsTask(), port.WriteAsync(b).AsTask()).WaitAsync(Deadline);
        var got = await reading.WaitAsync(Deadline);

        var switches = got.Zip(got.Skip(1)).Count(p => p.First != p.Second);
        Assert.That(switches, Is.EqualTo(1), "one block of a's and one of b's, in either order");
    }

    [Test]
    public void Read_times_out_with_a_message_that_names_the_port()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings { ReadTimeout = TimeSpan.FromMilliseconds(150) });
        var clock = Stopwatch.StartNew();

        var e = Assert.ThrowsAsync<TimeoutException>(async () => await port.ReadAsync(new byte[16]));

        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140)));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(e!.Message, Does.Contain(_pty.SlavePath).And.Contain("150 ms"));
        });
    }

    [Test]
    public async Task A_read_after_a_timeout_still_gets_later_bytes()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings { ReadTimeout = TimeSpan.FromMilliseconds(50) });
        Assert.ThrowsAsync<TimeoutException>(async () => await port.ReadAsync(new byte[16]));

        await _pty.Master.WriteAsync(new byte[] { 42 });
        port.Configure(port.Settings with { ReadTimeout = Deadline });
        var buffer = new byte[16];
        var n = await port.ReadAsync(buffer);

        Assert.That(buffer[..n], Is.EqualTo(new byte[] { 42 }));
    }

    [Test]
    public async Task Cancellation_ends_a_waiting_read_at_once_and_leaves_the_port_usable()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        using var cts = new CancellationTokenSource();
        var reading = port.ReadAsync(new byte[16], cts.Token).AsTask();
        Assert.That(reading.IsCompleted, Is.False, "nothing was sent, so the read waits");

        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        var e = Assert.CatchAsync<OperationCanceledException>(async () => await reading.WaitAsync(Deadline));

        Assert.That(e!.CancellationToken, Is.EqualTo(cts.Token));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));

        await _pty.Master.WriteAsync(new byte[] { 7, 8 });
        var got = await ReadExactly(port, 2).WaitAsync(Deadline);
        Assert.That(got, Is.EqualTo(new byte[] { 7, 8 }), "no byte was lost to the cancelled read");
    }

    [Test]
    public async Task Closing_the_master_hangs_up_a_waiting_read_with_a_clear_error()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        var reading = port.ReadAsync(new byte[16]).AsTask();

        _pty.Dispose();

        var e = Assert.CatchAsync<SerialPortException>(async () => await reading.WaitAsync(Deadline));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(SerialError.HungUp));
            Assert.That(e.Message, Does.Contain(_pty.SlavePath).And.Contain("hung up"));
            Assert.That(port.IsHungUp, Is.True);
        });

        var again = Assert.CatchAsync<SerialPortException>(async () => await port.ReadAsync(new byte[16]).AsTask().WaitAsync(Deadline));
        var write = Assert.CatchAsync<SerialPortException>(async () => await port.WriteAsync(new byte[] { 1 }).AsTask().WaitAsync(Deadline));
        Assert.That(new[] { again!.Error, write!.Error }, Is.All.EqualTo(SerialError.HungUp), "no retry loop after a hang-up");
    }

    [Test]
    public async Task Bytes_sent_before_the_hang_up_are_still_read_first()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        await _pty.Master.WriteAsync(new byte[] { 1, 2, 3 });
        var first = await port.ReadAsync(new byte[1]);
        Assert.That(first, Is.EqualTo(1));

        _pty.Dispose();

        // A hang-up flushes the slave's input, so what is left may be gone; what matters is a clean end.
        var e = Assert.CatchAsync<SerialPortException>(async () => await ReadExactly(port, 1_000).WaitAsync(Deadline));
        Assert.That(e!.Error, Is.EqualTo(SerialError.HungUp));
    }

    [Test]
    public async Task Writing_into_a_full_line_times_out_and_says_how_far_it_got()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings { WriteTimeout = TimeSpan.FromMilliseconds(200) });

        // Nobody reads the master, so the pty's buffer fills and the driver stops taking bytes.
        var e = Assert.ThrowsAsync<TimeoutException>(async () => await port.WriteAsync(new byte[4 << 20]).AsTask().WaitAsync(Deadline));

        Assert.That(e!.Message, Does.Contain(_pty.SlavePath).And.Contain("of 4194304 bytes").And.Contain("took no byte for 200 ms"));
    }

    [Test]
    public async Task Drain_returns_once_the_device_has_the_bytes()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        var reading = ReadExactly(_pty.Master, 10_000);

        await port.WriteAsync(new byte[10_000]);
        await port.DrainAsync().AsTask().WaitAsync(Deadline);

        Assert.That((await reading.WaitAsync(Deadline)).Length, Is.EqualTo(10_000));
    }

    [Test]
    public async Task Discarding_input_throws_away_what_arrived_unread()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        await _pty.Master.WriteAsync(new byte[] { 1, 2, 3, 4 });
        Assert.That(await ReadExactly(port, 1).WaitAsync(Deadline), Is.EqualTo(new byte[] { 1 }), "the bytes have arrived");

        port.Discard(SerialBuffers.Input);
        await _pty.Master.WriteAsync(new byte[] { 9 });

        Assert.That(await ReadExactly(port, 1).WaitAsync(Deadline), Is.EqualTo(new byte[] { 9 }));
    }

    [Test]
    public async Task Disposing_the_port_ends_a_waiting_read()
    {
        var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        var reading = port.ReadAsync(new byte[16]).AsTask();

        port.Dispose();

        Assert.CatchAsync<ObjectDisposedException>(async () => await reading.WaitAsync(Deadline));
        Assert.Throws<ObjectDisposedException>(() => port.Configure(new SerialSettings()));
    }

    [Test]
    public async Task Stream_adapter_reads_writes_and_ends_at_a_hang_up()
    {
        using var port = SerialPort.Open(_pty.SlavePath, new SerialSettings());
        await using var stream = port.AsStream();

        await stream.WriteAsync("ping"u8.ToArray());
        var ping = await ReadExactly(_pty.Master, 4).WaitAsync(Deadline);
        await _pty.Master.WriteAsync("pong"u8.ToArray());
        var pong = new byte[4];
        await stream.ReadExactlyAsync(pong).AsTask().WaitAsync(Deadline);
        _pty.Dispose();
        var end = await stream.ReadAsync(new byte[4]).AsTask().WaitAsync(Deadline);

        Assert.Multiple(() =>
        {
            Assert.That(ping, Is.EqualTo("ping"u8.ToArray()));
            Assert.That(pong, Is.EqualTo("pong"u8.ToArray()));
            Assert.That(end, Is.Zero, "a hang-up reads as end of stream");
            Assert.That(port.IsHungUp, Is.True);
        });
    }

    internal static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    internal static async Task<byte[]> ReadExactly(ISerialPort port, int count)
    {
        var result = new byte[count];
        var got = 0;
        while (got < count)
        {
            got += await port.ReadAsync(result.AsMemory(got));
        }

        return result;
    }
}
