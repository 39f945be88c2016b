using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Smki.Pki;

/// <summary>Reads back what <see cref="TestPki.WriteTo"/> writes, or any PEM certificates and PKCS#8 keys.</summary>
public static class PemFiles
{
    /// <summary>Every certificate in a PEM file, in file order (a LABEL.pem holds the certificate then its chain).</summary>
    public static IReadOnlyList<X509Certificate2> ReadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(File.ReadAllText(path));
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException($"{path}: not a PEM certificate file ({e.Message})", e);
        }

        return collection.Count > 0
            ? collection.ToList()
            : throw new CryptographicException($"{path}: no '-----BEGIN CERTIFICATE-----' block found");
    }

    /// <summary>The first certificate of <paramref name="certificatePath"/> joined to the PKCS#8 key of <paramref name="keyPath"/>.</summary>
    public static X509Certificate2 ReadWithKey(string certificatePath, string keyPath)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CryptographicException($"{certificatePath} with {keyPath}: cannot join the certificate to the key ({e.Message}); is the key the certificate's, as PKCS#8 PEM?", e);
        }
    }
}
