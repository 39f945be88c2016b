using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace SecDcc.Duis.Messages;

/// <summary>
/// Reads the child elements of a DUIS element in schema order, so that a missing, misplaced or unknown
/// element is reported by name rather than silently skipped.
/// </summary>
internal sealed class SequenceReader
{
    private readonly XElement _parent;
    private readonly List<XElement> _children;
    private int _next;

    public SequenceReader(XElement parent)
    {
        _parent = parent;
        _children = parent.Elements().ToList();
        foreach (var child in _children)
        {
            if (child.Name.Namespace != DuisNames.Sr)
            {
                throw Violation($"{Path(parent)} contains {child.Name}, which is not in the ServiceUserGateway namespace.");
            }
        }
    }

    public XElement? Optional(string name)
    {
        if (_next < _children.Count && _children[_next].Name.LocalName == name)
        {
            return _children[_next++];
        }
        return null;
    }

    public XElement Required(string name) => Optional(name) ?? throw Violation(
        $"{Path(_parent)}: expected element {name}" +
        (_next < _children.Count ? $" but found {_children[_next].Name.LocalName}." : " but the element ends there."));

    public XElement? OptionalChoice(params string[] names)
    {
        if (_next < _children.Count && Array.IndexOf(names, _children[_next].Name.LocalName) >= 0)
        {
            return _children[_next++];
        }
        return null;
    }

    public XElement RequiredChoice(params string[] names) => OptionalChoice(names) ?? throw Violation(
        $"{Path(_parent)}: expected one of {string.Join(", ", names)}" +
        (_next < _children.Count ? $" but found {_children[_next].Name.LocalName}." : " but the element ends there."));

    public List<XElement> Many(string name, int min, int max)
    {
        var found = new List<XElement>();
        while (Optional(name) is { } e)
        {
            found.Add(e);
        }
        if (found.Count < min || found.Count > max)
        {
            throw Violation($"{Path(_parent)}: {name} occurs {found.Count} time(s); the schema allows {min} to {max}.");
        }
        return found;
    }

    public string? OptionalText(string name) => Optional(name)?.Value;

    public string RequiredText(string name) => Required(name).Value;

    public void End()
    {
        if (_next < _children.Count)
        {
            throw Violation($"{Path(_parent)}: element {_children[_next].Name.LocalName} is not allowed here.");
        }
    }

    internal static DuisException Violation(string message) => new(DuisFailure.SchemaViolation, message);

    internal static string Path(XElement element) =>
        string.Join("/", element.AncestorsAndSelf().Reverse().Select(e => e.Name.LocalName));
}

/// <summary>Typed reads of DUIS simple values, with errors that name the element.</summary>
internal static class XmlValue
{
    public static Eui64 Eui(XElement e) =>
        Eui64.TryParse(e.Value.Trim(), out var eui, out var why) ? eui : throw Invalid(e, why);

    public static RequestId RequestId(XElement e) =>
        Messages.RequestId.TryParse(e.Value, out var id, out var why) ? id : throw Invalid(e, why);

    public static T Enum<T>(XElement e) where T : struct, System.Enum =>
        DuisEnumText.TryParse<T>(e.Value, out var v) ? v
            : throw Invalid(e, $"'{e.Value}' is not one of {string.Join(", ", DuisEnumText.Texts<T>())}.");

    public static bool Bool(XElement e) => e.Value.Trim() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        var other => throw Invalid(e, $"'{other}' is not an xs:boolean (true, false, 1, 0)."),
    };

    public static int Int(XElement e) =>
        int.TryParse(e.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v
            : throw Invalid(e, $"'{e.Value}' is not an integer.");

    public static ulong ULong(XElement e) =>
        ulong.TryParse(e.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw Invalid(e, $"'{e.Value}' is not a non-negative integer.");

    public static DateTimeOffset DateTime(XElement e)
    {
        try
        {
            return XmlConvert.ToDateTimeOffset(e.Value.Trim());
        }
        catch (FormatException ex)
        {
            throw Invalid(e, $"'{e.Value}' is not an xs:dateTime ({ex.Message}).");
        }
    }

    public static DateOnly Date(XElement e) =>
        DateOnly.TryParseExact(e.Value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : throw Invalid(e, $"'{e.Value}' is not an xs:date (yyyy-MM-dd).");

    public static byte[] Base64(XElement e)
    {
        try
        {
            return Convert.FromBase64String(e.Value);
        }
        catch (FormatException)
        {
            throw Invalid(e, "the content is not base64.");
        }
    }

    public static byte[] Hex(XElement e)
    {
        try
        {
            return Convert.FromHexString(e.Value.Trim());
        }
        catch (FormatException)
        {
            throw Invalid(e, $"'{e.Value}' is not hexBinary.");
        }
    }

    public static DuisException Invalid(XElement e, string why) =>
        new(DuisFailure.InvalidValue, $"{SequenceReader.Path(e)}: {why}");
}

/// <summary>Writes DUIS elements with the 'sr' names the templates use.</summary>
internal static class XmlWrite
{
    public static XElement E(string name, params object?[] content) => new(DuisNames.Sr + name, content.Where(c => c is not null));

    /// <summary>An element when the value is present, nothing otherwise (optional elements).</summary>
    public static XElement? Opt(string name, object? value) => value is null ? null : E(name, Text(value));

    public static object Text(object value) => value switch
    {
        Eui64 eui => eui.ToString(),
        RequestId id => id.ToString(),
        bool b => b ? "true" : "false",
        DateTimeOffset dt => XmlConvert.ToString(dt, "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz").Replace("+00:00", "Z", StringComparison.Ordinal),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value,
    };

    public static string Enum<T>(T value) where T : struct, System.Enum => DuisEnumText.ToText(value);
}
