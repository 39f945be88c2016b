using System.Xml.Linq;

namespace SecDcc.Duis.Messages;

/// <summary>The content of a request's Body: one element, whose name and content the XSD fixes per SRV.</summary>
public interface IDuisRequestBody
{
    /// <summary>The SRV this body belongs to, e.g. "8.7.1".</summary>
    string ServiceReferenceVariant { get; }

    /// <summary>The Body's child element, in schema order.</summary>
    XElement ToXml();
}

/// <summary>A body of an SRV this library has no typed model for; kept as received.</summary>
public sealed record RawRequestBody(string ServiceReferenceVariant, XElement Element) : IDuisRequestBody
{
    public XElement ToXml() => new(Element);
}
