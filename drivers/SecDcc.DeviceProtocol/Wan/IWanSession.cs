using System.Security.Cryptography;
using System.Threading.Channels;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Wan;

/// <summary>A response and the frame that carried it (with its signature, for evidence).</summary>
public sealed record CommandOutcome(LinkFrame Frame, CommandResponse Response);

/// <summary>
/// The DCC's side of one hub's WAN connection, whatever protocol the hub speaks: commands out, responses,
/// alerts and refusals in, each checked for origin before it is reported.
/// </summary>
public interface IWanSession : IAsyncDisposable
{
    /// <summary>The CHF, once its "connected" communication has been verified; null before.</summary>
    Eui64? HubId { get; }

    /// <summary>Everything the session saw, in order. One reader; the channel completes when the session ends.</summary>
    ChannelReader<WanEvent> Events { get; }

    /// <summary>Ends when the transport closes or the session is disposed.</summary>
    Task Completion { get; }

    /// <summary>A request ID for a command to <paramref name="target"/>, unique within this DCC.</summary>
    RequestId NewRequestId(Eui64 target);

    /// <summary>Sends a signed command to <paramref name="target"/> (the CHF, or a device the CHF relays to) and waits for its verified response.</summary>
    /// <exception cref="WanTimeoutException">No response within <see cref="WanSessionOptions.ResponseTimeout"/>.</exception>
    /// <exception cref="WanSessionClosedException">The session ended first.</exception>
    Task<CommandOutcome> SendAsync(Eui64 target, DeviceCommand command, CancellationToken cancellationToken);
}

/// <summary>What a WAN session needs from the DCC.</summary>
public sealed record WanSessionOptions
{
    /// <summary>The DCC's EUI-64: the sender of its commands.</summary>
    public required Eui64 DccId { get; init; }

    /// <summary>The private key the DCC signs commands with; devices hold its certificate in their accessControlBroker cell.</summary>
    public required ECDsa SigningKey { get; init; }

    /// <summary>The device keys responses and alerts are verified with. Shared between sessions; the session adds certificates hubs offer to it.</summary>
    public required DeviceCertificateDirectory Devices { get; init; }

    /// <summary>How long <see cref="IWanSession.SendAsync"/> waits for a response.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The last counter seen from each device; share one between sessions so a replayed connection is refused.</summary>
    public IReplayGuard? Replay { get; init; }

    /// <summary>What the transport is ("tcp 10.0.0.7:51234"), for messages.</summary>
    public string PeerName { get; init; } = "hub";

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
