namespace SecDcc.Dcc.Service.Api;

/// <summary>Liveness and readiness, in every environment, so the service can be waited on in CI and containers.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/health").WithTags("Health");
        g.MapGet("/live", () => Results.Ok(new { status = "live" }));
        g.MapGet("/ready", async (ReferenceDcc dcc, Wan.WanGatewayInfo wan, CancellationToken ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                var migrations = await dcc.Store.AppliedMigrationsAsync(timeout.Token);
                return Results.Ok(new { status = "ready", store = dcc.Store.Kind, schemaVersion = migrations.Count == 0 ? 0 : migrations[^1].Version, now = dcc.Clock.UtcNow, wan = wan.Describe() });
            }
            catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or TimeoutException)
            {
                return Results.Problem(title: "Not ready", detail: $"The {dcc.Store.Kind} store did not answer: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }
}
