namespace SecDcc.Dcc.Inventory;

/// <summary>An MPAN (electricity, 13-digit core) or an MPRN (gas, 6 to 10 digits).</summary>
public readonly record struct Mpxn(string Value, bool IsGas)
{
    public static bool TryParseMpan(string? text, out Mpxn mpan, out string? error)
    {
        mpan = default;
        if (text is null || text.Length != 13 || !text.All(char.IsAsciiDigit))
        {
            error = $"MPAN '{text}' is not a core MPAN: expected exactly 13 digits.";
            return false;
        }
        mpan = new Mpxn(text, IsGas: false);
        error = null;
        return true;
    }

    public static bool TryParseMprn(string? text, out Mpxn mprn, out string? error)
    {
        mprn = default;
        if (text is null || text.Length is < 6 or > 10 || !text.All(char.IsAsciiDigit))
        {
            error = $"MPRN '{text}' is not an MPRN: expected 6 to 10 digits.";
            return false;
        }
        mprn = new Mpxn(text, IsGas: true);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}
