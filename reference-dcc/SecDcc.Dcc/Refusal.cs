namespace SecDcc.Dcc;

/// <summary>How a refusal maps onto the caller's world (an HTTP status, a DUIS response code).</summary>
public enum RefusalKind
{
    /// <summary>The request names something the DCC does not hold (e.g. a Device not in the SMI).</summary>
    NotFound,
    /// <summary>The acting party may not make this request (e.g. not the Responsible Supplier).</summary>
    NotPermitted,
    /// <summary>The request is well formed but the clause forbids it in the present state.</summary>
    Conflict,
    /// <summary>A field of the request is missing or malformed.</summary>
    Invalid,
}

/// <summary>
/// Why the DCC refused a request or event: the clause that refuses it, a stable code, and a message that says
/// what was wrong and what would make it acceptable. <see cref="Field"/> names the offending input field, if one.
/// </summary>
public sealed record Refusal(string Clause, string Code, string Message, RefusalKind Kind = RefusalKind.Conflict, string? Field = null)
{
    public override string ToString() => $"[{Clause}] {Code}: {Message}";

    public static Refusal NotInSmi(string clause, Inventory.DeviceId id, string role = "Device") =>
        new(clause, "DeviceNotInSmi", $"{role} {id} is not listed in the Smart Metering Inventory; add it first (AC 2.6 / Device Pre-notification).", RefusalKind.NotFound);

    public static Refusal InvalidField(string clause, string field, string message) =>
        new(clause, "InvalidField", message, RefusalKind.Invalid, field);
}

/// <summary>The result of a request or event: success with a value, or a <see cref="Refusal"/>. Nothing changes on refusal.</summary>
public readonly struct Outcome<T>
{
    private readonly T? _value;

    private Outcome(T? value, Refusal? refusal)
    {
        _value = value;
        Refusal = refusal;
    }

    public Refusal? Refusal { get; }
    public bool IsSuccess => Refusal is null;

    /// <summary>The value of a success; reading it from a refusal is a programming error.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The request was refused, so it has no value: {Refusal}");

    public static Outcome<T> Success(T value) => new(value, null);
    public static Outcome<T> Refused(Refusal refusal) => new(default, refusal);

    public static implicit operator Outcome<T>(Refusal refusal) => Refused(refusal);
    public static implicit operator Outcome<T>(T value) => Success(value);

    public override string ToString() => IsSuccess ? $"Success: {_value}" : $"Refused: {Refusal}";
}

/// <summary>Helpers for outcomes without a value.</summary>
public readonly record struct Done
{
    public static readonly Done Value = default;
}
