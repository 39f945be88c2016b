using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Wan;

/// <summary>A command got no response within the session's response timeout.</summary>
public sealed class WanTimeoutException(Eui64 target, DeviceCommand command, TimeSpan timeout)
    : TimeoutException(
        $"no response from {target} to {command.Describe()} (DUIS {command.ServiceReference}, request {command.RequestId}) within {timeout.TotalSeconds:0.###} s: the device may be off the HAN or the WAN, or slower than the DCC allows")
{
    public Eui64 Target { get; } = target;

    public DeviceCommand Command { get; } = command;
}

/// <summary>The WAN session ended (the hub hung up, or the session was disposed) while a command waited.</summary>
public sealed class WanSessionClosedException(string message) : IOException(message);
