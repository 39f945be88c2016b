namespace SecDcc.Drivers.Serial;

/// <summary>
/// A byte link with serial line settings: a real port, one end of a pseudo-terminal, or anything that stands
/// in for one (a TCP link through <see cref="StreamSerialPort"/>).
/// </summary>
public interface ISerialPort : IAsyncDisposable, IDisposable
{
    /// <summary>The device path, or a description of what stands in for one; used in every error message.</summary>
    string Name { get; }

    SerialSettings Settings { get; }

    /// <summary>True once the line has hung up; every later read or write then fails at once.</summary>
    bool IsHungUp { get; }

    /// <summary>Applies new line settings now, for example to change baud rate mid-session as IEC 62056-21 mode C does.</summary>
    void Configure(SerialSettings settings);

    /// <summary>Reads at least one byte, waiting up to <see cref="SerialSettings.ReadTimeout"/>.</summary>
    /// <returns>The number of bytes read, at least 1 (0 only for an empty buffer).</returns>
    /// <exception cref="TimeoutException">No byte arrived within the read timeout.</exception>
    /// <exception cref="SerialPortException">The line hung up (<see cref="SerialError.HungUp"/>) or the read failed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Writes every byte, or throws; concurrent writes do not interleave.</summary>
    /// <exception cref="TimeoutException">The driver took no byte for <see cref="SerialSettings.WriteTimeout"/>.</exception>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Waits until the bytes written so far have left the port, within the write timeout.</summary>
    ValueTask DrainAsync(CancellationToken cancellationToken = default);

    /// <summary>Throws away bytes received and not yet read, or written and not yet sent.</summary>
    void Discard(SerialBuffers buffers);
}
