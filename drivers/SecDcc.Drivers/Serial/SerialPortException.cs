namespace SecDcc.Drivers.Serial;

/// <summary>What went wrong with a serial port, for callers that react differently to each.</summary>
public enum SerialError
{
    /// <summary>Something not listed below; the message names the call and the errno.</summary>
    IoError,

    /// <summary>The path does not exist (ENOENT, ENODEV, ENXIO): a wrong rig file or an unplugged adapter.</summary>
    NotFound,

    /// <summary>Another opener holds the port's lock, or it is open in exclusive mode (EBUSY, EWOULDBLOCK).</summary>
    Busy,

    /// <summary>The user may not open the device (EACCES, EPERM).</summary>
    PermissionDenied,

    /// <summary>The path is not a terminal device (ENOTTY), such as /dev/null or a plain file.</summary>
    NotATerminal,

    /// <summary>The line hung up: the other end of a pseudo-terminal closed, or the USB adapter went away.</summary>
    HungUp,

    /// <summary>The device driver did not accept the line settings asked for.</summary>
    SettingsRejected,
}

/// <summary>A serial port operation failed. The message names the port, the action and the errno with its meaning.</summary>
public sealed class SerialPortException : IOException
{
    public SerialPortException(SerialError error, string portName, string message, int errno = 0)
        : base(message)
    {
        Error = error;
        PortName = portName;
        Errno = errno;
    }

    public SerialError Error { get; }

    public string PortName { get; }

    /// <summary>The errno of the failing call, or 0 when the failure was not a failed call.</summary>
    public int Errno { get; }
}
