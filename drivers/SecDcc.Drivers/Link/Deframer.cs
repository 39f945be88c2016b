namespace SecDcc.Drivers.Link;

/// <summary>One thing the deframer found between flags: a body to check, or a reason it was thrown away.</summary>
public readonly record struct DeframedItem(byte[]? Body, DropReason Reason, int Length)
{
    public bool IsBody => Body is not null;
}

/// <summary>
/// Splits a byte stream into frame bodies at 0x7E flags and undoes the byte stuffing. A pure state machine:
/// bytes in, bodies or drop reasons out, in bounded memory whatever the input.
/// </summary>
/// <remarks>
/// Bytes before the first flag belong to no frame and are only counted. Back-to-back flags are idle fill.
/// An escape followed by a flag is an abort (as in HDLC): the frame is dropped and that flag opens the next.
/// A frame that grows past the limit is dropped and the rest of it skipped up to the next flag, so one long
/// burst of noise costs at most one drop and no memory.
/// </remarks>
public sealed class Deframer
{
    private readonly byte[] _buffer;
    private State _state = State.Hunting;
    private DropReason _discardReason;
    private int _length;
    private int _discarded;

    /// <param name="maxBodyLength">The longest unstuffed body to accept (<see cref="FrameFormat.MaxBodyLength"/>).</param>
    public Deframer(int maxBodyLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBodyLength, FrameFormat.MinimumBodyLength);
        _buffer = new byte[maxBodyLength];
    }

    private enum State
    {
        Hunting,
        InFrame,
        Escaped,
        Discarding,
    }

    /// <summary>Feeds bytes; what completes is added to <paramref name="output"/>.</summary>
    /// <returns>How many of the bytes lay outside any frame (before the first flag).</returns>
    public int Push(ReadOnlySpan<byte> data, ICollection<DeframedItem> output)
    {
        var skipped = 0;
        foreach (var b in data)
        {
            switch (_state)
            {
                case State.Hunting:
                    if (b == FrameFormat.Flag)
                    {
                        Open();
                    }
                    else
                    {
                        skipped++;
                    }

                    break;

                case State.InFrame:
                    if (b == FrameFormat.Flag)
                    {
                        if (_length > 0)
                        {
                            output.Add(new DeframedItem(_buffer.AsSpan(0, _length).ToArray(), default, _length));
                        }

                        Open();
                    }
                    else if (b == FrameFormat.Escape)
                    {
                        _state = State.Escaped;
                    }
                    else
                    {
                        Append(b);
                    }

                    break;

                case State.Escaped:
                    if (b == FrameFormat.Flag)
                    {
                        output.Add(new DeframedItem(null, DropReason.BadEscape, _length + 1));
                        Open();
                    }
                    else if (!FrameFormat.IsEscapable((byte)(b ^ FrameFormat.EscapeXor)))
                    {
                        Discard(DropReason.BadEscape);
                    }
                    else
                    {
                        _state = State.InFrame;
                        Append((byte)(b ^ FrameFormat.EscapeXor));
                    }

                    break;

                case State.Discarding:
                    if (b == FrameFormat.Flag)
                    {
                        output.Add(new DeframedItem(null, _discardReason, _discarded));
                        Open();
                    }
                    else
                    {
                        _discarded++;
                    }

                    break;
            }
        }

        return skipped;
    }

    /// <summary>Ends the input: a frame still open is reported truncated (or by the reason it was being skipped for).</summary>
    public void Finish(ICollection<DeframedItem> output)
    {
        switch (_state)
        {
            case State.InFrame when _length > 0:
            case State.Escaped:
                output.Add(new DeframedItem(null, DropReason.Truncated, _length));
                break;
            case State.Discarding:
                output.Add(new DeframedItem(null, _discardReason, _discarded));
                break;
        }

        _state = State.Hunting;
        _length = 0;
    }

    private void Open()
    {
        _state = State.InFrame;
        _length = 0;
        _discarded = 0;
    }

    private void Append(byte b)
    {
        if (_length == _buffer.Length)
        {
            Discard(DropReason.Oversize);
            return;
        }

        _buffer[_length++] = b;
    }

    private void Discard(DropReason reason)
    {
        _state = State.Discarding;
        _discardReason = reason;
        _discarded = _length + 1;
    }
}
