namespace SecDcc.Drivers.Optical;

/// <summary>What went wrong in an optical readout, for callers that react differently to each.</summary>
public enum OpticalError
{
    /// <summary>Nothing came back to the sign-on: the probe, its cable or the port is at fault, not the meter's conformance.</summary>
    NoAnswer,

    /// <summary>The meter answered the sign-on with something that is not an identification message.</summary>
    MalformedIdentification,

    /// <summary>The meter offered a mode this reader does not speak (only mode C is implemented).</summary>
    UnsupportedMode,

    /// <summary>The data block's BCC did not match, or it did not start with STX: bytes were garbled on the way.</summary>
    Garbled,

    /// <summary>The meter stopped sending in the middle of the data block.</summary>
    TimedOutMidBlock,

    /// <summary>The data block arrived intact but a data line in it is not data sets.</summary>
    MalformedData,
}

/// <summary>An optical readout failed. The message names the port, the baud rate and what was received.</summary>
public sealed class OpticalReadoutException(OpticalError error, string port, string message, Exception? inner = null)
    : IOException(message, inner)
{
    public OpticalError Error { get; } = error;

    public string Port { get; } = port;
}
