using System.Xml.Linq;
using SecDcc.Duis;
using SecDcc.Duis.Messages;

namespace SecDcc.Dcc.Tests.Duis.Support;

/// <summary>
/// A request template of @smartdcc/duis-templates, re-targeted at the test's own Devices and counters before the DCC's
/// signing tool signs it. Edits go by element name, so the template's structure stays as the DCC wrote it.
/// </summary>
public sealed class DuisTemplate
{
    private readonly XDocument _document;

    private DuisTemplate(string name, XDocument document)
    {
        Name = name;
        _document = document;
    }

    public string Name { get; }

    public static DuisTemplate Load(string templatesDirectory, string fileName) =>
        new(fileName, XDocument.Load(Path.Combine(templatesDirectory, fileName), LoadOptions.None));

    public RequestId RequestId => RequestId.Parse(Value("RequestID"));

    public string Srv => Value("ServiceReferenceVariant");

    /// <summary>Sets the RequestID: originator (kept unless given), target and counter.</summary>
    public DuisTemplate Address(Eui64 target, ulong counter, Eui64? originator = null)
    {
        Set("RequestID", new RequestId(originator ?? RequestId.Originator, target, counter).ToString());
        return this;
    }

    /// <summary>Sets the text of the first element with this local name.</summary>
    public DuisTemplate Set(string element, string value)
    {
        Element(element).Value = value;
        return this;
    }

    public DuisTemplate Remove(string element)
    {
        foreach (var e in _document.Descendants(DuisNames.Sr + element).ToList())
            e.Remove();
        return this;
    }

    /// <summary>Replaces the first element with this local name by new content (same namespace).</summary>
    public DuisTemplate Replace(string element, XElement replacement)
    {
        Element(element).ReplaceWith(replacement);
        return this;
    }

    /// <summary>Adds an element right after the first element with this local name.</summary>
    public DuisTemplate InsertAfter(string element, XElement next)
    {
        Element(element).AddAfterSelf(next);
        return this;
    }

    public string Value(string element) => Element(element).Value.Trim();

    private XElement Element(string name) =>
        _document.Descendants(DuisNames.Sr + name).FirstOrDefault()
        ?? throw new InvalidOperationException($"Template {Name} has no {name} element.");

    /// <summary>The edited document, still carrying the template's placeholder signature, which the tool drops when it signs.</summary>
    public string ToXml() => _document.Declaration + _document.ToString(SaveOptions.DisableFormatting);

    public static XElement Sr(string name, params object[] content) => new(DuisNames.Sr + name, content);
}
