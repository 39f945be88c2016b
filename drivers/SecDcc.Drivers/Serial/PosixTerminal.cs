using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Serial;

internal enum IoStatus
{
    Done,
    WouldBlock,
    HungUp,
}

/// <summary>The result of one non-blocking read or write.</summary>
internal readonly record struct IoResult(IoStatus Status, int Count, string Detail = "");

/// <summary>
/// The driver: a non-blocking terminal descriptor and the syscalls on it, nothing else. It does not check
/// arguments or track state; <see cref="SerialPort"/> does that.
/// </summary>
internal sealed class PosixTerminal : IDisposable
{
    private PosixTerminal(SafeFdHandle handle, string name, Statx identity)
    {
        Handle = handle;
        Name = name;
        Identity = identity;
        Reactor = new FdReactor(handle, name);
    }

    public string Name { get; }

    public SafeFdHandle Handle { get; }

    public FdReactor Reactor { get; }

    /// <summary>Device numbers and inode of the open file, to find lock holders and to tell a pseudo-terminal.</summary>
    public Statx Identity { get; }

    /// <summary>Unix98 pseudo-terminal slaves have majors 136–143; their line settings are partly ignored.</summary>
    public bool IsPseudoTerminalSlave => Identity.stx_rdev_major is >= 136 and <= 143;

    /// <summary>Opens a terminal device non-blocking, without making it the controlling terminal.</summary>
    public static PosixTerminal Open(string path)
    {
        var fd = Libc.Open(path, OpenFlags.O_RDWR | OpenFlags.O_NOCTTY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            throw SerialErrors.OpenFailed(path, Errno.Last);
        }

        var handle = SafeFdHandle.FromResult(fd);
        try
        {
            if (Libc.TcGetAttr(handle, out _) != 0)
            {
                var errno = Errno.Last;
                throw errno == Errno.ENOTTY || errno == Errno.EINVAL
                    ? SerialErrors.NotATerminal(path, errno)
                    : SerialErrors.Failed(path, "tcgetattr", errno);
            }

            return Adopt(handle, path);
        }
        catch (Exception)
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a descriptor that is already open, non-blocking, and a terminal (a pseudo-terminal master).</summary>
    public static PosixTerminal Adopt(SafeFdHandle handle, string name)
    {
        if (Libc.StatxFd(handle, string.Empty, Statx.AT_EMPTY_PATH, Statx.STATX_BASIC_STATS, out var st) != 0)
        {
            throw SerialErrors.Failed(name, "statx", Errno.Last);
        }

        return new PosixTerminal(handle, name, st);
    }

    /// <summary>flock(LOCK_EX|LOCK_NB), then TIOCEXCL so that even programs that do not flock get EBUSY.</summary>
    public void LockExclusive()
    {
        if (Libc.Flock(Handle, FlockOps.LOCK_EX | FlockOps.LOCK_NB) != 0)
        {
            var errno = Errno.Last;
            if (errno == Errno.EWOULDBLOCK)
            {
                var holders = PortHolders.Describe(Name, Identity.stx_dev_major, Identity.stx_dev_minor, Identity.stx_ino);
                throw SerialErrors.Locked(Name, errno, holders);
            }

            throw SerialErrors.Failed(Name, "flock", errno);
        }

        if (Libc.Ioctl(Handle, TermiosFlags.TIOCEXCL, 0) != 0)
        {
            throw SerialErrors.Failed(Name, "ioctl(TIOCEXCL)", Errno.Last);
        }
    }

    /// <summary>
    /// Clears TIOCEXCL. The flag lives on the tty, not the descriptor, and outlives this close when someone else
    /// keeps the tty open (a pseudo-terminal helper does), which would lock every later non-root opener out.
    /// </summary>
    public void ReleaseExclusive() => _ = Libc.Ioctl(Handle, TermiosFlags.TIOCNXCL, 0);

    public Termios GetAttributes()
    {
        if (Libc.TcGetAttr(Handle, out var t) != 0)
        {
            throw SerialErrors.Failed(Name, "tcgetattr", Errno.Last);
        }

        return t;
    }

    public void SetAttributes(in Termios termios)
    {
        if (Libc.TcSetAttr(Handle, TermiosFlags.TCSANOW, termios) != 0)
        {
            var errno = Errno.Last;
            throw errno == Errno.EIO
                ? SerialErrors.HungUp(Name, "tcsetattr", Errno.Describe(errno))
                : SerialErrors.Failed(Name, "tcsetattr", errno);
        }
    }

    public IoResult TryRead(Span<byte> buffer)
    {
        while (true)
        {
            var n = Libc.Read(Handle, ref buffer[0], buffer.Length);
            if (n > 0)
            {
                return new IoResult(IoStatus.Done, (int)n);
            }

            // With O_NONBLOCK and VMIN >= 1 a tty says EAGAIN when it has nothing; end of file only comes
            // after a hang-up.
            if (n == 0)
            {
                return new IoResult(IoStatus.HungUp, 0, "read returned end of file");
            }

            var errno = Errno.Last;
            if (errno == Errno.EINTR)
                continue;
            return Failure(errno, "read");
        }
    }

    /// <summary>What a failed read(2) or write(2) means for the caller: try later, the line hung up, or a real error.</summary>
    private IoResult Failure(int errno, string call) => errno switch
    {
        Errno.EAGAIN => new IoResult(IoStatus.WouldBlock, 0),
        Errno.EIO or Errno.ENXIO or Errno.ENODEV => new IoResult(IoStatus.HungUp, 0, $"{call}: " + Errno.Describe(errno)),
        _ => throw SerialErrors.Failed(Name, call, errno),
    };

    public IoResult TryWrite(ReadOnlySpan<byte> data)
    {
        while (true)
        {
            // write(2) does not modify the buffer; the import takes a ref only because one signature serves both.
            var n = Libc.Write(Handle, ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data), data.Length);
            if (n >= 0)
            {
                return n == 0 ? new IoResult(IoStatus.WouldBlock, 0) : new IoResult(IoStatus.Done, (int)n);
            }

            var errno = Errno.Last;
            if (errno == Errno.EINTR)
                continue;
            return Failure(errno, "write");
        }
    }

    /// <summary>Polls the descriptor alone, on the calling thread, for at most <paramref name="milliseconds"/>.</summary>
    /// <returns>Ready or Trouble (time to try the call again), or TimedOut.</returns>
    public WaitOutcome PollBriefly(bool forWrite, int milliseconds)
    {
        var added = false;
        try
        {
            Handle.DangerousAddRef(ref added);
            var wanted = forWrite ? PollEvents.POLLOUT : PollEvents.POLLIN;
            var fd = new PollFd { fd = Handle.Fd, events = wanted };
            var n = Libc.Poll(ref fd, 1, milliseconds);

            // A failed or interrupted poll is not an answer; the caller falls back to the reactor, which reports it.
            return n > 0 ? FdReactor.Classify(fd.revents, wanted) ?? WaitOutcome.TimedOut : WaitOutcome.TimedOut;
        }
        finally
        {
            if (added)
            {
                Handle.DangerousRelease();
            }
        }
    }

    public void Flush(SerialBuffers buffers)
    {
        var queue = buffers switch
        {
            SerialBuffers.Input => TermiosFlags.TCIFLUSH,
            SerialBuffers.Output => TermiosFlags.TCOFLUSH,
            _ => TermiosFlags.TCIOFLUSH,
        };
        if (Libc.TcFlush(Handle, queue) != 0)
        {
            throw SerialErrors.Failed(Name, "tcflush", Errno.Last);
        }
    }

    /// <summary>Bytes written but still in the driver's output queue (TIOCOUTQ).</summary>
    public int OutputQueueLength()
    {
        if (Libc.Ioctl(Handle, TermiosFlags.TIOCOUTQ, out int queued) != 0)
        {
            throw SerialErrors.Failed(Name, "ioctl(TIOCOUTQ)", Errno.Last);
        }

        return queued;
    }

    /// <summary>tcdrain: waits for the UART's own FIFO. Only called once TIOCOUTQ is 0, so it returns within a FIFO's time.</summary>
    public void DrainHardware()
    {
        while (Libc.TcDrain(Handle) != 0)
        {
            var errno = Errno.Last;
            if (errno != Errno.EINTR)
            {
                throw SerialErrors.Failed(Name, "tcdrain", errno);
            }
        }
    }

    public void Dispose()
    {
        Reactor.Dispose();
        Handle.Dispose();
    }
}
