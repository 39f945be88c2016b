using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Gpio.CharacterDevice;
using SecDcc.Drivers.Gpio.Emulation;
using SecDcc.Drivers.Gpio.SerialModule;
using SecDcc.Drivers.Gpio.Simulated;
using SecDcc.Drivers.Serial;
using SecDcc.Drivers.Tests.Serial;

namespace SecDcc.Drivers.Tests.Gpio;

/// <summary>
/// A controller over one backend, plus the "other side" of two wires: what the device sees on
/// <see cref="OutputLine"/>, and a level the device drives onto <see cref="InputLine"/>.
/// </summary>
public interface IGpioTestRig : IAsyncDisposable
{
    GpioController Controller { get; }

    /// <summary>A line the harness may drive (a relay, or a GPIO wired back to the rig).</summary>
    int OutputLine { get; }

    /// <summary>A line with edge detection that the rig can drive from outside.</summary>
    int InputLine { get; }

    ValueTask DriveInputAsync(GpioLevel level, CancellationToken cancellationToken);

    /// <summary>The level the device sees on <see cref="OutputLine"/> right now.</summary>
    ValueTask<GpioLevel> ObserveOutputAsync(CancellationToken cancellationToken);
}

/// <summary>Over a <see cref="SimulatedGpioBank"/>: the emulator's side is the bank itself.</summary>
internal sealed class SimulatedRig : IGpioTestRig
{
    public SimulatedRig(TimeProvider? time = null)
    {
        Bank = new SimulatedGpioBank("bench", ["esme-power", "esme-button", "esme-pulse", string.Empty], time);
        Controller = new GpioController(Bank, ownsBackend: false);
    }

    public SimulatedGpioBank Bank { get; }

    public GpioController Controller { get; }

    public int OutputLine => 0;

    public int InputLine => 2;

    public ValueTask DriveInputAsync(GpioLevel level, CancellationToken cancellationToken)
    {
        Bank.DriveInput(InputLine, level);
        return ValueTask.CompletedTask;
    }

    public ValueTask<GpioLevel> ObserveOutputAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Bank.GetOutput(OutputLine));

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Bank.DisposeAsync();
    }
}

/// <summary>
/// Over a <see cref="SerialGpioModule"/> on the slave end of a pseudo-terminal, with an
/// <see cref="EmulatedGpioModule"/> on the master end: the real serial driver carries every command.
/// </summary>
internal sealed class SerialModuleRig : IGpioTestRig
{
    public const int Relays = 4;
    public const int Gpios = 4;
    private const int InputChannel = 2;

    private SerialModuleRig(PseudoTerminal wire, EmulatedGpioModule module, GpioController controller)
    {
        Wire = wire;
        Module = module;
        Controller = controller;
    }

    public PseudoTerminal Wire { get; }

    public EmulatedGpioModule Module { get; }

    public GpioController Controller { get; }

    public SerialGpioModule Backend => (SerialGpioModule)Controller.Backend;

    /// <summary>relay1.</summary>
    public int OutputLine => 1;

    /// <summary>gpio2, after the four relays.</summary>
    public int InputLine => Relays + InputChannel;

    public static async Task<SerialModuleRig> CreateAsync(EmulatedGpioModuleOptions? moduleOptions = null, TimeSpan? pollInterval = null)
    {
        var wire = TermiosLayoutTests.PtyOrIgnore();
        var module = EmulatedGpioModule.Start(wire.Master, (moduleOptions ?? new EmulatedGpioModuleOptions()) with { Relays = Relays, Gpios = Gpios });
        var backend = await SerialGpioModule.OpenAsync(wire.SlavePath, new SerialGpioModuleOptions
        {
            Relays = Relays,
            Gpios = Gpios,
            PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(2),
            AnswerTimeout = TimeSpan.FromSeconds(5),
        });
        return new SerialModuleRig(wire, module, new GpioController(backend));
    }

    public ValueTask DriveInputAsync(GpioLevel level, CancellationToken cancellationToken)
    {
        Module.DriveInput(InputChannel, level);
        return ValueTask.CompletedTask;
    }

    public ValueTask<GpioLevel> ObserveOutputAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Module.IsRelayOn(OutputLine) ? GpioLevel.High : GpioLevel.Low);

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Module.DisposeAsync();
        await Wire.DisposeAsync();
    }
}

/// <summary>
/// Over a real GPIO chip with two loopback wires, named by SECDCC_GPIO_LOOPBACK=/dev/gpiochip0:17-27:22-23:
/// the harness drives 17 and the rig reads 27; the rig drives 22 and the harness reads 23.
/// </summary>
internal sealed class ChipLoopbackRig : IGpioTestRig
{
    public const string Variable = "SECDCC_GPIO_LOOPBACK";

    private readonly GpioController _rigSide;
    private readonly int _observe;
    private readonly int _drive;

    private ChipLoopbackRig(GpioController controller, GpioController rigSide, int output, int observe, int drive, int input)
    {
        Controller = controller;
        _rigSide = rigSide;
        OutputLine = output;
        _observe = observe;
        _drive = drive;
        InputLine = input;
    }

    public GpioController Controller { get; }

    public int OutputLine { get; }

    public int InputLine { get; }

    public static async Task<ChipLoopbackRig> CreateOrIgnoreAsync()
    {
        var chips = GpioChipBackend.FindChips();
        if (chips.Count == 0)
        {
            Assert.Ignore("no /dev/gpiochip* on this machine: the kernel has no GPIO support; the character-device backend is covered here only by its layout, ioctl-number and encoding tests");
        }

        var spec = Environment.GetEnvironmentVariable(Variable);
        var parts = spec?.Split(':') ?? [];
        if (parts.Length != 3 || !TryPair(parts[1], out var output, out var observe) || !TryPair(parts[2], out var drive, out var input))
        {
            Assert.Ignore($"this machine has {string.Join(", ", chips)}, but no loopback wiring is declared: set {Variable}=/dev/gpiochip0:OUT-IN:DRIVE-IN (two pairs of wired lines; see the Gpio tests README)");
            throw new InvalidOperationException("unreachable");
        }

        var controller = new GpioController(GpioChipBackend.Open(parts[0]));
        var rigSide = new GpioController(GpioChipBackend.Open(parts[0]));
        await rigSide.OpenAsync(observe, GpioDirection.Input, new GpioOpenOptions { Label = "loopback observer" });
        await rigSide.OpenAsync(drive, GpioDirection.Output, new GpioOpenOptions { Label = "loopback driver" });
        return new ChipLoopbackRig(controller, rigSide, output, observe, drive, input);
    }

    public ValueTask DriveInputAsync(GpioLevel level, CancellationToken cancellationToken) => _rigSide.WriteAsync(_drive, level, cancellationToken);

    public ValueTask<GpioLevel> ObserveOutputAsync(CancellationToken cancellationToken) => _rigSide.ReadAsync(_observe, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await _rigSide.DisposeAsync();
    }

    private static bool TryPair(string text, out int a, out int b)
    {
        var p = text.Split('-');
        a = b = -1;
        return p.Length == 2 && int.TryParse(p[0], out a) && int.TryParse(p[1], out b);
    }
}
