using System.Xml;
using System.Xml.Linq;
using SecDcc.Duis;
using SecDcc.Duis.Messages;

namespace SecDcc.Dcc.Service.Duis;

/// <summary>
/// Holds a received request to exactly the structure of what was read from it. SecDcc.Duis reads a simple value with
/// XElement.Value, which flattens any elements nested inside it (so &lt;DeviceID&gt;&lt;x&gt;00-…&lt;/x&gt;&lt;/DeviceID&gt; reads as a Device ID),
/// and it ignores text between elements. The endpoint therefore writes the parsed request back out and refuses the
/// request if its element tree, attributes or placement of text differ from that (decision 1000).
/// </summary>
public static class StructureCheck
{
    /// <summary>Null when the received document has the structure of <paramref name="parsed"/>; otherwise what differs.</summary>
    public static string? Compare(XmlDocument received, DuisRequest parsed)
    {
        var expected = parsed.ToXDocument().Root!;
        var actual = XElement.Parse(received.DocumentElement!.OuterXml, LoadOptions.PreserveWhitespace);
        actual.Elements(DuisNames.Ds + "Signature").Remove();
        return Compare(actual, expected);
    }

    private static string? Compare(XElement actual, XElement expected)
    {
        var path = string.Join("/", actual.AncestorsAndSelf().Reverse().Select(e => e.Name.LocalName));
        if (actual.Name != expected.Name)
            return $"{path}: found {actual.Name}, where the schema has {expected.Name}.";
        var attributes = Attributes(actual);
        if (!attributes.SequenceEqual(Attributes(expected)))
            return $"{path}: attributes [{string.Join(", ", attributes)}] are not allowed here (the schema has [{string.Join(", ", Attributes(expected))}]).";
        var actualChildren = actual.Elements().ToList();
        var expectedChildren = expected.Elements().ToList();
        if (expectedChildren.Count == 0)
            return actualChildren.Count == 0 ? null : $"{path} holds a simple value, but contains element {actualChildren[0].Name.LocalName}.";
        if (actual.Nodes().OfType<XText>().FirstOrDefault(t => !string.IsNullOrWhiteSpace(t.Value)) is { } text)
            return $"{path} holds only elements, but contains the text '{Excerpt(text.Value)}'.";
        if (actualChildren.Count != expectedChildren.Count)
            return $"{path} has {actualChildren.Count} child elements where the request read from it has {expectedChildren.Count}.";
        for (var i = 0; i < actualChildren.Count; i++)
            if (Compare(actualChildren[i], expectedChildren[i]) is { } difference)
                return difference;
        return null;
    }

    private static List<XName> Attributes(XElement e) => e.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => a.Name).OrderBy(n => n.ToString()).ToList();

    private static string Excerpt(string s) => s.Trim() is { Length: > 40 } t ? t[..40] + "…" : s.Trim();
}
