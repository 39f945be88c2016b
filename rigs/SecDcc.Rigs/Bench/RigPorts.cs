using SecDcc.DeviceProtocol.Local;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Bench;

/// <summary>
/// Where the harness opens each device's ports: the rig file's paths on a real bench, the pseudo-terminals an
/// emulated rig made for it otherwise.
/// </summary>
public sealed class RigPorts
{
    private readonly Func<string, string> _local;
    private readonly Func<string, string?> _optical;

    private RigPorts(RigDefinition rig, Func<string, string> local, Func<string, string?> optical)
    {
        Rig = rig;
        _local = local;
        _optical = optical;
    }

    public RigDefinition Rig { get; }

    public static RigPorts Of(EmulatedRig rig)
    {
        ArgumentNullException.ThrowIfNull(rig);
        return new RigPorts(rig.Definition, name => rig[name].LocalPortPath, name => rig[name].OpticalPortPath);
    }

    /// <summary>A real bench: every port is the one the rig file names.</summary>
    public static RigPorts Of(RigDefinition rig)
    {
        ArgumentNullException.ThrowIfNull(rig);
        return new RigPorts(
            rig,
            name => rig.Device(name).Port is SerialPortResource port ? port.Path : throw new BenchFaultException($"{name}'s local port is emulated: start the emulated rig and take its ports from it"),
            name => rig.Device(name).Optical switch
            {
                null => null,
                SerialPortResource probe => probe.Path,
                _ => throw new BenchFaultException($"{name}'s optical port is emulated: start the emulated rig and take its ports from it"),
            });
    }

    public string LocalPort(string device) => _local(device);

    /// <summary>Opens the device's local port with the rig file's line settings (8N1 at 115200 for an emulated one).</summary>
    /// <exception cref="SerialPortException">The port does not open (missing, busy, no permission).</exception>
    public LocalPortClient OpenLocalPort(string device, TimeSpan? timeout = null) =>
        LocalPortClient.Open(_local(device), Rig.Device(device).Port is SerialPortResource real ? real.Settings : new SerialSettings(), timeout);

    /// <summary>The meter's optical port, or null when the rig file gives it none.</summary>
    public string? OpticalPort(string device) => _optical(device);
}
