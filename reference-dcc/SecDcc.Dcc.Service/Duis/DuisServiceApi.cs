using System.Text;
using SecDcc.Duis;
using SecDcc.Duis.Xml;

namespace SecDcc.Dcc.Service.Duis;

/// <summary>
/// DCC Boxed's DUIS URLs: POST /api/v1/serviceS (every request) and /api/v1/serviceD (non-device requests). Each answers
/// 200 with a DUIS Response signed by the DCC, errors included: DUIS puts the outcome in ResponseCode, and the DCC's own
/// clients read a Response only from a 2xx answer (decision 1002).
/// </summary>
public static class DuisServiceApi
{
    public const string ContentType = "application/xml; charset=utf-8";

    public static IEndpointRouteBuilder MapDuisServiceApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1").WithTags("DUIS");
        g.MapPost("/serviceS", (HttpRequest req, DuisServiceEndpoint duis, CancellationToken ct) => ServeAsync(req, duis, DuisRoute.SendCommand, ct));
        g.MapPost("/serviceD", (HttpRequest req, DuisServiceEndpoint duis, CancellationToken ct) => ServeAsync(req, duis, DuisRoute.NonDevice, ct));
        return app;
    }

    private static async Task<IResult> ServeAsync(HttpRequest request, DuisServiceEndpoint duis, DuisRoute route, CancellationToken ct)
    {
        var limit = duis.LoadOptions.MaxBytes;
        byte[]? body;
        try
        {
            body = await ReadLimitedAsync(request.Body, limit, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        var answer = body is null
            ? duis.Refuse(DuisRejection.Document(DuisFailure.TooLarge,
                $"The request is larger than the {limit} bytes this DCC accepts; a DUIS Service Request in scope is a few kilobytes (start the DCC with a larger --max-body-bytes if yours must be bigger)."))
            : await duis.HandleAsync(body, route, ct);
        return Results.Text(answer.Xml, ContentType, Encoding.UTF8, StatusCodes.Status200OK);
    }

    /// <summary>The body, or null once it passes <paramref name="limit"/> bytes (the rest is not read).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Test mode: an endpoint that reads the body and answers a fixed XML document, on the same server and pipeline, so the
    /// DUIS benchmark can give its figures as a ratio to what the HTTP stack alone costs.
    /// </summary>
    public static IEndpointRouteBuilder MapBenchEmpty(this IEndpointRouteBuilder app)
    {
        app.MapPost("/bench/empty", async (HttpRequest req, DuisServiceEndpoint duis, CancellationToken ct) =>
        {
            await ReadLimitedAsync(req.Body, duis.LoadOptions.MaxBytes, ct);
            return Results.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><empty/>", ContentType, Encoding.UTF8, StatusCodes.Status200OK);
        }).WithTags("Bench");
        return app;
    }
}
