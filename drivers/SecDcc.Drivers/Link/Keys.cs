using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace SecDcc.Drivers.Link;

/// <summary>Finds the public key that verifies a sender's signatures.</summary>
public interface IVerifierKeys
{
    /// <returns>False when the sender is unknown; its signed frames are then dropped.</returns>
    bool TryGetKey(Eui64 sender, [NotNullWhen(true)] out ECDsa? key);
}

/// <summary>An in-memory <see cref="IVerifierKeys"/>. It does not own the keys added to it.</summary>
public sealed class VerifierKeyStore : IVerifierKeys
{
    private readonly ConcurrentDictionary<Eui64, ECDsa> _keys = new();

    /// <summary>Adds or replaces the key of <paramref name="sender"/>; it must be a P-256 key.</summary>
    public VerifierKeyStore Add(Eui64 sender, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.KeySize != 256)
        {
            throw new ArgumentException(
                $"the key for {sender} is {publicKey.KeySize} bits; device link signatures use ECDSA P-256",
                nameof(publicKey));
        }

        _keys[sender] = publicKey;
        return this;
    }

    public bool Remove(Eui64 sender) => _keys.TryRemove(sender, out _);

    public bool TryGetKey(Eui64 sender, [NotNullWhen(true)] out ECDsa? key) => _keys.TryGetValue(sender, out key);
}

/// <summary>Remembers the last counter accepted from each sender.</summary>
/// <remarks>An emulated device that must survive a power cycle implements this over its non-volatile state.</remarks>
public interface IReplayGuard
{
    /// <summary>Accepts and records <paramref name="counter"/> if it is above the last one accepted from the sender.</summary>
    bool TryAccept(Eui64 sender, ulong counter);

    /// <summary>The last counter accepted from the sender, or null if none has been.</summary>
    ulong? LastAccepted(Eui64 sender);
}

/// <summary>An in-memory <see cref="IReplayGuard"/>.</summary>
public sealed class ReplayGuard : IReplayGuard
{
    private readonly Dictionary<Eui64, ulong> _last = [];
    private readonly Lock _gate = new();

    public bool TryAccept(Eui64 sender, ulong counter)
    {
        lock (_gate)
        {
            if (_last.TryGetValue(sender, out var last) && counter <= last)
            {
                return false;
            }

            _last[sender] = counter;
            return true;
        }
    }

    public ulong? LastAccepted(Eui64 sender)
    {
        lock (_gate)
        {
            return _last.TryGetValue(sender, out var last) ? last : null;
        }
    }
}

/// <summary>Hands out a sender's frame counters.</summary>
/// <remarks>A device whose counter must survive a restart implements this over its non-volatile state.</remarks>
public interface IFrameCounter
{
    ulong Next();
}

/// <summary>An in-memory counter that starts at a given value and only goes up.</summary>
public sealed class MonotonicCounter(ulong first = 1) : IFrameCounter
{
    private ulong _next = first;

    public ulong Next()
    {
        var value = Interlocked.Increment(ref _next) - 1;
        if (value == ulong.MaxValue)
        {
            throw new InvalidOperationException("the frame counter is exhausted; the sender needs a new identity or key");
        }

        return value;
    }
}
