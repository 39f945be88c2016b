using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Service.Api;

/// <summary>The notification outbox: ED/GT notices, Responsible Supplier notices, CPA expiry notices, PPC results.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/notifications", async (long? after, int? limit, string? recipient, ReferenceDcc dcc, CancellationToken ct) =>
        {
            PartyId? party = null;
            if (recipient is not null)
            {
                if (!PartyId.TryParse(recipient, out var p, out var error))
                    return Http.Invalid("recipient", error!);
                party = p;
            }
            var notices = await dcc.Notifications.ReadAsync(after ?? 0, limit ?? 1000, party, ct);
            return Results.Ok(notices.Select(Wire.View));
        }).WithTags("Notifications");
        return app;
    }
}
