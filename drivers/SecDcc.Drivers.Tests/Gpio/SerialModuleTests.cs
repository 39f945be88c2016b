using System.Text;
using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Gpio.Emulation;
using SecDcc.Drivers.Gpio.SerialModule;
using SecDcc.Drivers.Serial;
using SecDcc.Drivers.Tests.Serial;

namespace SecDcc.Drivers.Tests.Gpio;

/// <summary>The Numato-style dialect: parsing what modules send, and the backend's behaviour when a module misbehaves.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class SerialModuleTests
{
    [TestCase("gpio read 3\n\r1\n\r>", "1")]
    [TestCase("gpio read 3\r\n1\r\n>", "1")]
    [TestCase("1\n\r>", "1")]
    [TestCase("\n\r1\n\r>", "1")]
    [TestCase(">gpio read 3\n\r1\n\r>", "1")]
    [TestCase(">\n\r>gpio read 3\n\r1\n\r> ", "1")]
    [TestCase("GPIO READ 3\n1\n>", "1")]
    public void The_answer_is_found_with_or_without_echo_and_with_any_line_breaks(string received, string answer)
    {
        var lines = ModuleDialect.AnswerLines("gpio read 3", Encoding.ASCII.GetBytes(received));

        Assert.That(lines, Is.EqualTo(new[] { answer }));
    }

    [TestCase("relay on 0\n\r>")]
    [TestCase("relay on 0\r\n>")]
    [TestCase(">")]
    public void A_command_without_an_answer_gives_no_lines(string received) =>
        Assert.That(ModuleDialect.AnswerLines("relay on 0", Encoding.ASCII.GetBytes(received)), Is.Empty);

    [TestCase("gpio read 3\n\r1\n\r>", true)]
    [TestCase("gpio read 3\n\r1\n\r>\r\n", true)]
    [TestCase("gpio read 3\n\r1\n\r", false)]
    [TestCase("", false)]
    public void The_prompt_ends_an_answer(string received, bool ended) =>
        Assert.That(ModuleDialect.EndsWithPrompt(Encoding.ASCII.GetBytes(received)), Is.EqualTo(ended));

    [TestCase(0, "0")]
    [TestCase(9, "9")]
    [TestCase(10, "A")]
    [TestCase(31, "V")]
    public void Channels_past_nine_are_letters(int channel, string written)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ModuleDialect.Channel(channel), Is.EqualTo(written));
            Assert.That(ModuleDialect.TryParseChannel(written.ToLowerInvariant(), out var back) ? back : -1, Is.EqualTo(channel));
            Assert.That(ModuleDialect.RelayOn(channel), Is.EqualTo($"relay on {written}"));
        });
    }

    [Test]
    public void Channel_32_does_not_exist() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ModuleDialect.Channel(32));

    [Test]
    public async Task A_module_without_echo_and_with_cr_lf_line_breaks_works_the_same(CancellationToken ct)
    {
        await using var rig = await SerialModuleRig.CreateAsync(new EmulatedGpioModuleOptions { Echo = false, LineBreak = "\r\n" });
        await rig.Controller.OpenAsync(rig.OutputLine, GpioDirection.Output, cancellationToken: ct);
        await rig.Controller.OpenAsync(rig.InputLine, GpioDirection.Input, cancellationToken: ct);

        await rig.Controller.WriteAsync(rig.OutputLine, GpioLevel.High, ct);
        await rig.DriveInputAsync(GpioLevel.High, ct);

        Assert.Multiple(async () =>
        {
            Assert.That(rig.Module.IsRelayOn(rig.OutputLine), Is.True);
            Assert.That(await rig.Controller.ReadAsync(rig.InputLine, ct), Is.EqualTo(GpioLevel.High));
        });
    }

    [Test]
    public async Task The_module_version_is_asked_and_every_command_is_in_the_dialect(CancellationToken ct)
    {
        await using var rig = await SerialModuleRig.CreateAsync();
        await rig.Controller.OpenAsync("relay3", GpioDirection.Output, new GpioOpenOptions { InitialLevel = GpioLevel.High }, ct);
        await rig.Controller.OpenAsync("gpio1", GpioDirection.Output, cancellationToken: ct);
        var gpio1 = rig.Controller.ResolveLine("gpio1");
        await rig.Controller.WriteAsync(gpio1, GpioLevel.High, ct);

        Assert.Multiple(() =>
        {
            Assert.That(rig.Backend.Version, Is.EqualTo("00000008"));
            Assert.That(rig.Module.Commands, Is.EqualTo(new[] { "ver", "relay on 3", "gpio clear 1", "gpio set 1" }));
            Assert.That(rig.Module.GpioOutput(1), Is.EqualTo(GpioLevel.High));
        });
    }

    [Test]
    public async Task Reading_an_output_does_not_send_gpio_read_which_would_turn_it_into_an_input(CancellationToken ct)
    {
        await using var rig = await SerialModuleRig.CreateAsync();
        var gpio0 = await rig.Controller.OpenAsync("gpio0", GpioDirection.Output, new GpioOpenOptions { InitialLevel = GpioLevel.High }, ct);

        var level = await rig.Controller.ReadAsync(gpio0, ct);

        Assert.Multiple(() =>
        {
            Assert.That(level, Is.EqualTo(GpioLevel.High));
            Assert.That(rig.Module.Commands, Has.None.StartsWith("gpio read"));
            Assert.That(rig.Module.GpioOutput(0), Is.EqualTo(GpioLevel.High), "still an output");
        });
    }

    [Test]
    public async Task A_relay_line_refuses_to_be_opened_as_an_input(CancellationToken ct)
    {
        await using var rig = await SerialModuleRig.CreateAsync();

        var e = Assert.ThrowsAsync<ArgumentException>(async () => await rig.Controller.OpenAsync("relay0", GpioDirection.Input, cancellationToken: ct));

        Assert.That(e!.Message, Is.EqualTo($"cannot open line 0 (relay0) as an input: serial GPIO/relay module on {rig.Wire.SlavePath} can only use it as an output"));
    }

    [Test]
    public async Task A_silent_module_is_reported_with_the_port_and_the_dialect(CancellationToken ct)
    {
        using var wire = TermiosLayoutTests.PtyOrIgnore();

        var e = Assert.ThrowsAsync<GpioException>(async () =>
            await SerialGpioModule.OpenAsync(wire.SlavePath, new SerialGpioModuleOptions { AnswerTimeout = TimeSpan.FromMilliseconds(200) }, ct));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(GpioError.ModuleNotResponding));
            Assert.That(e.Message, Does.StartWith($"serial GPIO/relay module on {wire.SlavePath} did not answer '(empty line)' within 200 ms: nothing came back"));
            Assert.That(e.Message, Does.Contain("Numato-style dialect"));
        });
    }

    [Test]
    public async Task An_answer_outside_the_dialect_is_a_protocol_error_that_quotes_it(CancellationToken ct)
    {
        using var wire = TermiosLayoutTests.PtyOrIgnore();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var script = new Dictionary<string, string>
        {
            [""] = "\n\r>",
            ["ver"] = "ver\n\r00000008\n\r>",
            ["relay off 0"] = "relay off 0\n\r>",
            ["relay read 0"] = "relay read 0\n\rmaybe\n\r>",
            ["relay on 0"] = "relay on 0\n\rError: relay busy\n\r>",
        };
        var answering = AnswerAsync(wire.Master, script, stop.Token);
        await using var controller = new GpioController(await SerialGpioModule.OpenAsync(wire.SlavePath, new SerialGpioModuleOptions { Relays = 1 }, ct));
        await controller.OpenAsync(0, GpioDirection.Output, cancellationToken: ct);

        var read = Assert.ThrowsAsync<GpioException>(async () => await controller.ReadAsync(0, ct));
        var write = Assert.ThrowsAsync<GpioException>(async () => await controller.WriteAsync(0, GpioLevel.High, ct));
        await stop.CancelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(read!.Error, Is.EqualTo(GpioError.ProtocolError));
            Assert.That(read.Message, Is.EqualTo($"serial GPIO/relay module on {wire.SlavePath} answered 'relay read 0' with 'maybe'; the dialect says 'on' or 'off'"));
            Assert.That(write!.Error, Is.EqualTo(GpioError.ProtocolError));
            Assert.That(write.Message, Does.Contain("answered 'relay on 0' with 'Error: relay busy', where the dialect gives no answer"));
        });
        Assert.That(async () => await answering, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_relay_is_read_back_from_the_module(CancellationToken ct)
    {
        await using var rig = await SerialModuleRig.CreateAsync();
        await rig.Controller.OpenAsync(rig.OutputLine, GpioDirection.Output, new GpioOpenOptions { InitialLevel = GpioLevel.High }, ct);

        var level = await rig.Controller.ReadAsync(rig.OutputLine, ct);

        Assert.Multiple(() =>
        {
            Assert.That(level, Is.EqualTo(GpioLevel.High));
            Assert.That(rig.Module.Commands, Does.Contain($"relay read {rig.OutputLine}"));
        });
    }

    [Test]
    public async Task A_module_that_goes_away_while_polled_faults_the_watchers(CancellationToken ct)
    {
        var rig = await SerialModuleRig.CreateAsync();
        try
        {
            await rig.Controller.OpenAsync(rig.InputLine, GpioDirection.Input, new GpioOpenOptions { Label = "pulse input 'esme'", Edges = GpioEdges.Both }, ct);
            using var watcher = rig.Controller.Watch(rig.InputLine);

            await rig.Module.DisposeAsync();
            await rig.Wire.DisposeAsync();
            var e = Assert.ThrowsAsync<GpioException>(async () => await watcher.NextAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct));

            Assert.Multiple(() =>
            {
                Assert.That(e!.Message, Does.StartWith($"line {rig.InputLine} (pulse input 'esme'): polling stopped:"));
                Assert.That(e.Message, Does.Contain($"serial GPIO/relay module on {rig.Wire.SlavePath} went away during 'gpio read 2'"));
                Assert.That(e.Message, Does.EndWith("check its USB cable, then reopen the GPIO backend"));
            });
        }
        finally
        {
            await rig.Controller.Backend.DisposeAsync();
        }
    }

    /// <summary>A scripted module: answers each known command with canned bytes.</summary>
    private static async Task AnswerAsync(ISerialPort master, IReadOnlyDictionary<string, string> script, CancellationToken ct)
    {
        var line = new StringBuilder();
        var buffer = new byte[64];
        while (true)
        {
            // Ends only by cancellation, always as OperationCanceledException: a loop test on the token would let a
            // cancel between two reads end it quietly, and the test asserting how it ended would fail at random.
            ct.ThrowIfCancellationRequested();
            var n = await master.ReadAsync(buffer, ct);
            foreach (var b in buffer[..n])
            {
                if (b != '\r')
                {
                    line.Append((char)b);
                    continue;
                }

                if (script.TryGetValue(line.ToString(), out var reply))
                {
                    await master.WriteAsync(Encoding.ASCII.GetBytes(reply), ct);
                }

                line.Clear();
            }
        }
    }
}
