using System.Globalization;
using System.Text;

namespace SecDcc.Scenarios;

/// <summary>Turns step text into the parameter types bindings ask for, with errors that name the value and the type.</summary>
public static class ValueConverter
{
    public static object? Convert(string value, Type target, string what = "argument")
    {
        var underlying = Nullable.GetUnderlyingType(target);
        if (underlying is not null)
        {
            if (value.Length == 0 || value.Equals("none", StringComparison.OrdinalIgnoreCase) || value.Equals("null", StringComparison.OrdinalIgnoreCase))
                return null;
            target = underlying;
        }

        try
        {
            if (target == typeof(string)) return value;
            if (target.IsEnum) return ParseEnum(value, target, what);
            if (target == typeof(bool)) return ParseBool(value);
            if (target == typeof(Guid)) return Guid.Parse(value);
            if (target == typeof(TimeSpan)) return TimeSpan.Parse(value, CultureInfo.InvariantCulture);
            if (target == typeof(DateTimeOffset)) return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if (target == typeof(DateTime)) return DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            if (target == typeof(DateOnly)) return DateOnly.Parse(value, CultureInfo.InvariantCulture);
            if (typeof(IConvertible).IsAssignableFrom(target))
                return System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
            var parse = target.GetMethod("Parse", [typeof(string)]);
            if (parse is not null && parse.IsStatic && parse.ReturnType == target)
                return parse.Invoke(null, [value]);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException or ArgumentException
                                       or System.Reflection.TargetInvocationException)
        {
            throw new StepArgumentException($"Cannot read {what} \"{value}\" as {target.Name}: {(e.InnerException ?? e).Message}", e);
        }
        throw new StepArgumentException($"No conversion from text to {target.Name} for {what}; add a [StepArgumentTransformation] method returning {target.Name}.");
    }

    /// <summary>Lower-case letters and digits only, so "installed not commissioned" equals InstalledNotCommissioned.</summary>
    public static string Normalise(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }

    private static object ParseEnum(string value, Type enumType, string what)
    {
        var wanted = Normalise(value);
        foreach (var name in Enum.GetNames(enumType))
            if (Normalise(name) == wanted)
                return Enum.Parse(enumType, name);
        throw new StepArgumentException(
            $"Cannot read {what} \"{value}\" as {enumType.Name}: expected one of {string.Join(", ", Enum.GetNames(enumType).Select(Words))}.");
    }

    private static bool ParseBool(string value) => Normalise(value) switch
    {
        "true" or "yes" or "y" or "on" => true,
        "false" or "no" or "n" or "off" => false,
        _ => throw new FormatException("expected true/false or yes/no"),
    };

    /// <summary>InstalledNotCommissioned → "installed not commissioned", for messages and snippets.</summary>
    public static string Words(string pascal)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1])) sb.Append(' ');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
