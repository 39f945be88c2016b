using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.Rigs.Model;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Support;

/// <summary>Where a rig's hub reaches the DCC's SM WAN gateway, and how long the DCC waits for a Device's Response.</summary>
public sealed record DccWanGateway(string Host, int Port, TimeSpan? ResponseTimeout)
{
    public TcpWan Connection() => new(Host, Port);

    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>
/// The DCC's SM WAN gateway as the steps reach it, through the DCC's public JSON API only: where a rig's hub connects
/// (the target's WAN endpoint, else the port /health/ready reports), the Device Certificate issuers the DCC is to trust,
/// its command-signing certificate for the devices' cells, and device Service Requests sent through it
/// (POST /wan/requests) with their outcomes (GET /wan/requests/{id}). <paramref name="needs"/> says, in the errors, what
/// needed the gateway, so a DCC without one is reported with how to start it.
/// </summary>
public sealed class DccWan(DccRun run, DccHttp http, ScenarioContext context, string needs)
{
    private static int _requests;

    /// <summary>The gateway's address; a DCC without one is a <see cref="DccUnavailableException"/>.</summary>
    public async Task<DccWanGateway> GatewayAsync(CancellationToken ct)
    {
        var ready = await GetJsonAsync("health/ready", ct);
        if (!ready.TryGetProperty("wan", out var wan) || wan.ValueKind != JsonValueKind.Object || !wan.TryGetProperty("port", out var port) || port.ValueKind != JsonValueKind.Number)
        {
            if (run.Target.WanEndpoint is { } fixedEndpoint)
                return new DccWanGateway(fixedEndpoint.Address.ToString(), fixedEndpoint.Port, null);
            throw new DccUnavailableException($"{run.Target.Description} has no SM WAN gateway, which {needs} needs: start it with --wan-port 0 (its /health/ready shows wan.port).");
        }

        TimeSpan? timeout = wan.TryGetProperty("responseTimeout", out var t) && TimeSpan.TryParse(t.GetString(), CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return run.Target.WanEndpoint is { } endpoint
            ? new DccWanGateway(endpoint.Address.ToString(), endpoint.Port, timeout)
            : new DccWanGateway(run.Target.BaseUrl.Host, port.GetInt32(), timeout);
    }

    /// <summary>POST /wan/device-issuers: the DCC verifies the rig's Device Certificates against this issuer.</summary>
    public async Task TrustIssuerAsync(X509Certificate2 issuer, CancellationToken ct)
    {
        var reply = await http.SendAsync<JsonElement>(HttpMethod.Post, "wan/device-issuers", issuer.ExportCertificatePem(), "application/x-pem-file", ct);
        if (!reply.Accepted)
            throw new DccUnavailableException($"{run.Target.Description} did not trust the rig's Device Certificate issuer {issuer.Subject} (POST /wan/device-issuers): {reply.Refusal}. {needs} needs a test-mode DCC with its SM WAN gateway (--test-mode --wan-port 0).");
    }

    /// <summary>GET /wan/dcc-certificate: the certificate the DCC signs Commands with, for the devices' accessControlBroker cells.</summary>
    public async Task<X509Certificate2> CommandCertificateAsync(CancellationToken ct) =>
        X509Certificate2.CreateFromPem(await GetTextAsync("wan/dcc-certificate", ct));

    /// <summary>
    /// A device Service Request in the actor's name; the DCC sends its Command over the SM WAN. An acceptance is the
    /// request's id, a refusal the reply's refusal; the DCC's answer is attached to the step.
    /// </summary>
    public async Task<DccReply<string>> SendAsync(string party, string role, string target, string serviceReferenceVariant,
        IReadOnlyDictionary<string, string> parameters, byte[]? payload, CancellationToken ct)
    {
        var requestId = $"{party}:{target}:{Interlocked.Increment(ref _requests)}";
        var reply = await http.SendJsonAsync<JsonElement>(HttpMethod.Post, "wan/requests", new
        {
            requestId,
            serviceReferenceVariant,
            actor = new { party, role },
            target,
            parameters,
            payload = payload is null ? null : Convert.ToBase64String(payload),
        }, ct);
        return new DccReply<string>(reply.Accepted ? requestId : null, reply.Refusal, reply.Request);
    }

    /// <summary>The request as the DCC has it now (GET /wan/requests/{id}).</summary>
    public Task<JsonElement> ReadAsync(string requestId, CancellationToken ct) =>
        GetJsonAsync($"wan/requests/{Uri.EscapeDataString(requestId)}", ct);

    /// <summary>The request once it has an outcome, attached to the step; a request still open after <paramref name="within"/> is a protocol fault.</summary>
    public async Task<JsonElement> CompletedAsync(string requestId, TimeSpan within, CancellationToken ct)
    {
        JsonElement state = default;
        if (!await EventuallyAsync(async () => (state = await ReadAsync(requestId, ct)).GetProperty("state").GetString() == "completed", within, ct))
            throw new DccProtocolException($"The DCC accepted device request {requestId} but reached no outcome within {within.TotalSeconds:0} s: {state}");
        context.Attach($"outcome of {requestId}", state.ToString(), "application/json");
        return state;
    }

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken ct) =>
        JsonDocument.Parse(await GetTextAsync(path, ct)).RootElement.Clone();

    private async Task<string> GetTextAsync(string path, CancellationToken ct)
    {
        using var response = await run.Http.GetAsync(path, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new DccUnavailableException(
                $"{run.Target.Description} answered GET /{path} with {(int)response.StatusCode}: {(text.Length <= 300 ? text : text[..300] + "…")}. {needs} needs a DCC in test mode with its SM WAN gateway (--test-mode --wan-port 0).");
        }

        return text;
    }

    /// <summary>
    /// Polls until the condition holds or <paramref name="within"/> has passed, then checks once more. The interval is that
    /// of a state check, not a wait in its place: it starts at 1 ms and doubles up to 25 ms, because what is waited for
    /// usually takes a few milliseconds and a fixed 25 ms added most of that to every wait.
    /// </summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var interval = 1;
        while (deadline.Elapsed < within)
        {
            if (await condition())
                return true;
            await Task.Delay(interval, ct);
            interval = Math.Min(interval * 2, 25);
        }

        return await condition();
    }
}
