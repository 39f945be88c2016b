using System.Text;
using System.Xml;

namespace SecDcc.Duis.Xml;

/// <summary>Limits applied when a DUIS document is read from outside.</summary>
public sealed record DuisXmlLoadOptions
{
    /// <summary>
    /// Largest document accepted, in bytes (UTF-8). DUIS requests in scope are a few kilobytes; firmware
    /// updates (11.1) carry an image, so the default leaves room for those.
    /// </summary>
    public int MaxBytes { get; init; } = 8 * 1024 * 1024;

    public static DuisXmlLoadOptions Default { get; } = new();
}

/// <summary>
/// Loads DUIS XML safely: DTDs prohibited (the signing tool refuses them too), no external resolution,
/// a size limit, and whitespace preserved so that signatures verify over exactly what was received.
/// </summary>
public static class DuisXmlLoader
{
    public static XmlDocument Load(string xml, DuisXmlLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        options ??= DuisXmlLoadOptions.Default;
        var size = Encoding.UTF8.GetByteCount(xml);
        if (size > options.MaxBytes)
        {
            throw TooLarge(size, options.MaxBytes);
        }
        using var reader = new StringReader(xml);
        return LoadCore(settings => XmlReader.Create(reader, settings), () => xml, options);
    }

    public static XmlDocument Load(ReadOnlySpan<byte> utf8Xml, DuisXmlLoadOptions? options = null)
    {
        options ??= DuisXmlLoadOptions.Default;
        if (utf8Xml.Length > options.MaxBytes)
        {
            throw TooLarge(utf8Xml.Length, options.MaxBytes);
        }
        var bytes = utf8Xml.ToArray();
        // From bytes the XML reader itself decides the encoding (BOM, then the declaration), as a peer would.
        using var stream = new MemoryStream(bytes, writable: false);
        return LoadCore(settings => XmlReader.Create(stream, settings), () => Encoding.UTF8.GetString(bytes), options);
    }

    /// <summary>
    /// Reads at most <see cref="DuisXmlLoadOptions.MaxBytes"/> + 1 bytes from the stream, so an endless body
    /// cannot exhaust memory, then loads as above.
    /// </summary>
    public static async Task<XmlDocument> LoadAsync(Stream stream, DuisXmlLoadOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DuisXmlLoadOptions.Default;
        var bytes = await ReadLimitedAsync(stream, options.MaxBytes, cancellationToken).ConfigureAwait(false);
        return Load(bytes, options);
    }

    internal static async Task<byte[]> ReadLimitedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(buffer.Length + read, maxBytes, atLeast: true);
            }
            buffer.Write(chunk, 0, read);
        }
    }

    private static XmlDocument LoadCore(Func<XmlReaderSettings, XmlReader> open, Func<string> originalText, DuisXmlLoadOptions options)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = options.MaxBytes,
            IgnoreWhitespace = false,
            IgnoreComments = false,
            CloseInput = false,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = open(settings);
            document.Load(reader);
        }
        catch (XmlException ex)
        {
            if (HasDoctype(originalText()))
            {
                throw new DuisException(DuisFailure.DtdPresent,
                    "The document has a DOCTYPE declaration. DUIS documents never carry a DTD and it is refused " +
                    "(it would allow entity expansion and external entity attacks); remove the <!DOCTYPE …>.", ex);
            }
            throw new DuisException(DuisFailure.NotWellFormed,
                $"The document is not well-formed XML: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // An XML declaration naming an encoding .NET does not know surfaces as ArgumentException, not XmlException.
            throw new DuisException(DuisFailure.NotWellFormed,
                $"The document's XML declaration is not usable: {ex.Message} DUIS documents are UTF-8.", ex);
        }
        if (document.DocumentElement is null)
        {
            throw new DuisException(DuisFailure.NotWellFormed, "The document has no root element.");
        }
        return document;
    }

    /// <summary>
    /// A DOCTYPE can only appear in the prolog, after the XML declaration, comments and processing
    /// instructions; scanning the prolog tells a DTD refusal apart from any other parse error.
    /// </summary>
    internal static bool HasDoctype(string text)
    {
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            i++;
        }
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            if (string.CompareOrdinal(text, i, "<?", 0, 2) == 0)
            {
                var end = text.IndexOf("?>", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return false;
                }
                i = end + 2;
                continue;
            }
            if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
            {
                var end = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (end < 0)
                {
                    return false;
                }
                i = end + 3;
                continue;
            }
            return string.Compare(text, i, "<!DOCTYPE", 0, 9, StringComparison.OrdinalIgnoreCase) == 0;
        }
        return false;
    }

    private static DuisException TooLarge(long size, int max, bool atLeast = false) =>
        new(DuisFailure.TooLarge,
            $"The document is {(atLeast ? "at least " : string.Empty)}{size} bytes, over the limit of {max} bytes; " +
            $"raise {nameof(DuisXmlLoadOptions)}.{nameof(DuisXmlLoadOptions.MaxBytes)} if such documents are expected.");

    /// <summary>Checks that the root element is the named element in the ServiceUserGateway namespace.</summary>
    public static void RequireRoot(XmlDocument document, params string[] allowedLocalNames)
    {
        var root = document.DocumentElement!;
        if (root.NamespaceURI != DuisNames.ServiceUserGatewayNamespace || Array.IndexOf(allowedLocalNames, root.LocalName) < 0)
        {
            throw new DuisException(DuisFailure.WrongRoot,
                $"The root element is {{{root.NamespaceURI}}}{root.LocalName}; expected " +
                string.Join(" or ", allowedLocalNames.Select(n => $"{{{DuisNames.ServiceUserGatewayNamespace}}}{n}")) + ".");
        }
    }
}
