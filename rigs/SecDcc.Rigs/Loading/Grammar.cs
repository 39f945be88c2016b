namespace SecDcc.Rigs.Loading;

internal static class Grammar
{
    /// <summary>"an ESME", "a GSME": device type names are read letter by letter.</summary>
    public static string A(object? name)
    {
        var text = name?.ToString() ?? string.Empty;
        return (text.Length > 0 && "AEFHILMNORSX".Contains(char.ToUpperInvariant(text[0])) ? "an " : "a ") + text;
    }
}
