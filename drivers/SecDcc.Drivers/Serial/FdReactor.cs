using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Serial;

internal enum WaitOutcome
{
    /// <summary>poll reported the descriptor: go and try the read or write (it may say hang-up).</summary>
    Ready,

    /// <summary>
    /// poll reported only POLLHUP, POLLERR or POLLNVAL: the read or write will most likely say hang-up, and if
    /// it says EAGAIN instead, the line is hung up all the same (waiting again would spin).
    /// </summary>
    Trouble,
    TimedOut,
    Cancelled,

    /// <summary>The reactor was shut down while the caller waited.</summary>
    Closed,

    /// <summary>poll itself failed; <see cref="FdReactor.Failure"/> says why.</summary>
    Failed,
}

/// <summary>
/// Waits for one descriptor to become readable or writable, with deadlines and cancellation, on a thread of
/// its own.
/// </summary>
/// <remarks>
/// The reactor never reads or writes data: callers try the non-blocking call first and only wait here when
/// it says EAGAIN, so bulk transfers rarely touch this thread. One read waiter and one write waiter at a
/// time; the port above serialises each direction. Cancellation and shutdown ring an eventfd that is polled
/// with the descriptor, so a wait ends at once rather than at the next time slice. The thread holds a
/// reference on both descriptors while it polls, so disposing the port cannot close them underneath it.
/// </remarks>
internal sealed class FdReactor : IDisposable
{
    private readonly SafeFdHandle _fd;
    private readonly SafeFdHandle _wake;
    private readonly string _name;
    private readonly Lock _gate = new();
    private Waiter? _reader;
    private Waiter? _writer;
    private Thread? _thread;
    private volatile bool _disposed;
    private string? _failure;

    public FdReactor(SafeFdHandle fd, string name)
    {
        _fd = fd;
        _name = name;
        var wake = Libc.EventFd(0, EventFdFlags.EFD_CLOEXEC | EventFdFlags.EFD_NONBLOCK);
        if (wake < 0)
        {
            throw new IOException($"cannot create the wake-up eventfd for {name} (eventfd: {Errno.Describe(Errno.Last)})");
        }

        _wake = SafeFdHandle.FromResult(wake);
    }

    /// <summary>Why the reactor stopped, when poll failed (it reports <see cref="WaitOutcome.Failed"/> from then on).</summary>
    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>Waits until the descriptor is readable (<paramref name="forWrite"/> false) or writable.</summary>
    /// <param name="deadline">An <see cref="Environment.TickCount64"/> value, or <see cref="long.MaxValue"/>.</param>
    public Task<WaitOutcome> WaitAsync(bool forWrite, long deadline, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromResult(WaitOutcome.Cancelled);
        }

        var waiter = new Waiter(forWrite ? PollEvents.POLLOUT : PollEvents.POLLIN, deadline);

        // Registered before the waiter is visible to the thread, so that the thread's Unregister always
        // finds the registration; a token cancelled in between just sets the flag the thread checks.
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(
                static state =>
                {
                    var (reactor, w) = ((FdReactor, Waiter))state!;
                    w.CancelRequested = true;
                    reactor.Ring();
                },
                (this, waiter));
        }

        lock (_gate)
        {
            if (_disposed)
            {
                waiter.Registration.Unregister();
                return Task.FromResult(_failure is null ? WaitOutcome.Closed : WaitOutcome.Failed);
            }

            if ((forWrite ? _writer : _reader) is not null)
            {
                waiter.Registration.Unregister();
                throw new InvalidOperationException(
                    $"a {(forWrite ? "write" : "read")} is already waiting on {_name}; the port serialises each direction, so this is a bug in its caller");
            }

            if (forWrite)
            {
                _writer = waiter;
            }
            else
            {
                _reader = waiter;
            }

            _thread ??= StartThread();
        }

        Ring();
        return waiter.Completion.Task;
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            thread = _thread;
        }

        Ring();
        if (thread is null)
        {
            _wake.Dispose();
        }

        // The thread disposes the wake descriptor itself once it has stopped polling it.
        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private Thread StartThread()
    {
        var thread = new Thread(Run)
        {
            IsBackground = true,
            Name = $"poll {_name}",
        };
        thread.Start();
        return thread;
    }

    private void Ring()
    {
        if (_disposed && _thread is null)
        {
            return;
        }

        Span<byte> one = stackalloc byte[8];
        one[0] = 1;
        try
        {
            // EAGAIN means the counter is already non-zero: the reactor will wake anyway.
            _ = Libc.Write(_wake, ref one[0], one.Length);
        }
        catch (ObjectDisposedException)
        {
            // A cancellation that races with shutdown: the reactor has already stopped and completed every
            // waiter, so there is nobody left to wake.
        }
    }

    private void Run()
    {
        var fdRef = false;
        var wakeRef = false;
        try
        {
            _fd.DangerousAddRef(ref fdRef);
            _wake.DangerousAddRef(ref wakeRef);
            Loop();
        }
        catch (ObjectDisposedException)
        {
            // The port was closed before the thread got its reference; the finally below fails the waiters.
        }
        finally
        {
            lock (_gate)
            {
                _disposed = true;
                var outcome = _failure is null ? WaitOutcome.Closed : WaitOutcome.Failed;
                Complete(ref _reader, outcome);
                Complete(ref _writer, outcome);
            }

            if (fdRef)
            {
                _fd.DangerousRelease();
            }

            if (wakeRef)
            {
                _wake.DangerousRelease();
            }

            _wake.Dispose();
        }
    }

    private void Loop()
    {
        Span<PollFd> fds = stackalloc PollFd[2];
        Span<byte> drain = stackalloc byte[8];
        while (true)
        {
            short events = 0;
            var timeout = -1;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                var now = Environment.TickCount64;
                Settle(ref _reader, now, ref events, ref timeout);
                Settle(ref _writer, now, ref events, ref timeout);
            }

            fds[0] = new PollFd { fd = _wake.Fd, events = PollEvents.POLLIN };

            // With no waiter the descriptor is left out (fd -1 is ignored by poll): a hung-up tty reports
            // POLLHUP whatever is asked, and would otherwise spin this loop.
            fds[1] = new PollFd { fd = events == 0 ? -1 : _fd.Fd, events = events };
            var n = Libc.Poll(ref fds[0], 2, timeout);
            if (n < 0)
            {
                var errno = Errno.Last;
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                // Not thrown: this is a thread of our own, where an exception would end the process.
                Volatile.Write(ref _failure, $"poll on {_name} failed ({Errno.Describe(errno)})");
                return;
            }

            if (fds[0].revents != 0)
            {
                _ = Libc.Read(_wake, ref drain[0], drain.Length);
            }

            var revents = fds[1].revents;
            if (revents == 0)
            {
                continue;
            }

            lock (_gate)
            {
                if (Classify(revents, PollEvents.POLLIN) is { } forReader)
                {
                    Complete(ref _reader, forReader);
                }

                if (Classify(revents, PollEvents.POLLOUT) is { } forWriter)
                {
                    Complete(ref _writer, forWriter);
                }
            }
        }
    }

    /// <summary>What poll's answer means for a waiter that wanted <paramref name="wanted"/>; null when nothing.</summary>
    internal static WaitOutcome? Classify(short revents, short wanted)
    {
        const short Trouble = PollEvents.POLLHUP | PollEvents.POLLERR | PollEvents.POLLNVAL;
        if ((revents & wanted) != 0)
        {
            return WaitOutcome.Ready;
        }

        return (revents & Trouble) != 0 ? WaitOutcome.Trouble : null;
    }

    private static void Settle(ref Waiter? slot, long now, ref short events, ref int timeout)
    {
        if (slot is null)
        {
            return;
        }

        if (slot.CancelRequested)
        {
            Complete(ref slot, WaitOutcome.Cancelled);
            return;
        }

        if (slot.Deadline != long.MaxValue)
        {
            var left = slot.Deadline - now;
            if (left <= 0)
            {
                Complete(ref slot, WaitOutcome.TimedOut);
                return;
            }

            var ms = (int)Math.Min(left, int.MaxValue);
            timeout = timeout < 0 ? ms : Math.Min(timeout, ms);
        }

        events |= slot.Events;
    }

    private static void Complete(ref Waiter? slot, WaitOutcome outcome)
    {
        var waiter = slot;
        slot = null;
        if (waiter is null)
        {
            return;
        }

        waiter.Registration.Unregister();
        waiter.Completion.TrySetResult(outcome);
    }

    private sealed class Waiter(short events, long deadline)
    {
        public short Events { get; } = events;

        public long Deadline { get; } = deadline;

        public TaskCompletionSource<WaitOutcome> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public volatile bool CancelRequested;
    }
}
