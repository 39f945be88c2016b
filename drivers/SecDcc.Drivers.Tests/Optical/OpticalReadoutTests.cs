using System.Text;
using SecDcc.Drivers.Optical;
using SecDcc.Drivers.Serial;
using SecDcc.Drivers.Tests.Serial;

namespace SecDcc.Drivers.Tests.Optical;

/// <summary>
/// Mode C readout through the real serial driver: the reader on the slave end of a pseudo-terminal, the
/// emulated meter (or a scripted one that misbehaves) on the master end.
/// </summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class OpticalReadoutTests
{
    private static readonly OpticalMeterIdentity Identity = new("SDc", '5', "ESME-EM1 v2", "EM1-ESME", "2.4.1", "SDC0000123");

    private PseudoTerminal _wire = null!;
    private SerialPort _probe = null!;

    [SetUp]
    public void Wire()
    {
        _wire = TermiosLayoutTests.PtyOrIgnore();
        _probe = SerialPort.Open(_wire.SlavePath, new SerialSettings());
    }

    [TearDown]
    public void Unwire()
    {
        _probe?.Dispose();
        _wire?.Dispose();
    }

    [Test]
    public async Task A_full_readout_signs_on_at_300_switches_to_the_offered_rate_and_reads_every_data_set(CancellationToken ct)
    {
        await using var meter = OpticalPortEmulator.Start(_wire.Master, Identity, [new DataSet("1.8.0", "001234.567", "kWh"), new DataSet("0.9.1", "134502")]);

        var readout = await new OpticalReader(_probe).ReadAsync(cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(readout.Identification.ToString(), Is.EqualTo("/SDc5ESME-EM1 v2"));
            Assert.That(readout.Identification.FastReaction, Is.True);
            Assert.That(readout.BaudRate, Is.EqualTo(9600));
            Assert.That(meter.SignOnBaudRates, Is.EqualTo(new[] { 300 }), "the sign-on and identification went at 300 baud");
            Assert.That(meter.DataBaudRates, Is.EqualTo(new[] { 9600 }), "the harness had switched before the block came");
            Assert.That(_probe.Settings.BaudRate, Is.EqualTo(9600));
            Assert.That((_probe.Settings.DataBits, _probe.Settings.Parity), Is.EqualTo((7, Parity.Even)), "7E1 throughout");
            Assert.That(readout.DataSets.Select(d => d.ToString()), Is.EqualTo(new[]
            {
                "96.1.0(SDC0000123)", "96.1.1(EM1-ESME)", "0.2.0(2.4.1)", "1.8.0(001234.567*kWh)", "0.9.1(134502)",
            }));
            Assert.That(readout.Get(OpticalMeterIdentity.FirmwareAddress).Value, Is.EqualTo("2.4.1"));
            Assert.That(readout.Block, Is.EqualTo(meter.DataBlock()), "the block is kept as received, for evidence");
        });
    }

    [Test]
    public async Task Reading_by_path_opens_the_probe_at_the_sign_on_line_and_re_applies_it_on_a_pseudo_terminal(CancellationToken ct)
    {
        // The path form opens at 7E1 300 baud, then the reader applies the same line again before it signs on:
        // on a pseudo-terminal (which keeps 8 data bits) that second, unchanged setting must not be an error.
        _probe.Dispose();
        await using var meter = OpticalPortEmulator.Start(_wire.Master, Identity, [new DataSet("1.8.0", "001234.567", "kWh")]);

        var readout = await OpticalReader.ReadAsync(_wire.SlavePath, cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(readout.Get("1.8.0").Value, Is.EqualTo("001234.567"));
            Assert.That(meter.SignOnBaudRates, Is.EqualTo(new[] { 300 }));
            Assert.That(meter.DataBaudRates, Is.EqualTo(new[] { 9600 }));
        });
    }

    [Test]
    public async Task The_reader_asks_for_a_slower_rate_when_the_probe_cannot_go_as_fast(CancellationToken ct)
    {
        await using var meter = OpticalPortEmulator.Start(_wire.Master, Identity with { BaudCharacter = '6' });

        var readout = await new OpticalReader(_probe, new OpticalReaderOptions { MaxBaudRate = 4800 }).ReadAsync(cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(readout.BaudRate, Is.EqualTo(4800));
            Assert.That(meter.DataBaudRates, Is.EqualTo(new[] { 4800 }));
        });
    }

    [Test]
    public async Task Registers_set_by_the_emulated_meter_show_in_the_next_readout(CancellationToken ct)
    {
        await using var meter = OpticalPortEmulator.Start(_wire.Master, Identity, [new DataSet("1.8.0", "000010.000", "kWh")]);
        var reader = new OpticalReader(_probe);

        var first = await reader.ReadAsync(cancellationToken: ct);
        meter.SetRegister("1.8.0", "000011.250", "kWh");
        var second = await reader.ReadAsync(cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That((first.Get("1.8.0").Value, second.Get("1.8.0").Value), Is.EqualTo(("000010.000", "000011.250")));
            Assert.That(meter.SignOnBaudRates, Is.EqualTo(new[] { 300, 300 }), "the second readout went back to 300 baud to sign on");
            Assert.That(meter.Readouts, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_meter_with_an_address_answers_only_to_it(CancellationToken ct)
    {
        await using var meter = OpticalPortEmulator.Start(_wire.Master, Identity, deviceAddress: "12345678");
        var reader = new OpticalReader(_probe, new OpticalReaderOptions { AnswerTimeout = TimeSpan.FromMilliseconds(200) });

        var addressed = await reader.ReadAsync("12345678", ct);
        var other = Assert.ThrowsAsync<OpticalReadoutException>(async () => await reader.ReadAsync("87654321", ct));

        Assert.Multiple(() =>
        {
            Assert.That(addressed.Identification.Identification, Is.EqualTo("ESME-EM1 v2"));
            Assert.That(other!.Error, Is.EqualTo(OpticalError.NoAnswer));
            Assert.That(other.Message, Does.StartWith("no answer to the sign-on '/?87654321!'"));
        });
    }

    [Test]
    public async Task A_garbled_block_is_reported_with_both_bccs_and_the_next_readout_is_clean(CancellationToken ct)
    {
        await using var meter = OpticalPortEmulator.Start(_wire.Master, Identity, [new DataSet("1.8.0", "001234.567", "kWh")]);
        var reader = new OpticalReader(_probe);
        var trueBcc = meter.DataBlock()[^1];
        meter.GarbleNextBlock = true;

        var e = Assert.ThrowsAsync<OpticalReadoutException>(async () => await reader.ReadAsync(cancellationToken: ct));
        var again = await reader.ReadAsync(cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(OpticalError.Garbled));
            Assert.That(e.Message, Does.Match($"^garbled data block: BCC was 0x{trueBcc:X2}, computed 0x(?!{trueBcc:X2})[0-9A-F]{{2}} \\("));
            Assert.That(e.Message, Does.Contain($"at 9600 baud on {_wire.SlavePath}"));
            Assert.That(again.Get("1.8.0").Value, Is.EqualTo("001234.567"));
        });
    }

    [Test]
    public void Silence_is_reported_as_no_answer_naming_the_port_and_the_rate(CancellationToken ct)
    {
        var reader = new OpticalReader(_probe, new OpticalReaderOptions { AnswerTimeout = TimeSpan.FromMilliseconds(200) });

        var e = Assert.ThrowsAsync<OpticalReadoutException>(async () => await reader.ReadAsync(cancellationToken: ct));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(OpticalError.NoAnswer));
            Assert.That(e.Port, Is.EqualTo(_wire.SlavePath));
            Assert.That(e.Message, Does.StartWith($"no answer to the sign-on '/?!' on {_wire.SlavePath} at 300 baud 7E1 within 0.2 s:"));
            Assert.That(e.Message, Does.Contain("optical probe").And.Contain("a rig fault, not a verdict on the meter"));
        });
    }

    [Test]
    public async Task The_sign_on_is_sent_as_the_standard_writes_it(CancellationToken ct)
    {
        var reader = new OpticalReader(_probe, new OpticalReaderOptions { AnswerTimeout = TimeSpan.FromMilliseconds(100) });

        Assert.ThrowsAsync<OpticalReadoutException>(async () => await reader.ReadAsync("ABC 1", ct));
        var sent = await ReadAvailableAsync(_wire.Master, ct);

        Assert.That(sent, Is.EqualTo("/?ABC 1!\r\n"));
    }

    [Test]
    public async Task A_meter_that_stops_mid_block_times_out_with_what_came(CancellationToken ct)
    {
        var meter = ScriptedMeterAsync("/SDC5HALF\r\n", "\u000296.1.0(SDC0000123)\r\n1.8.0(0012", ct);
        var reader = new OpticalReader(_probe, new OpticalReaderOptions { CharacterTimeout = TimeSpan.FromMilliseconds(200) });

        var e = Assert.ThrowsAsync<OpticalReadoutException>(async () => await reader.ReadAsync(cancellationToken: ct));
        await meter;

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(OpticalError.TimedOutMidBlock));
            Assert.That(e.Message, Does.StartWith($"the data block on {_wire.SlavePath} at 9600 baud stopped after 31 bytes with no byte for 0.2 s and no ETX"));
            Assert.That(e.Message, Does.EndWith("1.8.0(0012'"));
        });
    }

    [Test]
    public async Task An_answer_that_is_not_an_identification_is_reported_quoted(CancellationToken ct)
    {
        var meter = ScriptedMeterAsync("ERROR 42\r\n", null, ct);

        var e = Assert.ThrowsAsync<OpticalReadoutException>(async () => await new OpticalReader(_probe).ReadAsync(cancellationToken: ct));
        await meter;

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(OpticalError.MalformedIdentification));
            Assert.That(e.Message, Does.Contain("answered the sign-on '/?!' with a malformed identification message 'ERROR 42\\r\\n': it must start with '/'"));
        });
    }

    [Test]
    public async Task A_mode_b_meter_is_refused_by_name(CancellationToken ct)
    {
        var meter = ScriptedMeterAsync("/LGZE ZMD3104407.B32\r\n", null, ct);

        var e = Assert.ThrowsAsync<OpticalReadoutException>(async () => await new OpticalReader(_probe).ReadAsync(cancellationToken: ct));
        await meter;

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(OpticalError.UnsupportedMode));
            Assert.That(e.Message, Does.Contain("offers mode B (9600 baud, character 'E'); this reader speaks mode C only"));
        });
    }

    [Test]
    public async Task A_probe_that_hears_its_own_request_is_tolerated(CancellationToken ct)
    {
        var block = Block("1.8.0(7*kWh)\r\n!\r\n");
        var meter = ScriptedMeterAsync("/?!\r\n/SDC5ECHO\r\n", Encoding.Latin1.GetString(block), ct);

        var readout = await new OpticalReader(_probe).ReadAsync(cancellationToken: ct);
        await meter;

        Assert.That(readout.Get("1.8.0").Value, Is.EqualTo("7"));
    }

    [Test]
    public async Task A_block_with_a_good_bcc_and_a_bad_line_is_malformed_data(CancellationToken ct)
    {
        var meter = ScriptedMeterAsync("/SDC5BAD\r\n", Encoding.Latin1.GetString(Block("1.8.0(7*kWh\r\n!\r\n")), ct);

        var e = Assert.ThrowsAsync<OpticalReadoutException>(async () => await new OpticalReader(_probe).ReadAsync(cancellationToken: ct));
        await meter;

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(OpticalError.MalformedData));
            Assert.That(e.Message, Does.Contain("passed its BCC but holds a malformed data line 1 '1.8.0(7*kWh': the bracket opened at column 6 is not closed"));
        });
    }

    private static byte[] Block(string body)
    {
        var bytes = new List<byte> { Iec62056.Stx };
        bytes.AddRange(Encoding.ASCII.GetBytes(body));
        bytes.Add(Iec62056.Etx);
        bytes.Add(Iec62056.Bcc(bytes.Skip(1).ToArray()));
        return [.. bytes];
    }

    /// <summary>A meter that answers the sign-on with <paramref name="identification"/> and the acknowledgement with <paramref name="afterAck"/>.</summary>
    private Task ScriptedMeterAsync(string identification, string? afterAck, CancellationToken ct) => Task.Run(
        async () =>
        {
            await ReadLineAsync(_wire.Master, ct);
            await _wire.Master.WriteAsync(Encoding.Latin1.GetBytes(identification), ct);
            if (afterAck is not null)
            {
                var ack = await ReadLineAsync(_wire.Master, ct);
                Assert.That(ack[0], Is.EqualTo(Iec62056.Ack), "the reader acknowledged");
                await _wire.Master.WriteAsync(Encoding.Latin1.GetBytes(afterAck), ct);
            }
        },
        ct);

    private static async Task<byte[]> ReadLineAsync(ISerialPort port, CancellationToken ct)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (line.Count == 0 || line[^1] != (byte)'\n')
        {
            await port.ReadAsync(one, ct);
            line.Add(one[0]);
        }

        return [.. line];
    }

    private static async Task<string> ReadAvailableAsync(ISerialPort port, CancellationToken ct)
    {
        var line = await ReadLineAsync(port, ct);
        return Encoding.ASCII.GetString(line);
    }
}
