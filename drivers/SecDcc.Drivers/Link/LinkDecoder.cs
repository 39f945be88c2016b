namespace SecDcc.Drivers.Link;

/// <summary>
/// The receiving half of the device link, without I/O: bytes in, accepted frames out, every bad frame
/// dropped and counted. It never throws for anything the bytes contain.
/// </summary>
/// <remarks>Not thread-safe: one decoder per incoming byte stream. Its <see cref="Statistics"/> may be read from anywhere.</remarks>
public sealed class LinkDecoder
{
    private readonly Deframer _deframer;
    private readonly FrameValidator _validator;
    private readonly List<DeframedItem> _items = [];

    /// <param name="replay">The sender counters to check against; a new in-memory guard when null.</param>
    /// <param name="statistics">Counts to add to; shared between decoders when one link has several streams.</param>
    public LinkDecoder(LinkOptions options, IVerifierKeys keys, IReplayGuard? replay = null, LinkStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _deframer = new Deframer(FrameFormat.MaxBodyLength(options.MaxPayloadLength));
        _validator = new FrameValidator(options, keys, replay ?? new ReplayGuard());
        Statistics = statistics ?? new LinkStatistics();
    }

    public LinkOptions Options { get; }

    public LinkStatistics Statistics { get; }

    /// <summary>Told of every drop, for traces and evidence; it must not throw.</summary>
    public Action<FrameDrop>? Dropped { get; set; }

    /// <summary>Decodes <paramref name="data"/>, adding each accepted frame to <paramref name="accepted"/>.</summary>
    /// <returns>How many frames were accepted.</returns>
    public int Decode(ReadOnlySpan<byte> data, ICollection<LinkFrame> accepted)
    {
        _items.Clear();
        var skipped = _deframer.Push(data, _items);
        Statistics.CountBytes(data.Length, skipped);
        return Settle(accepted);
    }

    public IReadOnlyList<LinkFrame> Decode(ReadOnlySpan<byte> data)
    {
        var accepted = new List<LinkFrame>();
        Decode(data, accepted);
        return accepted;
    }

    /// <summary>Marks the end of the input: a frame cut off by it is counted as truncated.</summary>
    public void Complete()
    {
        _items.Clear();
        _deframer.Finish(_items);
        Settle([]);
    }

    private int Settle(ICollection<LinkFrame> accepted)
    {
        var count = 0;
        foreach (var item in _items)
        {
            if (item.Body is null)
            {
                Drop(new FrameDrop(item.Reason, item.Length, null));
                continue;
            }

            var reason = _validator.Check(item.Body, out var frame, out var header);
            if (reason is { } r)
            {
                Drop(new FrameDrop(r, item.Length, header));
                continue;
            }

            Statistics.CountAccepted();
            accepted.Add(frame!);
            count++;
        }

        _items.Clear();
        return count;
    }

    private void Drop(FrameDrop drop)
    {
        Statistics.CountDropped(drop.Reason);
        Dropped?.Invoke(drop);
    }
}
