namespace SecDcc.Rigs.Emulation.CommsHub;

/// <summary>
/// The emulated Gas Proxy Function: part of the Communications Hub, with its own EUI-64, key and Device Log.
/// It is on the CHF's HAN from power-up (no whitelisting), announces itself there, and carries out 'Join' and
/// 'Unjoin' (8.7/8.8) for the devices that join it (a PPMID, an IHD), and Device Log reads and restores.
/// </summary>
public sealed class GasProxyFunction : EmulatedDevice
{
    internal GasProxyFunction(DeviceContext context)
        : base(context)
    {
    }

    protected private override Task OnPoweredOnAsync(CancellationToken cancellationToken) => AnnounceAsync(cancellationToken);
}
