using System.Globalization;

namespace SecDcc.Duis.Messages;

/// <summary>
/// A DUIS RequestID (also the form of ResponseID): originator EUI-64, target EUI-64 and a counter
/// (xs:unsignedLong), e.g. 90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000.
/// </summary>
public readonly record struct RequestId(Eui64 Originator, Eui64 Target, ulong Counter)
{
    public static RequestId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    public static bool TryParse(string? text, out RequestId id, out string error)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "RequestID is empty; expected originator:target:counter, e.g. 90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000.";
            return false;
        }
        var parts = text.Trim().Split(':');
        if (parts.Length != 3)
        {
            error = $"RequestID '{text}' has {parts.Length} part(s) separated by ':'; expected three: originator EUI-64, target EUI-64, counter.";
            return false;
        }
        if (!Eui64.TryParse(parts[0], out var originator, out var why))
        {
            error = $"RequestID '{text}': the originator is not an EUI-64. {why}";
            return false;
        }
        if (!Eui64.TryParse(parts[1], out var target, out why))
        {
            error = $"RequestID '{text}': the target is not an EUI-64. {why}";
            return false;
        }
        // The XSD pattern allows no sign, no leading zeros (except "0") and nothing above 2^64-1.
        var counterText = parts[2];
        if (counterText.Length == 0 || counterText.Any(c => c is < '0' or > '9') || (counterText.Length > 1 && counterText[0] == '0'))
        {
            error = $"RequestID '{text}': the counter '{counterText}' is not a decimal integer without sign or leading zeros.";
            return false;
        }
        if (!ulong.TryParse(counterText, NumberStyles.None, CultureInfo.InvariantCulture, out var counter))
        {
            error = $"RequestID '{text}': the counter '{counterText}' is above {ulong.MaxValue} (an unsigned 64-bit integer).";
            return false;
        }
        id = new RequestId(originator, target, counter);
        error = string.Empty;
        return true;
    }

    public override string ToString() => $"{Originator}:{Target}:{Counter.ToString(CultureInfo.InvariantCulture)}";
}
