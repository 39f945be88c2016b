namespace SecDcc.Smki.TrustAnchors;

/// <summary>A cells or consents file is missing or wrong; <see cref="Problems"/> lists each as "path:line:column: what to fix".</summary>
public sealed class TrustAnchorDataException : Exception
{
    public TrustAnchorDataException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
