using System.Net;
using System.Text;
using System.Text.Json;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Support;

/// <summary>
/// One exchange with the DCC's HTTP API: opens a nested step named after it, attaches the request and the response
/// as evidence, turns problem details into <see cref="DccRefusal"/>, and turns a DCC that did not answer (or a route
/// it does not offer) into a rig fault, never into a verdict on the product.
/// </summary>
public sealed class DccHttp(HttpClient http, IDccTarget target, ScenarioContext context)
{
    private const string Json = "application/json";

    public Task<DccReply<T>> SendJsonAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct) =>
        SendAsync<T>(method, path, body is null ? null : JsonSerializer.Serialize(body, TransportJson.Options), Json, ct);

    public async Task<DccReply<T>> SendAsync<T>(HttpMethod method, string path, string? body, string mediaType, CancellationToken ct)
    {
        var name = $"{method} /{path}";
        using var step = OpenStep(name);
        if (body is not null) context.Attach("request " + name, body, mediaType);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, ct);
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(name, e.Message, e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw Unavailable(name, $"no answer within {http.Timeout.TotalSeconds:0} s", e);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var contentType = response.Content.Headers.ContentType?.MediaType ?? "text/plain";
            // Problem details are JSON; attached as such so the report opens them as JSON rather than as a download.
            var evidenceType = text.Length == 0 ? "text/plain" : contentType.EndsWith("+json", StringComparison.Ordinal) ? "application/json" : contentType;
            context.Attach($"response {status} {name}", text.Length == 0 ? $"(empty body, status {status})" : text, evidenceType);
            if (response.IsSuccessStatusCode)
                return new DccReply<T>(Read<T>(text, name), null, name);
            var refusal = ReadProblem(status, text, contentType);
            if (refusal is null)
                throw new DccUnavailableException(
                    $"{target.Description} answered {name} with {status} {response.ReasonPhrase} and no problem details: it does not offer this API " +
                    "(is it started with --test-mode, and is it a SecDcc-compatible DCC?). Body: " + Truncate(text));
            return new DccReply<T>(default, refusal, name);
        }
    }

    private SubStep? OpenStep(string name)
    {
        try
        {
            return context.Step(name);
        }
        catch (InvalidOperationException)
        {
            // Outside a running step (a hook with no step record) the evidence goes on the scenario itself.
            return null;
        }
    }

    private static T Read<T>(string text, string name)
    {
        if (typeof(T) == typeof(Done)) return (T)(object)new Done();
        try
        {
            return JsonSerializer.Deserialize<T>(text, TransportJson.Options)
                   ?? throw new JsonException("the body is null");
        }
        catch (JsonException e)
        {
            throw new DccProtocolException($"The DCC's answer to {name} is not the JSON the suite expects for {typeof(T).Name}: {e.Message}. Body: {Truncate(text)}");
        }
    }

    private static DccRefusal? ReadProblem(int status, string text, string contentType)
    {
        if (!contentType.Contains("json", StringComparison.OrdinalIgnoreCase) || text.Length == 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            string? Str(string n) => root.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var clause = Str("clause");
            // A bare 404/405 from routing carries no clause: the DCC does not offer the endpoint at all.
            if (clause is null && status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.MethodNotAllowed) return null;
            return new DccRefusal(status, clause, Str("code"), Str("field"), Str("title") ?? "", Str("detail") ?? "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Exception Unavailable(string name, string what, Exception inner)
    {
        var explanation = target.ExplainUnavailable();
        return new DccUnavailableException(
            $"{name} to {target.Description} failed: {what}." + (explanation is null ? " The DCC may have stopped or be unreachable." : " " + explanation), inner);
    }

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500] + "…";
}

/// <summary>The DCC answered with something the suite cannot read: a defect of the DCC's API, so a product defect.</summary>
public sealed class DccProtocolException(string message) : NUnit.Framework.AssertionException(message);
