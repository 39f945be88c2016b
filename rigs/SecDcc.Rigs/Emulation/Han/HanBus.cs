using System.Collections.Concurrent;
using System.Threading.Channels;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.Drivers.Link;

namespace SecDcc.Rigs.Emulation.Han;

/// <summary>
/// The emulated HAN: an in-process medium carrying encoded device link frames between the devices of one rig.
/// A frame goes to its target if that device is on the HAN, to everyone for the broadcast address, and
/// otherwise to the coordinator (the CHF), which is how a meter's response finds its way to the WAN.
/// </summary>
/// <remarks>Frames to a device that is off the HAN (powered down) are lost, as over the air, and counted.</remarks>
public sealed class HanBus
{
    private readonly ConcurrentDictionary<Eui64, HanPort> _ports = new();
    private long _lost;
    private Eui64? _coordinator;

    /// <summary>Frames that reached no device.</summary>
    public long FramesLost => Interlocked.Read(ref _lost);

    public IReadOnlyCollection<Eui64> Attached => _ports.Keys.ToArray();

    /// <summary>Puts a device on the HAN. Its frames are checked by <paramref name="decoder"/> as they arrive.</summary>
    /// <param name="coordinator">True for the CHF: frames for addresses not on the HAN go to it.</param>
    public HanPort Attach(Eui64 id, LinkDecoder decoder, bool coordinator = false)
    {
        var port = new HanPort(this, id, decoder);
        if (!_ports.TryAdd(id, port))
        {
            throw new InvalidOperationException($"device {id} is already on the HAN; power it down before powering it up again");
        }

        if (coordinator)
        {
            _coordinator = id;
        }

        return port;
    }

    internal void Detach(HanPort port)
    {
        if (_ports.TryRemove(new KeyValuePair<Eui64, HanPort>(port.Id, port)) && _coordinator == port.Id)
        {
            _coordinator = null;
        }
    }

    internal void Transmit(Eui64 from, Eui64 target, ReadOnlyMemory<byte> wire)
    {
        var bytes = wire.ToArray();
        if (target == Addresses.Broadcast)
        {
            foreach (var port in _ports.Values.Where(p => p.Id != from))
            {
                port.Deliver(bytes);
            }

            return;
        }

        if (_ports.TryGetValue(target, out var direct))
        {
            direct.Deliver(bytes);
        }
        else if (_coordinator is { } c && c != from && _ports.TryGetValue(c, out var coordinator))
        {
            coordinator.Deliver(bytes);
        }
        else
        {
            Interlocked.Increment(ref _lost);
        }
    }
}

/// <summary>One device's place on the HAN: a frame sink and a checked frame source.</summary>
public sealed class HanPort : IFrameSink, IFrameSource, IDisposable
{
    private readonly HanBus _bus;
    private readonly LinkDecoder _decoder;
    private readonly Channel<byte[]> _inbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<LinkFrame> _ready = new();
    private readonly List<LinkFrame> _batch = [];

    internal HanPort(HanBus bus, Eui64 id, LinkDecoder decoder)
    {
        _bus = bus;
        Id = id;
        _decoder = decoder;
    }

    public Eui64 Id { get; }

    public string Name => $"HAN of {Id}";

    public LinkStatistics Statistics => _decoder.Statistics;

    public ValueTask WriteAsync(Eui64 target, ReadOnlyMemory<byte> wire, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _bus.Transmit(Id, target, wire);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<LinkFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (_ready.Count == 0)
        {
            if (!await _inbound.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            // One delivery (one frame) at a time: a device announcing itself must be admitted, and its key
            // learnt, before its next frame is verified.
            if (_inbound.Reader.TryRead(out var bytes))
            {
                _batch.Clear();
                _decoder.Decode(bytes, _batch);
                foreach (var frame in _batch)
                {
                    _ready.Enqueue(frame);
                }
            }
        }

        return _ready.Dequeue();
    }

    /// <summary>Takes the device off the HAN; its reader sees the end of the link.</summary>
    public void Dispose()
    {
        _bus.Detach(this);
        _inbound.Writer.TryComplete();
    }

    internal void Deliver(byte[] wire) => _inbound.Writer.TryWrite(wire);
}
