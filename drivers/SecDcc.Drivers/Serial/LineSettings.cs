using SecDcc.Drivers.Interop;
using static SecDcc.Drivers.Interop.TermiosFlags;

namespace SecDcc.Drivers.Serial;

/// <summary>Turns <see cref="SerialSettings"/> into termios bits and back.</summary>
internal static class LineSettings
{
    /// <summary>Raw mode with the asked framing: cfmakeraw, then size, parity, stop bits, flow control and speed.</summary>
    public static void Apply(ref Termios t, SerialSettings s)
    {
        Libc.CfMakeRaw(ref t);

        t.c_cflag &= ~(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);

        // CLOCAL: the harness never wants a read to block on modem carrier detect.
        t.c_cflag |= CREAD | CLOCAL | (s.DataBits == 7 ? CS7 : CS8);
        t.c_cflag |= s.Parity switch
        {
            Parity.Even => PARENB,
            Parity.Odd => PARENB | PARODD,
            _ => 0u,
        };
        if (s.StopBits == StopBits.Two)
        {
            t.c_cflag |= CSTOPB;
        }

        t.c_iflag &= ~(IXON | IXOFF | IXANY | INPCK | IGNPAR | PARMRK | ISTRIP);

        // A byte with a parity error is passed on as 0x00 rather than dropped, so a frame check above sees it.
        if (s.Parity != Parity.None)
        {
            t.c_iflag |= INPCK;
        }

        switch (s.FlowControl)
        {
            case FlowControl.RtsCts:
                t.c_cflag |= CRTSCTS;
                break;
            case FlowControl.XonXoff:
                t.c_iflag |= IXON | IXOFF;
                t.c_cc[VSTART] = XON;
                t.c_cc[VSTOP] = XOFF;
                break;
        }

        // VMIN 1 / VTIME 0 with O_NONBLOCK: a read with nothing to give says EAGAIN, so end of file can only
        // mean a hang-up (with VMIN 0 an idle line would also read as end of file).
        t.c_cc[VMIN] = 1;
        t.c_cc[VTIME] = 0;

        BaudConstants.TryGetSpeed(s.BaudRate, out var speed);
        Libc.CfSetISpeed(ref t, speed);
        Libc.CfSetOSpeed(ref t, speed);
    }

    /// <summary>What of <paramref name="asked"/> the driver did not keep, or null when it kept everything.</summary>
    /// <param name="pseudoTerminal">
    /// A pseudo-terminal has no line: Linux forces CS8 and clears PARENB on it, so data bits and parity are not
    /// compared there. Everything else is.
    /// </param>
    /// <summary>
    /// Whether setting <paramref name="asked"/> would change nothing on a port that has <paramref name="current"/>;
    /// on a pseudo-terminal the character size and parity, which it does not keep, do not count.
    /// </summary>
    public static bool Same(in Termios current, in Termios asked, bool pseudoTerminal)
    {
        var ignored = pseudoTerminal ? CSIZE | PARENB | PARODD : 0u;
        return current.c_iflag == asked.c_iflag
            && current.c_oflag == asked.c_oflag
            && (current.c_cflag & ~ignored) == (asked.c_cflag & ~ignored)
            && current.c_lflag == asked.c_lflag
            && current.c_line == asked.c_line
            && current.c_ispeed == asked.c_ispeed
            && current.c_ospeed == asked.c_ospeed
            && ((ReadOnlySpan<byte>)current.c_cc).SequenceEqual(asked.c_cc);
    }

    public static string? Mismatch(in Termios asked, in Termios got, bool pseudoTerminal)
    {
        var problems = new List<string>();
        if ((asked.c_cflag & CBAUD) != (got.c_cflag & CBAUD))
        {
            var baud = BaudConstants.BaudOf(got.c_cflag & CBAUD);
            problems.Add($"the speed is {(baud is null ? "an unlisted value" : baud + " baud")}");
        }

        if (!pseudoTerminal && (asked.c_cflag & CSIZE) != (got.c_cflag & CSIZE))
        {
            problems.Add($"the character size is {((got.c_cflag & CSIZE) == CS7 ? 7 : 8)} bits");
        }

        if (!pseudoTerminal && (asked.c_cflag & (PARENB | PARODD)) != (got.c_cflag & (PARENB | PARODD)))
        {
            problems.Add("the parity differs");
        }

        if ((asked.c_cflag & CSTOPB) != (got.c_cflag & CSTOPB))
        {
            problems.Add("the stop bits differ");
        }

        if ((asked.c_cflag & CRTSCTS) != (got.c_cflag & CRTSCTS))
        {
            problems.Add("RTS/CTS flow control was not " + ((asked.c_cflag & CRTSCTS) != 0 ? "turned on" : "turned off"));
        }

        if ((asked.c_iflag & (IXON | IXOFF)) != (got.c_iflag & (IXON | IXOFF)))
        {
            problems.Add("XON/XOFF flow control differs");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Reads line settings back from termios (timeouts come from <paramref name="timeouts"/>).</summary>
    public static SerialSettings Read(in Termios t, SerialSettings timeouts) => timeouts with
    {
        BaudRate = BaudConstants.BaudOf(Libc.CfGetOSpeed(t)) ?? timeouts.BaudRate,
        DataBits = (t.c_cflag & CSIZE) == CS7 ? 7 : 8,
        Parity = (t.c_cflag & PARENB) == 0 ? Parity.None : (t.c_cflag & PARODD) != 0 ? Parity.Odd : Parity.Even,
        StopBits = (t.c_cflag & CSTOPB) != 0 ? StopBits.Two : StopBits.One,
        FlowControl = (t.c_cflag & CRTSCTS) != 0 ? FlowControl.RtsCts
            : (t.c_iflag & IXON) != 0 ? FlowControl.XonXoff : FlowControl.None,
    };
}
