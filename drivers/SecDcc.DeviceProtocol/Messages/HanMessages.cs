using SecDcc.DeviceProtocol.Encoding;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Messages;

/// <summary>Broadcast by the CHF on the HAN when it wants to know who is there (after a whitelisting, at power-up).</summary>
public sealed record HanDiscover(Eui64 ChfId) : DeviceMessage
{
    public override ushort MessageType => MessageTypes.HanDiscover;

    internal override void WriteFields(TlvWriter writer) => writer.WriteEui(1, ChfId);

    internal static HanDiscover Read(TlvReader r) => new(r.RequiredEui(1, "chfId"));
}

/// <summary>
/// A device saying it is on the HAN, with its Device Certificate, at power-up and in answer to
/// <see cref="HanDiscover"/>. The CHF learns the device's key from it (the emulated stand-in for a HAN's key
/// establishment), so it can check the device's signed frames before relaying them.
/// </summary>
public sealed record HanAnnounce(Eui64 DeviceId, DeviceType DeviceType, Octets Certificate) : DeviceMessage
{
    public override ushort MessageType => MessageTypes.HanAnnounce;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteEui(1, DeviceId);
        writer.WriteUInt(2, (byte)DeviceType);
        writer.WriteBytes(3, Certificate.Span);
    }

    internal static HanAnnounce Read(TlvReader r) =>
        new(r.RequiredEui(1, "deviceId"), r.RequiredEnum<DeviceType>(2, "deviceType"), new Octets(r.RequiredBytes(3, "certificate").Span));
}
