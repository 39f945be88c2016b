using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Service.Api;
using SecDcc.Dcc.Service.Devices;
using SecDcc.Dcc.Service.Duis;
using SecDcc.Dcc.Service.Duis.Devices;
using SecDcc.Dcc.Service.Hosting;
using SecDcc.Dcc.Tests.Support;
using SecDcc.Dcc.Time;
using SecDcc.Duis.Client;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Tests.Duis.Support;

/// <summary>
/// The reference DCC's HTTP interfaces hosted in the test process on a free loopback port, over a fresh SQLite file and
/// a virtual clock: the JSON inventory, products and clock APIs and the DUIS interface, wired by the service's own
/// <see cref="DuisInterface"/>, with <see cref="LoopbackWan"/> standing in for the SM WAN gateway (or none at all).
/// A CPL with the test models is published at start.
/// </summary>
public sealed class DuisHost : IAsyncDisposable
{
    public static readonly DateTimeOffset ClockStart = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly string _dir;
    private readonly bool _ownsDir;

    private DuisHost(WebApplication app, string dir, bool ownsDir, Uri address, CplBuilder cpl)
    {
        _app = app;
        _dir = dir;
        _ownsDir = ownsDir;
        Address = address;
        Cpl = cpl;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }
    public HttpClient Http { get; }
    public CplBuilder Cpl { get; }
    public IServiceProvider Services => _app.Services;
    public ReferenceDcc Dcc => Services.GetRequiredService<ReferenceDcc>();
    public DccIdentity Identity => Services.GetRequiredService<DccIdentity>();
    public LoopbackWan? Wan => Services.GetService<IDeviceRequests>() as LoopbackWan;
    public DuisEui DccEui => Identity.Eui;
    public string DataPath => Path.Combine(_dir, "smi.db");

    /// <summary>Resolves the DCC's signing certificate, as a User registers it to check responses.</summary>
    public InMemoryCertificateResolver DccCertificates => new([Identity.Credentials.Certificate]);

    /// <param name="extraArgs">More service switches, e.g. --duis-test-parties or --max-body-bytes.</param>
    /// <param name="wan">Whether a stand-in SM WAN gateway is registered.</param>
    /// <param name="dataDirectory">An existing folder to keep the SMI in (to restart on the same file); by default a new one.</param>
    public static async Task<DuisHost> StartAsync(CancellationToken ct, IEnumerable<string>? extraArgs = null, bool wan = true, string? dataDirectory = null,
        IEnumerable<Dictionary<string, object?>>? cplEntries = null, CallbackDeliveryOptions? callbacks = null)
    {
        var dir = dataDirectory ?? Path.Combine(Path.GetTempPath(), "secdcc-duis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var (options, error) = ServiceOptions.Parse(["--data", Path.Combine(dir, "smi.db"), "--test-mode", .. extraArgs ?? []]);
        Assert.That(options, Is.Not.Null, error);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options!.MaxBodyBytes);
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(j => DccServiceHost.Configure(j.SerializerOptions));
        builder.Services.AddProblemDetails();

        var cpl = new CplBuilder();
        var clock = new VirtualClock(ClockStart);
        var dcc = await ReferenceDcc.OpenAsync(new SqliteSmiStore(Path.Combine(dir, "smi.db")), clock, new DccOptions { PanelPublicKeysPem = [cpl.PanelPublicKeyPem] }, ct);
        builder.Services.AddSingleton(options!);
        builder.Services.AddSingleton(dcc);
        builder.Services.AddSingleton<IClock>(clock);
        builder.Services.AddSingleton(callbacks ?? new CallbackDeliveryOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 4 });
        Assert.That(DuisInterface.Add(builder.Services, options!, clock), Is.Null);
        if (wan)
            builder.Services.AddSingleton<IDeviceRequests, LoopbackWan>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapInventoryApi(testMode: true);
        app.MapProductsApi();
        app.MapNotificationsApi();
        app.MapClockApi(clock);
        DuisInterface.MapDuisApi(app, testMode: true);
        app.Lifetime.ApplicationStopped.Register(() => dcc.DisposeAsync().AsTask().GetAwaiter().GetResult());
        await app.StartAsync(ct);
        var host = new DuisHost(app, dir, dataDirectory is null, new Uri(app.Urls.First()), cpl);
        if (dataDirectory is not null && cplEntries is null)
            return host;
        var published = await host.Http.PostAsync("/products/cpl",
            new StringContent(cpl.SignedCpl(cplEntries ?? cpl.StandardEntries(), ClockStart), Encoding.UTF8, "application/json"), ct);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync(ct));
        await host.Dcc.Duties.RunDueAsync(ct);
        return host;
    }

    // ---- Users ---------------------------------------------------------------------------------------------------

    public async Task RegisterAsync(TestParty party, CancellationToken ct)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/users", party.Registration(), ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(ct));
    }

    public async Task<TestParty> NewPartyAsync(DuisEui id, CancellationToken ct, params UserRole[] roles)
    {
        var party = TestParty.Create(id, roles);
        await RegisterAsync(party, ct);
        return party;
    }

    public DuisClient ClientFor(TestParty party) =>
        new(Http, party.Credentials, DccCertificates, new DuisClientOptions { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) });

    // ---- requests ------------------------------------------------------------------------------------------------

    /// <summary>Posts raw bytes to a DUIS URL and reads the answer: the HTTP status, the text, and the parsed, DCC-verified Response.</summary>
    public async Task<RawAnswer> PostRawAsync(byte[] body, CancellationToken ct, string path = "/api/v1/serviceS")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
        using var response = await Http.PostAsync(path, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        DuisResponse? parsed = null;
        DuisVerification? verification = null;
        if (response.IsSuccessStatusCode && text.StartsWith("<?xml", StringComparison.Ordinal))
        {
            verification = await new DuisSignatureVerifier(DccCertificates).VerifyAsync(text, ct);
            if (verification.IsValid)
                parsed = DuisResponse.Parse(verification.Document!);
        }
        return new RawAnswer(response.StatusCode, text, parsed, verification);
    }

    public Task<RawAnswer> PostAsync(string xml, CancellationToken ct, string path = "/api/v1/serviceS") => PostRawAsync(Encoding.UTF8.GetBytes(xml), ct, path);

    /// <summary>The next device response for a User after a sequence number, waiting up to 10 s for it.</summary>
    public async Task<(long Sequence, string Xml)?> NextResponseAsync(DuisEui user, long after, CancellationToken ct, double waitSeconds = 10)
    {
        using var response = await Http.GetAsync($"/api/v1/responses?originator={user}&after={after}&wait={waitSeconds}", ct);
        if (response.StatusCode == HttpStatusCode.NoContent)
            return null;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(ct));
        return (long.Parse(response.Headers.GetValues(DuisUsersApi.SequenceHeader).Single()), await response.Content.ReadAsStringAsync(ct));
    }

    // ---- the SMI through the JSON API ----------------------------------------------------------------------------

    public async Task<JsonElement?> DeviceAsync(string deviceId, CancellationToken ct)
    {
        using var response = await Http.GetAsync($"/inventory/devices/{deviceId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    /// <summary>Every Device and notice, for "nothing changed" assertions.</summary>
    public async Task<string> SnapshotAsync(CancellationToken ct)
    {
        var devices = await Http.GetStringAsync("/inventory/devices?limit=10000", ct);
        var notices = await Http.GetStringAsync("/notifications?limit=10000", ct);
        return devices + "\n" + notices;
    }

    public async Task<JsonElement> PostJsonAsync(string path, object body, CancellationToken ct)
    {
        using var response = await Http.PostAsJsonAsync(path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"POST {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Cpl.Dispose();
        SqliteCleanup();
    }

    private void SqliteCleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDir)
            return;
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>What the DCC answered to raw bytes.</summary>
public sealed record RawAnswer(HttpStatusCode Status, string Text, DuisResponse? Response, DuisVerification? Verification)
{
    public string Code => Response?.ResponseCode.Value ?? "(none)";
    public string? Diagnostic => Response?.Diagnostic;

    public DuisRejection? Rejection =>
        Response is { } r && DuisRejection.TryParse(r.ResponseCode, r.Diagnostic, out var rejection) ? rejection : null;

    public override string ToString() => $"HTTP {(int)Status} {Code} {Diagnostic}";
}
