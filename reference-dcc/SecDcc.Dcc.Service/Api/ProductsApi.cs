using SecDcc.Dcc.Products;

namespace SecDcc.Dcc.Service.Api;

/// <summary>The product lists over JSON: the Panel-signed CPL, the EPC and PPC, and the DPL.</summary>
public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/products").WithTags("Products");

        g.MapPost("/cpl", async (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var body = await Http.ReadTextAsync(req, ct);
            if (body.Problem is not null)
                return body.Problem;
            return Http.From(await dcc.Products.ReceiveCplAsync(body.Value!, ct), d => d);
        });

        g.MapGet("/cpl", async (ReferenceDcc dcc, CancellationToken ct) =>
            Results.Ok(new { document = await dcc.Products.LatestCplAsync(ct), entries = await dcc.Products.CplEntriesAsync(ct) }));

        g.MapGet("/epc", async (ReferenceDcc dcc, CancellationToken ct) => Results.Ok((await dcc.Products.CombinationsAsync(CombinationList.EPC, ct)).Select(Wire.View)));
        g.MapGet("/ppc", async (ReferenceDcc dcc, CancellationToken ct) => Results.Ok((await dcc.Products.CombinationsAsync(CombinationList.PPC, ct)).Select(Wire.View)));

        g.MapPost("/epc", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<CombinationDto>(req, ct, async (dto, r) =>
        {
            var models = (dto.Models ?? []).Select((m, i) => r.Model(m, $"models[{i}]")).ToList();
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Products.AddEligibleCombinationAsync(models, ct), Wire.View);
        }));

        g.MapPost("/ppc", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<CombinationDto>(req, ct, async (dto, r) =>
        {
            var requester = r.Party(dto.Requester, "requester");
            var models = (dto.Models ?? []).Select((m, i) => r.Model(m, $"models[{i}]")).ToList();
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Products.RequestPpcTestAsync(requester, models, ct), Wire.View);
        }));

        g.MapPost("/ppc/result", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<PpcResultDto>(req, ct, async (dto, r) =>
        {
            var passed = r.Bool(dto.Passed, "passed");
            if (string.IsNullOrWhiteSpace(dto.CombinationKey))
                return Http.Invalid("combinationKey", "combinationKey is missing: give the key of the PPC combination (GET /products/ppc lists them).");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Products.RecordPpcTestResultAsync(dto.CombinationKey, passed, dto.Explanation, ct), Wire.View);
        }));

        g.MapGet("/dpl", async (ReferenceDcc dcc, CancellationToken ct) => Results.Ok(await dcc.Products.DeployedProductsAsync(ct)));
        return app;
    }
}
