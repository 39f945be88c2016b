using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;
using SecDcc.Drivers.Serial;

namespace SecDcc.Rigs.Model;

/// <summary>
/// A bench as its rig file describes it: plain data (a labgrid "resource"), checked when loaded. Emulated
/// devices are run by <see cref="Emulation.EmulatedRig"/>; real ones are reached through their ports.
/// </summary>
/// <param name="SourcePath">The rig file, as it was named when loaded, for messages.</param>
/// <param name="StateDirectory">Where emulated devices keep their non-volatile state (absolute).</param>
public sealed record RigDefinition(
    string Name,
    string? Description,
    string SourcePath,
    string StateDirectory,
    WanConnection Wan,
    IReadOnlyList<DeviceDefinition> Devices)
{
    public DeviceDefinition Device(string name) =>
        Devices.FirstOrDefault(d => d.Name == name)
        ?? throw new KeyNotFoundException($"rig {Name} ({SourcePath}) has no device named '{name}'; it has {string.Join(", ", Devices.Select(d => d.Name))}");

    /// <summary>The rig's Communications Hub Function.</summary>
    public DeviceDefinition Chf => Devices.Single(d => d.Type == DeviceType.CHF);

    public DeviceDefinition? Gpf => Devices.SingleOrDefault(d => d.Type == DeviceType.GPF);

    public bool IsEmulated => Chf.Port is EmulatedPort;

    /// <summary>The bench's GPIO banks by name (relay boards, a Pi's chip, or the emulated rig's simulated bank).</summary>
    public IReadOnlyDictionary<string, GpioBankDefinition> GpioBanks { get; init; } = new Dictionary<string, GpioBankDefinition>();

    /// <summary>Where emulated devices' credentials come from; the rig's name seeds the test PKI unless the file says otherwise.</summary>
    public TrustAnchorSettings TrustAnchors { get; init; } = TrustAnchorSettings.SeedOnly("secdcc");
}

/// <param name="Name">The device's name in the rig (a step says "the ESME" by it).</param>
/// <param name="Gpio">The relay on its power, the relay across its button and the input on its pulse LED, where wired.</param>
public sealed record DeviceDefinition(
    string Name,
    Eui64 Id,
    DeviceType Type,
    DeviceModelDefinition Model,
    PortResource Port,
    DeviceGpio Gpio)
{
    public bool IsEmulated => Port is EmulatedPort;

    /// <summary>The meter's optical port (IEC 62056-21): 'emulated', or the optical probe's serial port; null when none is wired.</summary>
    public PortResource? Optical { get; init; }
}

/// <summary>A device's local port.</summary>
public abstract record PortResource;

/// <summary>The emulator makes a pseudo-terminal for the device; its slave path is known once the rig runs.</summary>
public sealed record EmulatedPort : PortResource
{
    public static EmulatedPort Instance { get; } = new();

    public override string ToString() => "emulated";
}

/// <summary>A real serial port, e.g. a USB adapter wired to a device's local port.</summary>
public sealed record SerialPortResource(string Path, SerialSettings Settings) : PortResource
{
    public override string ToString() => $"{Path} ({Settings.Describe()})";
}

/// <summary>How the hub reaches the DCC's SM WAN gateway.</summary>
public abstract record WanConnection;

/// <summary>The hub is a TCP client of the gateway at <paramref name="Host"/>:<paramref name="Port"/>.</summary>
public sealed record TcpWan(string Host, int Port) : WanConnection
{
    public override string ToString() => $"tcp {Host}:{Port}";
}

/// <summary>The hub's WAN is a serial line (to a WAN bridge): a real port, or a pseudo-terminal the emulator makes.</summary>
public sealed record SerialWan(PortResource Port) : WanConnection
{
    public override string ToString() => $"serial {Port}";
}
