using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Messages;

/// <summary>Addresses with a meaning of their own.</summary>
public static class Addresses
{
    /// <summary>Every device on the link: HAN discovery, and local-port queries that do not know the device's ID.</summary>
    public static Eui64 Broadcast { get; } = new(ulong.MaxValue);

    /// <summary>The harness on a device's local port.</summary>
    public static Eui64 LocalHarness { get; } = new(ulong.MaxValue - 1);
}
