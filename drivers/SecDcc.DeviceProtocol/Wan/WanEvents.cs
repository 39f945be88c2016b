using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Wan;

/// <summary>Something a WAN session saw: what the DCC acts on, and what it keeps as evidence.</summary>
public abstract record WanEvent(DateTimeOffset Time);

/// <summary>
/// A hub's signed "connected" communication, verified: the signature checked with the key of the Device
/// Certificate for the CHF it names (AC 4.2(c)). What the DCC then does (AC 4.1, 4.2(a)–(b)) is its own business.
/// </summary>
public sealed record HubConnectedEvent(DateTimeOffset Time, LinkFrame Frame, HubConnectedAlert Alert) : WanEvent(Time);

/// <summary>The CHF's verified alert that it can talk over the HAN to a device (AC 4.4).</summary>
public sealed record HanDeviceAlertEvent(DateTimeOffset Time, LinkFrame Frame, HanDeviceAlert Alert) : WanEvent(Time);

/// <summary>A verified response. <paramref name="Late"/> when it came after the session gave up waiting for it.</summary>
public sealed record ResponseEvent(DateTimeOffset Time, LinkFrame Frame, CommandResponse Response, bool Late) : WanEvent(Time);

/// <summary>A Device Certificate offered by the hub, and whether it was accepted.</summary>
public sealed record CertificateEvent(DateTimeOffset Time, Eui64? DeviceId, bool Accepted, string Detail) : WanEvent(Time);

/// <summary>A frame the link dropped: bad CRC, bad or missing signature, unknown sender key, replay, ...</summary>
public sealed record FrameRejectedEvent(DateTimeOffset Time, FrameDrop Drop) : WanEvent(Time)
{
    public override string ToString() => Drop.Header is { } h
        ? $"dropped {Drop.Reason}: type 0x{h.MessageType:X4} #{h.Counter} from {h.Sender} to {h.Target}"
        : $"dropped {Drop.Reason}: {Drop.Length} bytes";
}

/// <summary>A frame that passed the link's checks but that the session refused: undecodable, or not what a hub may send.</summary>
public sealed record MessageRejectedEvent(DateTimeOffset Time, LinkFrame Frame, string Reason) : WanEvent(Time);

/// <summary>The transport closed or failed; no more events follow.</summary>
public sealed record SessionEndedEvent(DateTimeOffset Time, string Reason) : WanEvent(Time);
