namespace SecDcc.Reports.Evidence;

/// <summary>The fixed file names of a pack and the rules for the relative paths its manifest may list.</summary>
public static class EvidencePaths
{
    public const string Manifest = "manifest.json";
    public const string Signature = "manifest.sig";
    public const string SignerCertificate = "signer.pem";

    /// <summary>Files that carry the seal rather than evidence; signer.pem is also listed in the manifest.</summary>
    public static bool IsSealFile(string relativePath) => relativePath is Manifest or Signature;

    /// <summary>
    /// A manifest path must stay inside the pack: relative, '/'-separated, with no empty, '.' or '..' segment,
    /// so that a forged manifest cannot make the verifier read files elsewhere on the machine.
    /// </summary>
    public static bool IsSafeRelative(string path) =>
        path.Length > 0
        && !path.StartsWith('/')
        && !path.Contains('\\')
        && !path.Contains('\0')
        && !System.IO.Path.IsPathRooted(path)
        && path.Split('/').All(segment => segment is not ("" or "." or ".."));

    public static string ToRelative(string root, string fullPath) =>
        System.IO.Path.GetRelativePath(root, fullPath).Replace(System.IO.Path.DirectorySeparatorChar, '/');

    public static string ToFull(string root, string relativePath) =>
        System.IO.Path.Combine(root, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));
}
