using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Serial;

public enum Parity
{
    None,
    Even,
    Odd,
}

public enum StopBits
{
    One,
    Two,
}

public enum FlowControl
{
    None,

    /// <summary>Hardware handshake on RTS/CTS (CRTSCTS).</summary>
    RtsCts,

    /// <summary>Software handshake: the tty driver acts on and sends XON (0x11) and XOFF (0x13).</summary>
    XonXoff,
}

/// <summary>Line settings and timeouts of a serial port. Plain data: <see cref="Validate"/> checks it.</summary>
public sealed record SerialSettings
{
    public int BaudRate { get; init; } = 115200;

    /// <summary>7 or 8.</summary>
    public int DataBits { get; init; } = 8;

    public Parity Parity { get; init; } = Parity.None;

    public StopBits StopBits { get; init; } = StopBits.One;

    public FlowControl FlowControl { get; init; } = FlowControl.None;

    /// <summary>How long a read waits for its first byte; <see cref="Timeout.InfiniteTimeSpan"/> to wait for ever.</summary>
    public TimeSpan ReadTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>How long a write may go without the driver taking a single byte; infinite to wait for ever.</summary>
    /// <remarks>
    /// A stall limit rather than a limit on the whole call, so a megabyte written at 9600 baud is not cut off
    /// while a device that holds CTS low for good is reported.
    /// </remarks>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The baud rates the driver can set: those with a B-constant in glibc, 300 to 4,000,000.</summary>
    public static IReadOnlyList<int> SupportedBaudRates => BaudConstants.Supported;

    /// <summary>Throws <see cref="ArgumentException"/> naming the port, the field and what would be accepted.</summary>
    public void Validate(string portName)
    {
        if (!BaudConstants.TryGetSpeed(BaudRate, out _))
        {
            throw new ArgumentException(
                $"{portName}: baud rate {BaudRate} is not one the driver can set; use one of {string.Join(", ", SupportedBaudRates)}",
                nameof(BaudRate));
        }

        if (DataBits is not (7 or 8))
        {
            throw new ArgumentException($"{portName}: {DataBits} data bits asked; only 7 and 8 are supported", nameof(DataBits));
        }

        if (!Enum.IsDefined(Parity) || !Enum.IsDefined(StopBits) || !Enum.IsDefined(FlowControl))
        {
            throw new ArgumentException(
                $"{portName}: parity {Parity}, stop bits {StopBits} or flow control {FlowControl} is not a defined value",
                nameof(Parity));
        }

        CheckTimeout(portName, ReadTimeout, nameof(ReadTimeout));
        CheckTimeout(portName, WriteTimeout, nameof(WriteTimeout));
    }

    /// <summary>"115200 8N1, no flow control".</summary>
    public string Describe()
    {
        var parity = Parity switch
        {
            Parity.Even => 'E',
            Parity.Odd => 'O',
            _ => 'N',
        };
        var flow = FlowControl switch
        {
            FlowControl.RtsCts => "RTS/CTS flow control",
            FlowControl.XonXoff => "XON/XOFF flow control",
            _ => "no flow control",
        };
        return $"{BaudRate} {DataBits}{parity}{(StopBits == StopBits.Two ? 2 : 1)}, {flow}";
    }

    private static void CheckTimeout(string portName, TimeSpan value, string field)
    {
        if (value != Timeout.InfiniteTimeSpan && (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentException(
                $"{portName}: {field} {value} must be zero or more (and under 24 days), or Timeout.InfiniteTimeSpan",
                field);
        }
    }
}

/// <summary>What <see cref="SerialPort.Open"/> does besides configuring the line.</summary>
public sealed record SerialOpenOptions
{
    /// <summary>
    /// Take flock(LOCK_EX) and TIOCEXCL so a second run cannot share the bench. Only turn this off for a port
    /// that is meant to be shared, such as a sniffer's.
    /// </summary>
    public bool Exclusive { get; init; } = true;

    /// <summary>Throw away bytes that arrived before the port was opened (tcflush).</summary>
    public bool DiscardStaleInput { get; init; } = true;
}

/// <summary>Which of a port's buffers to throw away.</summary>
[Flags]
public enum SerialBuffers
{
    Input = 1,
    Output = 2,
    Both = Input | Output,
}
