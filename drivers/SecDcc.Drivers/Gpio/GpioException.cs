namespace SecDcc.Drivers.Gpio;

/// <summary>What went wrong with a GPIO backend, for callers that react differently to each.</summary>
public enum GpioError
{
    /// <summary>Something not listed below; the message names the action and the errno.</summary>
    IoError,

    /// <summary>
    /// The backend cannot be had on this machine: no GPIO character device, no such serial port. Probing
    /// (<see cref="GpioBackends.OpenFirstAvailable"/>) moves on to the next backend on this error only.
    /// </summary>
    NotAvailable,

    /// <summary>The user may not open the device (EACCES, EPERM).</summary>
    PermissionDenied,

    /// <summary>Someone else holds the line or the device (EBUSY).</summary>
    Busy,

    /// <summary>The backend cannot do what was asked (a bias on a relay module, edges on a relay).</summary>
    Unsupported,

    /// <summary>A USB GPIO/relay module did not answer, or answered something that is not its dialect.</summary>
    ModuleNotResponding,

    /// <summary>A USB GPIO/relay module answered, but not as its dialect says.</summary>
    ProtocolError,
}

/// <summary>A GPIO backend failed. The message names the line, the action and, for a failed call, the errno with its meaning.</summary>
public sealed class GpioException : IOException
{
    public GpioException(GpioError error, string message, int errno = 0, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        Errno = errno;
    }

    public GpioError Error { get; }

    /// <summary>The errno of the failing call, or 0 when the failure was not a failed call.</summary>
    public int Errno { get; }
}
