using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SecDcc.Dcc.Service.Hosting;

namespace SecDcc.Dcc.Service.Api;

/// <summary>Reading request bodies and turning refusals into RFC 7807 problem details that name the clause or field.</summary>
public static class Http
{
    private static readonly JsonSerializerOptions Json = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        DccServiceHost.Configure(o);
        return o;
    }

    /// <summary>A request body, or the problem (400 malformed JSON, 413 too large) to answer with.</summary>
    public readonly record struct Body<T>(T? Value, IResult? Problem);

    public static async Task<Body<T>> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, ct);
            return value is null
                ? new Body<T>(null, Invalid("(body)", "The request body is empty or null; send a JSON object."))
                : new Body<T>(value, null);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } p ? p : "(body)";
            return new Body<T>(null, Results.Problem(
                title: "Malformed JSON",
                detail: $"The request body is not valid JSON for this request at {where} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstLine(e.Message)}",
                statusCode: StatusCodes.Status400BadRequest,
                type: "urn:secdcc:problem:malformed-json",
                extensions: new Dictionary<string, object?> { ["field"] = where }));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new Body<T>(null, TooLarge(request));
        }
    }

    public static async Task<Body<string>> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var reader = new StreamReader(request.Body);
            return new Body<string>(await reader.ReadToEndAsync(ct), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new Body<string>(null, TooLarge(request));
        }
    }

    private static IResult TooLarge(HttpRequest request)
    {
        var limit = request.HttpContext.RequestServices.GetRequiredService<ServiceOptions>().MaxBodyBytes;
        return Results.Problem(
            title: "Request body too large",
            detail: $"The request body is larger than the {limit} bytes this DCC accepts; send a smaller request (split a batch) or start the DCC with a larger --max-body-bytes.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            type: "urn:secdcc:problem:body-too-large",
            extensions: new Dictionary<string, object?> { ["limit"] = limit });
    }

    public static IResult Invalid(string field, string message) => Refused(Refusal.InvalidField("JSON", field, message));

    /// <summary>A refusal as problem details: the status follows its kind; clause, code and field are extensions.</summary>
    public static ProblemHttpResult Refused(Refusal refusal) => TypedResults.Problem(
        title: $"Refused under {refusal.Clause}",
        detail: refusal.Message,
        statusCode: refusal.Kind switch
        {
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.NotPermitted => StatusCodes.Status403Forbidden,
            RefusalKind.Invalid => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status409Conflict,
        },
        type: $"urn:secdcc:refusal:{refusal.Code}",
        extensions: new Dictionary<string, object?> { ["clause"] = refusal.Clause, ["code"] = refusal.Code, ["field"] = refusal.Field });

    /// <summary>Success as 200 with <paramref name="map"/> applied, or the refusal as problem details.</summary>
    public static IResult From<T>(Outcome<T> outcome, Func<T, object> map) =>
        outcome.IsSuccess ? Results.Ok(map(outcome.Value)) : Refused(outcome.Refusal!);

    private static string FirstLine(string s) => s.Split('\n')[0];
}
