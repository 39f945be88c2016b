using System.Security.Cryptography;
using System.Text;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Tests.Support;

/// <summary>Rig definitions built in code, so each test picks its devices and its quirks.</summary>
public static class TestRigs
{
    public static readonly Eui64 Chf = Eui64.Parse("00-DB-12-34-56-78-00-01");
    public static readonly Eui64 Gpf = Eui64.Parse("00-DB-12-34-56-78-00-02");
    public static readonly Eui64 Esme = Eui64.Parse("00-DB-12-34-56-78-00-03");
    public static readonly Eui64 Gsme = Eui64.Parse("00-DB-12-34-56-78-00-04");
    public static readonly Eui64 Ppmid = Eui64.Parse("00-DB-12-34-56-78-00-05");
    public static readonly Eui64 Ihd = Eui64.Parse("00-DB-12-34-56-78-00-06");

    public static DeviceModelDefinition Model(ModelKind kind, params Quirk[] quirks) => new(
        $"models/test-{kind.ToString().ToLowerInvariant()}.yaml",
        "SecDcc Test",
        $"TEST-{kind}",
        kind,
        kind is ModelKind.IHD or ModelKind.CAD ? string.Empty : "SMETS1",
        "1.0",
        "1.0.0",
        new Octets(SHA256.HashData(Encoding.UTF8.GetBytes($"TEST-{kind} firmware"))),
        new QuirkSet(quirks));

    /// <summary>CHF, GPF, ESME, GSME, PPMID and IHD, all emulated, with the given quirks on the CH and meter models.</summary>
    public static RigDefinition Full(string stateDirectory, Quirk[]? chQuirks = null, Quirk[]? esmeQuirks = null, WanConnection? wan = null)
    {
        var ch = Model(ModelKind.CH, chQuirks ?? []);
        return Rig(
            stateDirectory,
            wan,
            Device("chf", Chf, DeviceType.CHF, ch),
            Device("gpf", Gpf, DeviceType.GPF, ch),
            Device("esme", Esme, DeviceType.ESME, Model(ModelKind.ESME, esmeQuirks ?? [])),
            Device("gsme", Gsme, DeviceType.GSME, Model(ModelKind.GSME)),
            Device("ppmid", Ppmid, DeviceType.PPMID, Model(ModelKind.PPMID)),
            Device("ihd", Ihd, DeviceType.IHD, Model(ModelKind.IHD)));
    }

    /// <summary>CHF, GPF, ESME and IHD: enough for the commissioning flow, quicker to start.</summary>
    public static RigDefinition Small(string stateDirectory, Quirk[]? chQuirks = null, Quirk[]? esmeQuirks = null, WanConnection? wan = null)
    {
        var ch = Model(ModelKind.CH, chQuirks ?? []);
        return Rig(
            stateDirectory,
            wan,
            Device("chf", Chf, DeviceType.CHF, ch),
            Device("gpf", Gpf, DeviceType.GPF, ch),
            Device("esme", Esme, DeviceType.ESME, Model(ModelKind.ESME, esmeQuirks ?? [])),
            Device("ihd", Ihd, DeviceType.IHD, Model(ModelKind.IHD)));
    }

    /// <summary>
    /// The rig with the bench parts of rigs/emulated.yaml on a simulated bank 'bench': a power relay on every
    /// device (the GPF sharing the CHF's), a button relay on the meters, a pulse input on the ESME (at 1000
    /// imp/kWh) and an optical port on each meter.
    /// </summary>
    public static RigDefinition WithBench(RigDefinition rig, string? cellsFile = null) => rig with
    {
        GpioBanks = new Dictionary<string, GpioBankDefinition> { ["bench"] = new("bench", "sim") },
        TrustAnchors = cellsFile is null ? rig.TrustAnchors : new TrustAnchorSettings("test", cellsFile, null),
        Devices = rig.Devices.Select(d => d with
        {
            Model = d.Type == DeviceType.ESME && d.Model.MeterConstant is null ? d.Model with { MeterConstant = 1000 } : d.Model,
            Gpio = new DeviceGpio(
                Line(d.Type == DeviceType.GPF ? "chf-power" : $"{d.Name}-power"),
                d.Type is DeviceType.ESME or DeviceType.GSME ? Line($"{d.Name}-button") : null,
                d.Type == DeviceType.ESME ? Line($"{d.Name}-pulse") : null),
            Optical = d.Type is DeviceType.ESME or DeviceType.GSME ? EmulatedPort.Instance : null,
        }).ToList(),
    };

    /// <summary>A line of the test bench's simulated bank.</summary>
    public static GpioLineRef Line(string name) => new("bench", name);

    public static DeviceDefinition Device(string name, Eui64 id, DeviceType type, DeviceModelDefinition model) =>
        new(name, id, type, model, EmulatedPort.Instance, DeviceGpio.None);

    private static RigDefinition Rig(string stateDirectory, WanConnection? wan, params DeviceDefinition[] devices) =>
        new("test", "built by a test", "(test)", stateDirectory, wan ?? new TcpWan("127.0.0.1", 9), devices);

    /// <summary>Skips the test on a machine that cannot make pseudo-terminals.</summary>
    public static void RequirePseudoTerminals()
    {
        try
        {
            using var pty = PseudoTerminal.Create();
        }
        catch (SerialPortException e)
        {
            Assert.Ignore($"this machine cannot make pseudo-terminals: {e.Message}");
        }
    }
}
