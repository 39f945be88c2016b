using System.Globalization;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;

namespace SecDcc.Dcc.Service.Api;

public sealed record CredentialsResponseDto(string? DeviceId, string? ServiceReferenceVariant, bool? SuccessfullyExecuted);
public sealed record InterrogationDto(string? DeviceId, string? InterrogatedBy, bool? Succeeded, bool? RecoveryCellPopulated);
public sealed record CertificateDto(string? Use, string? SerialNumber, string? Issuer);
public sealed record KeysRegeneratedDto(string? DeviceId, List<CertificateDto>? Certificates);
public sealed record DeviceOnlyDto(string? DeviceId);
public sealed record CredentialsHeldDto(string? DeviceId, string? Party);
public sealed record DeviceCertificatesDto(string? DeviceId, bool? SuccessfullyExecuted, List<CertificateDto>? Certificates);
public sealed record DeviceServiceRequestDto(ActorDto? Actor, string? DeviceId, string? ServiceReferenceVariant, string? Purpose);

public sealed record PostCommissioningEntryView(
    string DeviceId, DeviceType DeviceType, DateTimeOffset CommissionedAt, IReadOnlyList<string> Reasons,
    IReadOnlyList<string>? ResponsibleSuppliers, string? CommissioningSupplier, DateTimeOffset UpdatedAt);

public sealed record CertificateView(DeviceCertificateUse Use, string SerialNumber, string Issuer, DateTimeOffset RecordedAt, DateTimeOffset? SupersededAt, bool Current);

/// <summary>
/// Appendix AC 5–6 over JSON: a Device's post-commissioning status, the AC 5.14 guard, the AC 5.13 Incidents, the Post
/// Commissioning Information and the AC 5.9/5.10/5.11 reports (marked confidential, AC 5.12), and, in test mode, the
/// facts the SM WAN gateway records from Devices' Responses (Wan/CredentialResponses), under /inventory/events beside the others.
/// </summary>
public static class PostCommissioningApi
{
    /// <summary>The header that marks a report confidential (AC 5.12), beside its "marking" field.</summary>
    public const string MarkingHeader = "Report-Marking";

    public static IEndpointRouteBuilder MapPostCommissioningApi(this IEndpointRouteBuilder app, bool testMode)
    {
        var g = app.MapGroup("/post-commissioning").WithTags("Post-commissioning");

        g.MapGet("/devices/{id}", async (string id, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            var deviceId = r.Device(id, "id");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.PostCommissioning.StatusAsync(deviceId, ct), Status);
        });

        g.MapPost("/service-requests", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<DeviceServiceRequestDto>(req, ct, async (dto, r) =>
        {
            if (Purpose(dto.Purpose) is not { } purpose)
                return Http.Invalid("purpose", $"purpose '{dto.Purpose}' is not one AC 5.14 recognises: leave it out, or give \"{nameof(StatedPurpose.MaintainingEnergySupply)}\" (AC 5.14(iii)). Completing the steps (i) and a change of supplier (ii) are shown by the Service Request itself.");
            var request = new DeviceServiceRequest(r.Actor(dto.Actor), r.Device(dto.DeviceId, "deviceId"), dto.ServiceReferenceVariant ?? "", purpose);
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.PostCommissioning.ClearServiceRequestAsync(request, ct), c => new
            {
                deviceId = c.DeviceId.ToString(), serviceReferenceVariant = c.ServiceReferenceVariant, mayBeSent = true, restricted = c.Restricted, exception = c.Exception, explanation = c.Explanation,
            });
        }));

        g.MapGet("/incidents", async (string? deviceId, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            DeviceId? device = deviceId is null ? null : r.Device(deviceId, "deviceId");
            return r.Error is { } e ? Http.Refused(e) : Results.Ok((await dcc.PostCommissioning.IncidentsAsync(device, ct)).Select(Wire.View));
        });

        var reports = app.MapGroup("/reports").WithTags("Reports");

        reports.MapGet("/post-commissioning", async (HttpResponse res, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var info = await dcc.PostCommissioning.InformationAsync(ct);
            return Marked(res, new
            {
                marking = ReportMarking.Confidential,
                title = "CONFIDENTIAL - Post Commissioning Information (SEC Appendix AC 5.5-5.8), with SMETS1 Devices not shown to meet AC 6.2",
                updatedAt = info.UpdatedAt,
                devices = info.Entries.Select(Entry),
                smets1 = new
                {
                    asOf = info.AsOf,
                    failingAc62 = info.Smets1Failing.Select(c => new { deviceId = c.DeviceId.ToString(), deviceType = c.DeviceType, commissionedAt = c.CommissionedAt, steps = new[] { Step(c.Supplier), Step(c.NetworkParty) } }),
                },
            });
        });

        reports.MapGet("/monthly", async (string? month, HttpResponse res, ReferenceDcc dcc, CancellationToken ct) =>
        {
            if (!ReportMonth.TryParse(month, out var m))
                return Http.Invalid("month", $"month '{month}' is not a calendar month: give it as YYYY-MM, e.g. 2025-03.");
            var outcome = await dcc.PostCommissioning.Reports.MonthlyAsync(m, ct);
            return outcome.IsSuccess ? Marked(res, Monthly(outcome.Value)) : Http.Refused(outcome.Refusal!);
        });

        reports.MapGet("/daily", async (string? supplier, string? date, bool? includeCommissioningSupplier, HttpResponse res, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            var party = r.Party(supplier, "supplier");
            if (r.Error is { } e)
                return Http.Refused(e);
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return Http.Invalid("date", $"date '{date}' is not a day: give it as YYYY-MM-DD, e.g. 2025-03-14.");
            var outcome = await dcc.PostCommissioning.Reports.DailyAsync(party, day, includeCommissioningSupplier ?? false, ct);
            return outcome.IsSuccess ? Marked(res, Daily(outcome.Value)) : Http.Refused(outcome.Refusal!);
        });

        if (testMode)
            MapFactEvents(app.MapGroup("/inventory/events").WithTags("Inventory"));
        return app;
    }

    /// <summary>The facts of AC 5.5 and 5.18 that the SM WAN gateway records from Devices' Responses, injected in test mode for a DCC without devices.</summary>
    private static void MapFactEvents(RouteGroupBuilder e)
    {
        e.MapPost("/credentials-response", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<CredentialsResponseDto>(req, ct, async (dto, r) =>
        {
            var evt = new CredentialsCommandResponse(r.Device(dto.DeviceId, "deviceId"), dto.ServiceReferenceVariant ?? "", r.Bool(dto.SuccessfullyExecuted, "successfullyExecuted"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.PostCommissioning.CredentialsCommandRespondedAsync(evt, ct), Facts);
        }));
        e.MapPost("/recovery-interrogation", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<InterrogationDto>(req, ct, async (dto, r) =>
        {
            Interrogator? by = dto.InterrogatedBy switch
            {
                null or "DCC" => Interrogator.Dcc,
                "Supplier" => Interrogator.Supplier,
                _ => null,
            };
            if (by is null)
                return Http.Invalid("interrogatedBy", $"interrogatedBy '{dto.InterrogatedBy}' is not who interrogates: use \"DCC\" (AC 5.4) or \"Supplier\" (AC 5.14(b)).");
            var evt = new RecoveryCellInterrogation(r.Device(dto.DeviceId, "deviceId"), by.Value, r.Bool(dto.Succeeded, "succeeded"), dto.RecoveryCellPopulated);
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.PostCommissioning.RecoveryCellInterrogatedAsync(evt, ct), Facts);
        }));
        e.MapPost("/keys-regenerated", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<KeysRegeneratedDto>(req, ct, async (dto, r) =>
        {
            if (Certificates(dto.Certificates) is not { } certificates)
                return Http.Invalid(CertificatesField(dto.Certificates), CertificatesProblem(dto.Certificates));
            var evt = new KeyRegeneration(r.Device(dto.DeviceId, "deviceId"), certificates);
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.PostCommissioning.KeysRegeneratedAsync(evt, ct), Facts);
        }));
        e.MapPost("/organisation-certificate-replaced", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<DeviceOnlyDto>(req, ct, async (dto, r) =>
        {
            var evt = new OrganisationCertificateReplacement(r.Device(dto.DeviceId, "deviceId"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.PostCommissioning.OrganisationCertificateReplacedAsync(evt, ct), Facts);
        }));
        e.MapPost("/network-party-credentials", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<CredentialsHeldDto>(req, ct, async (dto, r) =>
        {
            var evt = new CredentialsHeld(r.Device(dto.DeviceId, "deviceId"), r.Party(dto.Party, "party"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.PostCommissioning.NetworkPartyCredentialsAsync(evt, ct), Facts);
        }));
        e.MapPost("/supplier-credentials", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<CredentialsHeldDto>(req, ct, async (dto, r) =>
        {
            var evt = new CredentialsHeld(r.Device(dto.DeviceId, "deviceId"), r.Party(dto.Party, "party"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.PostCommissioning.SupplierCredentialsAsync(evt, ct), Facts);
        }));
        e.MapPost("/device-certificates", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => InventoryApi.Handle<DeviceCertificatesDto>(req, ct, async (dto, r) =>
        {
            var success = r.Bool(dto.SuccessfullyExecuted, "successfullyExecuted");
            IReadOnlyList<DeviceCertificate> certificates = [];
            if (success || dto.Certificates is { Count: > 0 })
            {
                if (Certificates(dto.Certificates) is not { } given)
                    return Http.Invalid(CertificatesField(dto.Certificates), CertificatesProblem(dto.Certificates));
                certificates = given;
            }
            var evt = new DeviceCertificateResponse(r.Device(dto.DeviceId, "deviceId"), success, certificates);
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.PostCommissioning.DeviceCertificatesRespondedAsync(evt, ct),
                list => new { deviceId = dto.DeviceId, certificates = list.Select(Certificate) });
        }));
    }

    // ---- mapping ------------------------------------------------------------------------------------------------

    private static StatedPurpose? Purpose(string? text) => text switch
    {
        null or "" => StatedPurpose.None,
        nameof(StatedPurpose.MaintainingEnergySupply) => StatedPurpose.MaintainingEnergySupply,
        _ => null,
    };

    private static DeviceCertificateUse? Use(string? text) =>
        Enum.TryParse<DeviceCertificateUse>(text, out var use) && Enum.IsDefined(use) && !int.TryParse(text, out _) ? use : null;

    /// <summary>The certificates, or null when the list is missing or a use is not one of the two; the domain checks the rest.</summary>
    private static IReadOnlyList<DeviceCertificate>? Certificates(List<CertificateDto>? dtos) =>
        dtos is not { Count: > 0 } || dtos.Any(c => Use(c.Use) is null)
            ? null
            : dtos.Select(c => new DeviceCertificate(Use(c.Use)!.Value, c.SerialNumber ?? "", c.Issuer ?? "")).ToList();

    private static string CertificatesField(List<CertificateDto>? dtos) =>
        dtos is not { Count: > 0 } ? "certificates" : $"certificates[{dtos.FindIndex(c => Use(c.Use) is null)}].use";

    private static string CertificatesProblem(List<CertificateDto>? dtos) =>
        dtos is not { Count: > 0 }
            ? "certificates is missing or empty: give the Device Certificates the Device now holds, e.g. [{\"use\": \"DigitalSigning\", \"serialNumber\": \"1A2B\", \"issuer\": \"CN=Z1,OU=07\"}]."
            : $"{CertificatesField(dtos)} '{dtos.First(c => Use(c.Use) is null).Use}' is not a Device Certificate use: give {string.Join(" or ", Enum.GetNames<DeviceCertificateUse>())}.";

    private static object Facts(CredentialFacts f) => new
    {
        deviceId = f.DeviceId.ToString(),
        successfulCommands = new
        {
            issueSecurityCredentials = f.IssueSecurityCredentials,
            updateSecurityCredentialsDevice = f.UpdateSecurityCredentialsDevice,
            updateSecurityCredentialsKrp = f.UpdateSecurityCredentialsKrp,
        },
        keysRegeneratedAt = f.KeysRegeneratedAt,
        organisationCertificateReplacedAt = f.OrganisationCertificateReplacedAt,
        dccInterrogationSucceededAt = f.DccInterrogationSucceededAt,
        dccInterrogationFailedAt = f.DccInterrogationFailedAt,
        recoveryCellPopulated = f.RecoveryCellPopulated,
        supplierInterrogationSucceededAt = f.SupplierInterrogationSucceededAt,
        networkPartyCredentials = f.NetworkParty?.ToString(),
        networkPartyCredentialsAt = f.NetworkPartyAt,
        supplierCredentials = f.SupplierParty?.ToString(),
        supplierCredentialsAt = f.SupplierPartyAt,
        updatedAt = f.UpdatedAt,
    };

    private static object Step(StepStatus s) => new { clause = s.Clause, step = s.Step, state = s.State, doneAt = s.DoneAt, dueBy = s.DueBy };

    private static object Certificate(RecordedDeviceCertificate c) =>
        new CertificateView(c.Certificate.Use, c.Certificate.SerialNumber, c.Certificate.Issuer, c.RecordedAt, c.SupersededAt, c.Current);

    private static PostCommissioningEntryView Entry(PostCommissioningEntry e) => new(
        e.DeviceId.ToString(), e.DeviceType, e.CommissionedAt, e.Reasons.Clauses(),
        e.DeviceType == DeviceType.CHF ? null : e.ResponsibleSuppliers.Select(p => p.ToString()).ToList(),
        e.CommissioningSupplier?.ToString(), e.UpdatedAt);

    private static object Status(PostCommissioningStatus s) => new
    {
        deviceId = s.Device.Id.ToString(),
        deviceType = s.Device.Type,
        generation = s.Device.Generation == SmetsGeneration.SMETS1 ? "SMETS1" : "SMETS2+",
        status = s.Device.Status,
        commissionedAt = s.Device.CommissionedAt,
        commissioningSupplier = s.Device.CommissionedBy?.ToString(),
        asOf = s.AsOf,
        reasons = s.Reasons.Clauses(),
        wouldBeListed = s.WouldBeListed,
        listed = s.Listed is { } e ? Entry(e) : null,
        steps = s.Steps.Select(Step),
        interrogation = s.Interrogation,
        restriction = s.Restriction is { } r
            ? new { applies = r.Applies, clause = r.Applies ? r.Clause : null, stepsOverdue = r.StepsOverdue, interrogationFailed = r.InterrogationFailed, stepServices = r.StepServices, explanation = r.Explanation }
            : null,
        facts = Facts(s.Facts),
        certificates = s.Certificates.Select(Certificate),
    };

    private static object Counts(MonthlyCounts c) => new
    {
        total = c.Total,
        added = c.Added,
        removed = c.Removed,
        stillListedFromPreviousMonth = c.StillListedFromPreviousMonth,
        stillListedFromPreviousThreeMonths = c.StillListedFromPreviousThreeMonths,
        stillListedFromPreviousSixMonths = c.StillListedFromPreviousSixMonths,
    };

    private static object Monthly(MonthlyReport m) => new
    {
        marking = m.Marking,
        title = $"CONFIDENTIAL - Post Commissioning monthly report for {m.Month} (SEC Appendix AC 5.9)",
        month = m.Month.ToString(),
        recipients = MonthlyReport.Recipients,
        prevailingAtEndOf = m.PrevailingAtEndOf,
        compiledAt = m.CompiledAt,
        responsibleSuppliers = m.Suppliers.Select(s => new
        {
            responsibleSupplier = s.ResponsibleSupplier.ToString(),
            deviceTypes = s.DeviceTypes.Select(t => new { deviceType = t.DeviceType, counts = Counts(t.Counts) }),
        }),
        communicationsHubFunctions = Counts(m.CommunicationsHubFunctions),
    };

    private static object Daily(DailyReport d) => new
    {
        marking = d.Marking,
        title = $"CONFIDENTIAL - Post Commissioning daily report for {d.Day:yyyy-MM-dd} (SEC Appendix AC {(d.IncludesCommissioningSupplier ? "5.10, copy under 5.11" : "5.10")})",
        date = d.Day,
        supplier = d.Supplier.ToString(),
        compiledAt = d.CompiledAt,
        availableUntil = d.AvailableUntil,
        devices = d.Devices.Select(row => new
        {
            deviceId = row.DeviceId.ToString(),
            deviceType = row.DeviceType,
            updatedAt = row.UpdatedAt,
            commissionedAt = row.CommissionedAt,
            reasons = row.Reasons.Clauses(),
            commissioningSupplier = row.CommissioningSupplier?.ToString(),
        }),
    };

    /// <summary>AC 5.12: a report is marked confidential in its body and in a header, and not kept by caches.</summary>
    private static IResult Marked(HttpResponse res, object body)
    {
        res.Headers[MarkingHeader] = ReportMarking.Confidential;
        res.Headers.CacheControl = "no-store";
        return Results.Ok(body);
    }
}
