using SecDcc.DeviceProtocol.Messages;

namespace SecDcc.Rigs.Emulation.Meters;

/// <summary>
/// An emulated SMETS1 Smart Meter (ESME or GSME). It announces itself on the HAN at power-up (the CHF admits it
/// once whitelisted), keeps a Device Log that 'Join' and 'Unjoin' (8.7/8.8) change, and sets its commissioned
/// flag on 'Commission Device' (8.1.1, AC 4.11–4.13). Every command must carry the DCC's signature, checked
/// against the accessControlBroker Trust Anchor Cell; its responses are signed with the meter's own key.
/// </summary>
public sealed class SmartMeter : EmulatedDevice
{
    internal SmartMeter(DeviceContext context)
        : base(context)
    {
    }

    protected private override Task OnPoweredOnAsync(CancellationToken cancellationToken) => AnnounceAsync(cancellationToken);

    protected private override CommandResponse Execute(DeviceCommand command)
    {
        if (command is not CommissionDevice commission)
        {
            return base.Execute(command);
        }

        Commissioned = true;
        return CommandResponse.Success(commission.RequestId);
    }
}
