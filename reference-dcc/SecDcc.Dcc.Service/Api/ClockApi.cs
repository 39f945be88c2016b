using System.Globalization;
using System.Xml;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc.Service.Api;

public sealed record ClockMoveDto(string? By, string? To);

/// <summary>The virtual clock, mapped only when the DCC runs in test mode. Moving it runs the duties that fell due.</summary>
public static class ClockApi
{
    public static IEndpointRouteBuilder MapClockApi(this IEndpointRouteBuilder app, VirtualClock clock)
    {
        var g = app.MapGroup("/clock").WithTags("Clock");
        g.MapGet("/", () => Results.Ok(new { now = clock.UtcNow, virtualClock = true }));

        g.MapPost("/advance", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<ClockMoveDto>(req, ct, async (dto, _) =>
        {
            if (!TryDuration(dto.By, out var by))
                return Http.Invalid("by", $"by '{dto.By}' is not a positive duration: use ISO 8601 (P30D, PT24H) or d.hh:mm:ss.");
            clock.Advance(by);
            return Results.Ok(new { now = clock.UtcNow, duties = await dcc.Duties.RunDueAsync(ct) });
        }));

        g.MapPost("/set", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<ClockMoveDto>(req, ct, async (dto, _) =>
        {
            if (!DateTimeOffset.TryParse(dto.To, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var to))
                return Http.Invalid("to", $"to '{dto.To}' is not an ISO 8601 instant.");
            if (to < clock.UtcNow)
                return Http.Invalid("to", $"The virtual clock only moves forward; it reads {clock.UtcNow:O}.");
            clock.Set(to);
            return Results.Ok(new { now = clock.UtcNow, duties = await dcc.Duties.RunDueAsync(ct) });
        }));

        g.MapPost("/run-duties", async (ReferenceDcc dcc, CancellationToken ct) => Results.Ok(await dcc.Duties.RunDueAsync(ct)));
        return app;
    }

    private static bool TryDuration(string? text, out TimeSpan span)
    {
        span = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        try
        {
            span = text.StartsWith('P') ? XmlConvert.ToTimeSpan(text) : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
        return span > TimeSpan.Zero;
    }
}
