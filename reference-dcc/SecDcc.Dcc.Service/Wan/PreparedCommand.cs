using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Devices;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;
using Eui64 = SecDcc.Drivers.Link.Eui64;
using ProtocolDeviceType = SecDcc.DeviceProtocol.Messages.DeviceType;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// A device Service Request that has passed its checks: the Device its Command goes to, how the Command is built,
/// and what the Device's Response does to the SMI. Subclasses are the SRV families (<see cref="DeviceServices"/>).
/// </summary>
public abstract class PreparedCommand(DeviceRequest request, Device recipient, ServiceRequestArguments arguments)
{
    public DeviceRequest Request { get; } = request;

    /// <summary>The Device the Command is addressed to (for a relayed Command, the meter or GPF, not the CHF).</summary>
    public Device Recipient { get; } = recipient;

    public Eui64 RecipientEui => Wire.Eui(Recipient.Id);

    /// <summary>The CHF whose WAN connection carries the Command: the recipient itself, or the CHF whose Device Log holds it.</summary>
    public DeviceId? ChfId => Recipient.Type == Inventory.DeviceType.CHF ? Recipient.Id : Recipient.ChfId;

    /// <summary>The Device this Command adds to a CHF's HAN Device Log (8.11 add), whose HAN alert may overtake its Response.</summary>
    public virtual Eui64? Whitelists => null;

    /// <summary>What the Command carries beyond its SRV, for the protocol's one mapping from SRV to Command.</summary>
    public ServiceRequestArguments Arguments { get; } = arguments;

    /// <exception cref="InvalidOperationException">The arguments do not make a Command: the checks that built them missed something.</exception>
    public DeviceCommand Build(RequestId id) =>
        ServiceRequestCommands.TryCreate(Request.ServiceReferenceVariant, id, Arguments, out var command, out var problem)
            ? command
            : throw new InvalidOperationException($"{Request.ServiceReferenceVariant} for {Recipient.Id} was prepared without what its Command needs: {problem}");

    /// <summary>Moves the SMI on the Device's successful Response; a refusal means the DCC did not act on it (and says why).</summary>
    public virtual Task<Refusal?> ApplySuccessAsync(CommandResponse response, SmiService smi, CancellationToken ct) => Task.FromResult<Refusal?>(null);

    /// <summary>
    /// The Command failed, timed out or was never delivered: clears what the request recorded (its outstanding command),
    /// leaving every Device as it was.
    /// </summary>
    public virtual Task AbandonAsync(SmiService smi, CancellationToken ct) => Task.CompletedTask;

    /// <summary>What the Response carries back to the User, beyond success or failure.</summary>
    public virtual void Describe(CommandResponse response, IDictionary<string, string> data)
    {
    }

    /// <summary>Conversions between the SMI's identifiers and the device link's.</summary>
    public static class Wire
    {
        public static Eui64 Eui(DeviceId id) => new(id.Value);

        public static DeviceId Device(Eui64 eui) => new(eui.Value);

        public static ProtocolDeviceType Type(Inventory.DeviceType type) => Enum.Parse<ProtocolDeviceType>(type.ToString());

        public static string Entries(IEnumerable<DeviceLogEntry> entries) =>
            string.Join(",", entries.Select(e => $"{e.DeviceId}:{e.DeviceType}"));

        public static string Base64(Octets octets) => Convert.ToBase64String(octets.Span);
    }
}
