using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using SecDcc.Drivers.Link;

namespace SecDcc.Rigs.Emulation;

/// <summary>
/// The keys an emulated device verifies frames with: those of HAN devices whose certificates it has checked
/// (a CHF learns them from announcements), and, for any other signed sender, the key in its
/// accessControlBroker Trust Anchor Cell, which is whose signature a DCC command must carry.
/// </summary>
internal sealed class DeviceVerifierKeys : IVerifierKeys
{
    private readonly ConcurrentDictionary<Eui64, ECDsa> _hanDevices = new();
    private volatile ECDsa? _trustAnchor;

    public ECDsa? TrustAnchor
    {
        get => _trustAnchor;
        set => _trustAnchor = value;
    }

    public void AddHanDevice(Eui64 id, ECDsa key) => _hanDevices[id] = key;

    public void Clear() => _hanDevices.Clear();

    public bool TryGetKey(Eui64 sender, [NotNullWhen(true)] out ECDsa? key)
    {
        if (_hanDevices.TryGetValue(sender, out key))
        {
            return true;
        }

        key = _trustAnchor;
        return key is not null;
    }
}
