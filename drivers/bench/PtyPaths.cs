using System.Diagnostics;
using SecDcc.Drivers.Interop;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Bench;

/// <summary>Ways of moving bytes through a pseudo-terminal, each timed from the first byte to the last.</summary>
/// <remarks>
/// Every path has the same far end: a plain blocking loop on the master descriptor. Only the slave side
/// changes: raw descriptors, cat, or the driver.
/// </remarks>
internal static class PtyPaths
{
    private const int Chunk = 64 * 1024;
    private static readonly SerialSettings Line = new() { BaudRate = 115200, WriteTimeout = TimeSpan.FromSeconds(30) };

    public static async Task<TimeSpan> ReadRawAsync(int bytes, CancellationToken cancellationToken)
    {
        using var pair = RawPair.Create();
        var clock = Stopwatch.StartNew();
        var writer = Task.Run(() => RawPair.WriteAll(pair.Master, bytes), cancellationToken);
        var reader = Task.Run(() => RawPair.ReadAll(pair.Slave, bytes), cancellationToken);
        await Task.WhenAll(writer, reader).WaitAsync(cancellationToken);
        return clock.Elapsed;
    }

    public static async Task<TimeSpan> ReadCatAsync(int bytes, CancellationToken cancellationToken)
    {
        using var pair = RawPair.Create();
        using var cat = Shell($"exec cat {pair.SlavePath} > /dev/null");
        var clock = Stopwatch.StartNew();
        await Task.Run(() => RawPair.WriteAll(pair.Master, bytes), cancellationToken).WaitAsync(cancellationToken);

        // The writer is done when the last bytes are in the pty's buffer; cat is done when the buffer is empty.
        while (pair.Unread() > 0)
        {
            await Task.Delay(1, cancellationToken);
        }

        var elapsed = clock.Elapsed;
        cat.Kill();
        await cat.WaitForExitAsync(cancellationToken);
        return elapsed;
    }

    public static async Task<TimeSpan> ReadDriverAsync(int bytes, CancellationToken cancellationToken)
    {
        using var pair = RawPair.Create();
        using var port = SerialPort.Open(pair.SlavePath, Line);
        var clock = Stopwatch.StartNew();
        var writer = Task.Run(() => RawPair.WriteAll(pair.Master, bytes), cancellationToken);
        var buffer = new byte[Chunk];
        for (var got = 0; got < bytes;)
        {
            got += await port.ReadAsync(buffer, cancellationToken);
        }

        await writer.WaitAsync(cancellationToken);
        return clock.Elapsed;
    }

    public static async Task<TimeSpan> WriteRawAsync(int bytes, CancellationToken cancellationToken)
    {
        using var pair = RawPair.Create();
        var clock = Stopwatch.StartNew();
        var reader = Task.Run(() => RawPair.ReadAll(pair.Master, bytes), cancellationToken);
        var writer = Task.Run(() => RawPair.WriteAll(pair.Slave, bytes), cancellationToken);
        await Task.WhenAll(writer, reader).WaitAsync(cancellationToken);
        return clock.Elapsed;
    }

    public static async Task<TimeSpan> WriteCatAsync(int bytes, CancellationToken cancellationToken)
    {
        var blob = Path.Combine(Path.GetTempPath(), $"secdcc-bench-{Environment.ProcessId}.bin");
        await File.WriteAllBytesAsync(blob, new byte[bytes], cancellationToken);
        try
        {
            using var pair = RawPair.Create();
            var reader = Task.Run(() => RawPair.ReadAll(pair.Master, bytes), cancellationToken);
            var clock = Stopwatch.StartNew();
            using var cat = Shell($"exec cat {blob} > {pair.SlavePath}");
            await reader.WaitAsync(cancellationToken);
            var elapsed = clock.Elapsed;
            await cat.WaitForExitAsync(cancellationToken);
            return elapsed;
        }
        finally
        {
            File.Delete(blob);
        }
    }

    public static async Task<TimeSpan> WriteDriverAsync(int bytes, CancellationToken cancellationToken)
    {
        using var pair = RawPair.Create();
        using var port = SerialPort.Open(pair.SlavePath, Line);
        var reader = Task.Run(() => RawPair.ReadAll(pair.Master, bytes), cancellationToken);
        var clock = Stopwatch.StartNew();
        var data = new byte[Chunk];
        for (var sent = 0; sent < bytes; sent += Chunk)
        {
            await port.WriteAsync(data.AsMemory(0, Math.Min(Chunk, bytes - sent)), cancellationToken);
        }

        await reader.WaitAsync(cancellationToken);
        return clock.Elapsed;
    }

    private static Process Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start /bin/sh for `{command}`");
    }
}

/// <summary>A pseudo-terminal with blocking raw descriptors on both ends, for the baseline loops.</summary>
internal sealed class RawPair : IDisposable
{
    private RawPair(SafeFdHandle master, SafeFdHandle slave, string slavePath)
    {
        Master = master;
        Slave = slave;
        SlavePath = slavePath;
    }

    public SafeFdHandle Master { get; }

    public SafeFdHandle Slave { get; }

    public string SlavePath { get; }

    public static RawPair Create()
    {
        // Made here rather than with PseudoTerminal so that both ends are blocking descriptors, as a plain
        // read/write loop (and cat) would use them.
        var fd = Libc.PosixOpenPt(OpenFlags.O_RDWR | OpenFlags.O_NOCTTY | OpenFlags.O_CLOEXEC);
        var master = Check(fd, "posix_openpt");
        if (Libc.GrantPt(master) != 0 || Libc.UnlockPt(master) != 0)
        {
            throw new IOException($"grantpt/unlockpt: {Errno.Describe(Errno.Last)}");
        }

        Span<byte> name = stackalloc byte[128];
        if (Libc.PtsNameR(master, ref name[0], (nuint)name.Length) != 0)
        {
            throw new IOException("ptsname_r failed");
        }

        var slavePath = System.Text.Encoding.UTF8.GetString(name[..name.IndexOf((byte)0)]);
        var slave = Check(Libc.Open(slavePath, OpenFlags.O_RDWR | OpenFlags.O_NOCTTY | OpenFlags.O_CLOEXEC), "open " + slavePath);
        if (Libc.TcGetAttr(slave, out var t) != 0)
        {
            throw new IOException($"tcgetattr {slavePath}: {Errno.Describe(Errno.Last)}");
        }

        Libc.CfMakeRaw(ref t);
        Libc.CfSetISpeed(ref t, 0x1002);
        Libc.CfSetOSpeed(ref t, 0x1002);
        if (Libc.TcSetAttr(slave, TermiosFlags.TCSANOW, t) != 0)
        {
            throw new IOException($"tcsetattr {slavePath}: {Errno.Describe(Errno.Last)}");
        }

        return new RawPair(master, slave, slavePath);
    }

    public static void WriteAll(SafeFdHandle fd, int bytes)
    {
        var data = new byte[64 * 1024];
        for (var sent = 0; sent < bytes;)
        {
            var n = Libc.Write(fd, ref data[0], Math.Min(data.Length, bytes - sent));
            if (n < 0)
            {
                var errno = Errno.Last;
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                throw new IOException($"write: {Errno.Describe(errno)}");
            }

            sent += (int)n;
        }
    }

    public static void ReadAll(SafeFdHandle fd, int bytes)
    {
        var data = new byte[64 * 1024];
        for (var got = 0; got < bytes;)
        {
            var n = Libc.Read(fd, ref data[0], data.Length);
            if (n <= 0)
            {
                var errno = Errno.Last;
                if (n < 0 && errno == Errno.EINTR)
                {
                    continue;
                }

                throw new IOException($"read after {got} bytes: {(n == 0 ? "end of file" : Errno.Describe(errno))}");
            }

            got += (int)n;
        }
    }

    /// <summary>Bytes in the slave's input queue that nobody has read yet (FIONREAD on our own slave descriptor).</summary>
    public int Unread() => Libc.Ioctl(Slave, TermiosFlags.FIONREAD, out int n) == 0 ? n : 0;

    public void Dispose()
    {
        Slave.Dispose();
        Master.Dispose();
    }

    private static SafeFdHandle Check(int fd, string call) =>
        fd >= 0 ? SafeFdHandle.FromResult(fd) : throw new IOException($"{call}: {Errno.Describe(Errno.Last)}");
}
