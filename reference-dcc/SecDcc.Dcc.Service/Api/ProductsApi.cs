using System.Security.Cryptography;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Service.Wan;

namespace SecDcc.Dcc.Service.Api;

/// <summary>The product lists over JSON: the Panel-signed CPL, the EPC and PPC, and the DPL.</summary>
public static class ProductsApi
{
    // Without the SM WAN gateway the DCC has no access control broker key; the lists are then signed by a key of this
    // process's lifetime, published at /products/lists/signing-key like the broker's.
    private static readonly Lazy<ECDsa> ProcessKey = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));

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

        g.MapGet("/epc", async (ReferenceDcc dcc, CancellationToken ct) => Results.Ok((await dcc.Products.CombinationsAsync(CombinationList.EPC, ct)).Select(View)));
        g.MapGet("/ppc", async (ReferenceDcc dcc, CancellationToken ct) => Results.Ok((await dcc.Products.CombinationsAsync(CombinationList.PPC, ct)).Select(View)));
        g.MapGet("/ppc/records", async (ReferenceDcc dcc, CancellationToken ct) => Results.Ok((await dcc.Products.PpcRecordsAsync(ct)).Select(RecordView)));

        g.MapGet("/lists/signed", async (HttpContext http, ReferenceDcc dcc, CancellationToken ct) =>
            Results.Text(await dcc.Products.SignedListsAsync(SigningKey(http), ct), "application/json"));
        g.MapGet("/lists/signing-key", (HttpContext http) => Results.Text(SigningKey(http).ExportSubjectPublicKeyInfoPem(), "application/x-pem-file"));

        g.MapPost("/epc", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<CombinationDto>(req, ct, async (dto, r) =>
        {
            var models = (dto.Models ?? []).Select((m, i) => r.Model(m, $"models[{i}]")).ToList();
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Products.AddEligibleCombinationAsync(models, ct), View);
        }));

        g.MapPost("/ppc", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<CombinationDto>(req, ct, async (dto, r) =>
        {
            var requester = r.Party(dto.Requester, "requester");
            var models = (dto.Models ?? []).Select((m, i) => r.Model(m, $"models[{i}]")).ToList();
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Products.RequestPpcTestAsync(requester, models, ct), View);
        }));

        g.MapPost("/ppc/result", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<PpcOutcomeDto>(req, ct, async (dto, r) =>
        {
            var passed = r.Bool(dto.Passed, "passed");
            var which = string.IsNullOrWhiteSpace(dto.Identity) ? dto.CombinationKey : dto.Identity;
            if (string.IsNullOrWhiteSpace(which))
                return Http.Invalid("identity", "identity (or combinationKey) is missing: give the identity of the PPC combination (GET /products/ppc lists them).");
            if (r.Error is { } e)
                return Http.Refused(e);
            var result = new PpcTestResult
            {
                Passed = passed,
                Explanation = dto.Explanation,
                Failures = (dto.Failures ?? []).Select(f => new PpcFailure(f.Step ?? "", f.Reason ?? "")).ToList(),
                Judgement = new PpcJudgement(dto.MaterialChangeToDccSystems ?? false, dto.SecModification ?? false),
            };
            return Http.From(await dcc.Products.RecordPpcTestResultAsync(which, result, ct), View);
        }));

        g.MapGet("/dpl", async (ReferenceDcc dcc, CancellationToken ct) => Results.Ok(await dcc.Products.DeployedProductsAsync(ct)));
        return app;
    }

    private static ECDsa SigningKey(HttpContext http) => http.RequestServices.GetService<DccWanIdentity>()?.SigningKey ?? ProcessKey.Value;

    private static object View(ProductCombination c) => new
    {
        key = c.Key, identity = c.Identity, list = c.List.ToString(), addedAt = c.AddedAt, requester = c.Requester?.ToString(), models = c.Models,
    };

    private static object RecordView(PpcRecord r) => new
    {
        identity = r.Identity, key = r.CombinationKey, models = r.Models, requester = r.Requester?.ToString(), requestedAt = r.RequestedAt,
        outcome = r.Outcome.ToString(), concludedAt = r.ConcludedAt, failures = r.Failures,
        materialChangeToDccSystems = r.Judgement?.MaterialChangeToDccSystems, secModification = r.Judgement?.SecModification,
    };
}

/// <summary>A PPC test's outcome (BEIS consultation 6.12–6.13): what failed and the DCC's judgement of what a pass would need.</summary>
public sealed record PpcOutcomeDto(
    string? Identity, string? CombinationKey, bool? Passed, string? Explanation, List<PpcFailureDto>? Failures,
    bool? MaterialChangeToDccSystems, bool? SecModification);

public sealed record PpcFailureDto(string? Step, string? Reason);
