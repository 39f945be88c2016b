using System.Text.RegularExpressions;
using SecDcc.Duis;
using SecDcc.Duis.Messages;

namespace SecDcc.Dcc.Service.Duis;

/// <summary>
/// Why the DCC answered a DUIS request with an error: the DUIS response code, the clause or DUIS rule that refused it,
/// a stable reason code, the offending field, and a message that says what to change. It travels as the response's
/// signed diagnostic, "[clause] code (field f): message", which <see cref="TryParse"/> reads back (decision 1002).
/// </summary>
public sealed partial record DuisRejection(ResponseCode Code, string Clause, string Reason, string Message, string? Field = null)
{
    public string Diagnostic => $"[{Clause}] {Reason}{(Field is null ? "" : $" (field {Field})")}: {Message}";

    public override string ToString() => $"{Code.Value} {Diagnostic}";

    [GeneratedRegex(@"^\[(?<clause>[^\]]+)\] (?<reason>[^\s:(]+)(?: \(field (?<field>[^)]+)\))?: (?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex DiagnosticPattern();

    /// <summary>Reads a diagnostic written by <see cref="Diagnostic"/>; false for any other text.</summary>
    public static bool TryParse(ResponseCode code, string? diagnostic, out DuisRejection rejection)
    {
        rejection = null!;
        if (diagnostic is null || DiagnosticPattern().Match(diagnostic) is not { Success: true } m)
            return false;
        rejection = new DuisRejection(code, m.Groups["clause"].Value, m.Groups["reason"].Value, m.Groups["message"].Value,
            m.Groups["field"].Success ? m.Groups["field"].Value : null);
        return true;
    }

    // ---- the mapping (decision 1002) -------------------------------------------------------------------------

    private static readonly ResponseCode E1 = new("E1");
    private static readonly ResponseCode E2 = new("E2");
    private static readonly ResponseCode E4 = new("E4");
    private static readonly ResponseCode E5 = new("E5");
    private static readonly ResponseCode E11 = new("E11");
    private static readonly ResponseCode E12 = new("E12");
    private static readonly ResponseCode E13 = new("E13");
    private static readonly ResponseCode E17 = new("E17");
    private static readonly ResponseCode E19 = new("E19");
    private static readonly ResponseCode E20 = new("E20");

    /// <summary>A domain refusal: the DUIS code follows its kind; its clause, code and field travel unchanged.</summary>
    public static DuisRejection From(Refusal refusal) => new(refusal.Kind switch
    {
        RefusalKind.NotFound => E19,
        RefusalKind.NotPermitted => E4,
        RefusalKind.Invalid => E11,
        _ => E5,
    }, refusal.Clause, refusal.Code, refusal.Message, refusal.Field);

    /// <summary>The document is not a DUIS Service Request this endpoint takes (E13, failed validation).</summary>
    public static DuisRejection Document(DuisFailure failure, string message) =>
        new(E13, "DUIS-Schema", failure.ToString(), message);

    /// <summary>The signature does not authenticate a registered User (E1, failed authorisation).</summary>
    public static DuisRejection Signature(DuisFailure failure, string message) =>
        new(E1, "DUIS-Signature", failure.ToString(), message);

    public static DuisRejection Originator(string reason, string message) => new(E1, "DUIS-Originator", reason, message);

    public static DuisRejection Replay(string message) => new(E1, "DUIS-Replay", "CounterNotIncreasing", message, "RequestID");

    public static DuisRejection NotEligible(string message) => new(E2, "DUIS-RequestMatrix", "RoleNotEligible", message);

    public static DuisRejection CommandVariant(string message) => new(E12, "DUIS-CommandVariant", "CommandVariantNotAllowed", message, "CommandVariant");

    public static DuisRejection LocalDelivery(string message) => new(E17, "DUIS-CommandVariant", "LocalDeliveryNotOffered", message, "CommandVariant");

    public static DuisRejection OutOfScope(string reason, string message, string? field = null) => new(E13, "DUIS-Scope", reason, message, field);

    public static DuisRejection Target(string message) => new(E13, "DUIS-Target", "WrongTarget", message, "RequestID");

    public static DuisRejection SmWanUnavailable(string message) => new(E20, "SM-WAN", "SmWanNotAvailable", message);
}
