namespace SecDcc.Smki.Certificates;

/// <summary>A certificate does not have the SMKI shape a reader expected; the message says which part and why.</summary>
public sealed class SmkiCertificateException : Exception
{
    public SmkiCertificateException(string message)
        : base(message)
    {
    }

    public SmkiCertificateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
