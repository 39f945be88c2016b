using System.Text;

namespace SecDcc.Drivers.Link;

/// <summary>Why a frame was dropped.</summary>
public enum DropReason
{
    /// <summary>The FCS did not match the bytes.</summary>
    BadCrc,

    /// <summary>Longer than the link's largest frame; the rest up to the next flag was skipped.</summary>
    Oversize,

    /// <summary>Shorter than its header says, or cut off by the end of the stream.</summary>
    Truncated,

    /// <summary>An escape byte (0x7D) followed by a flag (an abort) or by a byte that is never escaped.</summary>
    BadEscape,

    /// <summary>A version this receiver does not speak.</summary>
    UnknownVersion,

    /// <summary>A well-checked frame whose header makes no sense: reserved flag bits set, or bytes after the end.</summary>
    Malformed,

    /// <summary>The counter was not above the last one accepted from that sender.</summary>
    Replayed,

    /// <summary>The message type carries authority, and the frame was not signed.</summary>
    MissingSignature,

    /// <summary>The signature does not verify with the sender's key.</summary>
    BadSignature,

    /// <summary>Signed by a sender whose key the receiver does not have.</summary>
    UnknownSenderKey,
}

/// <summary>What was dropped, with as much of its header as could be read.</summary>
public readonly record struct FrameDrop(DropReason Reason, int Length, FrameHeader? Header);

/// <summary>Counts of what a link received: frames accepted, frames dropped by reason, bytes. Safe to read from any thread.</summary>
public sealed class LinkStatistics
{
    private readonly long[] _dropped = new long[Enum.GetValues<DropReason>().Length];
    private long _accepted;
    private long _bytes;
    private long _skipped;

    public long FramesAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Every byte handed to the decoder.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytes);

    /// <summary>Bytes before the first flag, which belong to no frame (line noise, a boot banner).</summary>
    public long BytesSkipped => Interlocked.Read(ref _skipped);

    public long DroppedTotal
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _dropped.Length; i++)
            {
                total += Interlocked.Read(ref _dropped[i]);
            }

            return total;
        }
    }

    public long Dropped(DropReason reason) => Interlocked.Read(ref _dropped[(int)reason]);

    /// <summary>Every drop count, reasons with none included.</summary>
    public IReadOnlyDictionary<DropReason, long> DroppedByReason() =>
        Enum.GetValues<DropReason>().ToDictionary(r => r, Dropped);

    /// <summary>"accepted 12, dropped 3 (BadCrc 2, Replayed 1), 4096 bytes".</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"accepted {FramesAccepted}, dropped {DroppedTotal}");
        var nonZero = DroppedByReason().Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value}").ToArray();
        if (nonZero.Length > 0)
        {
            text.Append(" (").Append(string.Join(", ", nonZero)).Append(')');
        }

        return text.Append($", {BytesReceived} bytes").ToString();
    }

    internal void CountAccepted() => Interlocked.Increment(ref _accepted);

    internal void CountDropped(DropReason reason) => Interlocked.Increment(ref _dropped[(int)reason]);

    internal void CountBytes(int received, int skipped)
    {
        Interlocked.Add(ref _bytes, received);
        if (skipped > 0)
        {
            Interlocked.Add(ref _skipped, skipped);
        }
    }
}
