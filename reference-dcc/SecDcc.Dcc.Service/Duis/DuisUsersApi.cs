using System.Globalization;
using System.Text;
using System.Xml;
using SecDcc.Dcc.Service.Api;
using SecDcc.Dcc.Service.Duis.Devices;
using SecDcc.Dcc.Service.Duis.Parties;
using SecDcc.Duis.Signing;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Service.Duis;

public sealed record CallbackDto(string? Url);

/// <summary>
/// The JSON companions of the DUIS interface: the DCC's signing certificate (every mode), and in test mode the User
/// registry, callback registration and the poll endpoint for device responses. Outside test mode Users and callbacks
/// come from start-up options only, since these endpoints are not authenticated.
/// </summary>
public static class DuisUsersApi
{
    public const string SequenceHeader = "SecDcc-Sequence";
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    public static IEndpointRouteBuilder MapDuisUsersApi(this IEndpointRouteBuilder app, bool testMode)
    {
        var g = app.MapGroup("/api/v1").WithTags("DUIS Users");
        g.MapGet("/dcc-certificate", (DccIdentity dcc) => Results.Ok(new
        {
            eui = dcc.Eui.ToString(),
            certificatePem = dcc.CertificatePem,
            issuer = dcc.Credentials.SignerReference.IssuerName,
            serialNumber = dcc.Credentials.SignerReference.SerialNumber.ToString(CultureInfo.InvariantCulture),
        }));
        if (!testMode)
            return app;

        g.MapGet("/users", (PartyRegistry parties, CallbackRegistry callbacks) => Results.Ok(parties.All.Select(p => View(p, callbacks))));

        g.MapPost("/users", (HttpRequest req, PartyRegistry parties, CallbackRegistry callbacks, CancellationToken ct) =>
            InventoryApi.Handle<PartyDto>(req, ct, (dto, _) =>
            {
                try
                {
                    var (party, callback) = PartySources.Read(dto, "user");
                    parties.Register(party);
                    if (callback is not null)
                        callbacks.Set(party.Id, callback);
                    return Task.FromResult(Results.Ok(View(party, callbacks)));
                }
                catch (PartyRegistrationException e)
                {
                    return Task.FromResult(Http.Invalid("user", e.Message));
                }
            }));

        g.MapPost("/users/{eui}/callback", (string eui, HttpRequest req, PartyRegistry parties, CallbackRegistry callbacks, CancellationToken ct) =>
            InventoryApi.Handle<CallbackDto>(req, ct, (dto, _) =>
            {
                if (Known(eui, parties, out var user) is { } problem)
                    return Task.FromResult(problem);
                if (!CallbackRegistry.TryParseUrl(dto.Url, out var url, out var error))
                    return Task.FromResult(Http.Invalid("url", error));
                callbacks.Set(user, url);
                return Task.FromResult(Results.Ok(new { eui = user.ToString(), callback = url.ToString() }));
            }));

        g.MapDelete("/users/{eui}/callback", (string eui, PartyRegistry parties, CallbackRegistry callbacks) =>
            Known(eui, parties, out var user) ?? Results.Ok(new { eui = user.ToString(), removed = callbacks.Remove(user) }));

        // The next device response for a User after a sequence number, as signed DUIS XML; waits up to `wait` for one.
        g.MapGet("/responses", async (string? originator, long? after, string? wait, PartyRegistry parties, ResponseOutbox outbox, HttpResponse response, CancellationToken ct) =>
        {
            if (Known(originator, parties, out var user) is { } problem)
                return problem;
            var waitFor = TimeSpan.Zero;
            if (wait is not null && !TryWait(wait, out waitFor))
                return Http.Invalid("wait", $"wait '{wait}' is not a duration of at most {MaxWait.TotalSeconds:0} s (ISO 8601 such as PT5S, or seconds).");
            var next = await outbox.NextAsync(user, after ?? 0, waitFor, ct);
            if (next is null)
                return Results.NoContent();
            response.Headers[SequenceHeader] = next.Sequence.ToString(CultureInfo.InvariantCulture);
            return Results.Text(next.Xml, DuisServiceApi.ContentType, Encoding.UTF8);
        });

        app.MapBenchEmpty();
        return app;
    }

    private static object View(DuisParty p, CallbackRegistry callbacks) => new
    {
        eui = p.Id.ToString(),
        name = p.Name,
        roles = p.Roles.Select(r => r.ToString()),
        certificates = p.SigningCertificates.Select(c => new
        {
            subject = c.Subject,
            issuer = DuisSignerReference.For(c).IssuerName,
            serialNumber = DuisSignerReference.For(c).SerialNumber.ToString(CultureInfo.InvariantCulture),
            notAfter = c.NotAfter.ToUniversalTime(),
        }),
        callback = callbacks.Find(p.Id)?.ToString(),
    };

    private static IResult? Known(string? eui, PartyRegistry parties, out DuisEui user)
    {
        if (!DuisEui.TryParse(eui, out user, out var error))
            return Http.Invalid("eui", error);
        if (parties.Find(user) is null)
            return Http.Refused(new Refusal("DUIS-Originator", "UnknownUser", $"{user} is not a registered DCC User; register it first (POST /api/v1/users).", RefusalKind.NotFound, "eui"));
        return null;
    }

    private static bool TryWait(string text, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        try
        {
            wait = text.StartsWith('P') ? XmlConvert.ToTimeSpan(text) : TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
        return wait >= TimeSpan.Zero && wait <= MaxWait;
    }
}
