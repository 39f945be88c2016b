namespace SecDcc.Rigs.Bench;

/// <summary>
/// The bench, not the product, is at fault: a relay line that is not there, a port that does not open, a probe
/// that sees nothing. A scenario reports it as a rig fault, so it never reads as a verdict on the devices.
/// </summary>
public sealed class BenchFaultException : Exception
{
    public BenchFaultException(string message)
        : base(message)
    {
    }

    public BenchFaultException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
