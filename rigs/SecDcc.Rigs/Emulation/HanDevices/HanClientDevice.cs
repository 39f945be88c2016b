namespace SecDcc.Rigs.Emulation.HanDevices;

/// <summary>
/// An emulated device that joins a meter or GPF and keeps no Device Log of its own: a PPMID or HCALCS
/// (Type 1), or an IHD or CAD (Type 2). It announces itself on the HAN and answers credential commands;
/// Device Log commands and 'Commission Device' are refused as not supported.
/// </summary>
public sealed class HanClientDevice : EmulatedDevice
{
    internal HanClientDevice(DeviceContext context)
        : base(context)
    {
    }

    protected private override Task OnPoweredOnAsync(CancellationToken cancellationToken) => AnnounceAsync(cancellationToken);
}
