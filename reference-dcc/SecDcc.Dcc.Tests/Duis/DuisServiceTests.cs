using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Duis;
using SecDcc.Dcc.Tests.Duis.Support;
using SecDcc.Duis.Client;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using DuisType = SecDcc.Duis.Messages.DeviceType;

namespace SecDcc.Dcc.Tests.Duis;

/// <summary>The DUIS endpoint end to end: signed requests from registered Users, the domain's outcomes, signed answers.</summary>
public sealed class DuisServiceTests : DuisFixture
{
    [Test]
    public async Task Pre_notification_adds_the_device_as_pending_and_read_inventory_returns_it_signed()
    {
        var esme = await PreNotifyAsync(Supplier, DuisType.Esme, Smets2Esme);

        var read = await SendAsync(OtherUser, ReadInventory.ByDeviceId(esme));

        Assert.That(Code(read), Is.EqualTo("I0"), Describe(read));
        Assert.That(read.ResponseVerification!.IsValid, Is.True);
        var device = ((DspInventory)read.Response.Message!.Payload!).Devices.Single();
        Assert.That((device.DeviceId, device.DeviceType, device.DeviceStatus, device.DeviceManufacturer, device.DeviceModel, device.DeviceFirmwareVersion),
            Is.EqualTo((esme, DuisType.Esme, (DeviceStatus?)DeviceStatus.Pending, Smets2Esme.Manufacturer, Smets2Esme.Model, Smets2Esme.FirmwareVersion)));
        var json = await Host.DeviceAsync(esme.ToString(), Ct);
        Assert.That(json!.Value.GetProperty("responsibleSuppliers")[0].GetString(), Is.EqualTo(Supplier.Id.ToString()));
        Assert.That(json.Value.GetProperty("model").GetProperty("hardwareVersion").GetString(), Is.EqualTo(Smets2Esme.HardwareVersion),
            "DUIS names no hardware version; the DCC takes it from the CPL entry");
    }

    [Test]
    public async Task Update_inventory_records_the_mpan_and_decommission_decommissions()
    {
        var esme = await PreNotifyAsync(Supplier, DuisType.Esme, Smets2Esme);
        var mpan = NewMpan();

        var update = await SendAsync(Supplier, new UpdateInventory(esme, new UpdateMpxn(MpxnKind.ImportMpxn, mpan)));
        var decommission = await SendAsync(Supplier, new DecommissionDevice(esme));

        Assert.That(Code(update), Is.EqualTo("I0"), Describe(update));
        Assert.That(Code(decommission), Is.EqualTo("I0"), Describe(decommission));
        var json = (await Host.DeviceAsync(esme.ToString(), Ct))!.Value;
        Assert.That((json.GetProperty("status").GetString(), json.GetProperty("mpxns")[0].GetString()), Is.EqualTo(("Decommissioned", mpan)));
        var read = await SendAsync(Distributor, ReadInventory.ByMpxn(mpan));
        Assert.That(((DspInventory)read.Response.Message!.Payload!).Devices.Single().DeviceStatus, Is.EqualTo(DeviceStatus.Decommissioned));
    }

    [Test]
    public async Task A_refusal_carries_the_clause_the_json_api_cites_for_the_same_request()
    {
        var esme = await PreNotifyAsync(Supplier, DuisType.Esme, Smets2Esme);

        var viaDuis = await SendAsync(OtherSupplier, new DecommissionDevice(esme));
        using var viaJson = await Host.Http.PostAsJsonAsync($"/inventory/devices/{esme}/decommission",
            new { actor = new { party = OtherSupplier.Id.ToString(), role = "IS" } }, Ct);
        var problem = await viaJson.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.That(Code(viaDuis), Is.EqualTo("E4"), Describe(viaDuis));
        Assert.That(DuisRejection.TryParse(viaDuis.Response.ResponseCode, viaDuis.Response.Diagnostic, out var rejection), Is.True, viaDuis.Response.Diagnostic);
        Assert.That((rejection.Clause, rejection.Reason), Is.EqualTo((problem.GetProperty("clause").GetString(), problem.GetProperty("code").GetString())));
        Assert.That(await StatusAsync(esme), Is.EqualTo("Pending"));
    }

    [Test]
    public async Task A_device_request_is_acknowledged_and_its_signed_response_reaches_the_poll_endpoint_and_the_callback()
    {
        var (chf, _) = await CommissionedHubAsync();
        var esme = await PreNotifyAsync(Supplier, DuisType.Esme, Smets2Esme);
        await using var receiver = await CallbackReceiver.StartAsync(failFirst: 0, Ct);
        await Host.PostJsonAsync($"/api/v1/users/{Supplier.Id}/callback", new { url = receiver.Url.ToString() }, Ct);
        try
        {
            var sent = await SendAsync(Supplier,
                new UpdateHanDeviceLog(esme, HanDeviceLogRequestType.Add, new ChfWhitelistEntry(3600, Convert.FromHexString("0011223344556677"), ImportMpxn: NewMpan())),
                target: chf);

            Assert.That(Code(sent), Is.EqualTo("I99"), Describe(sent));
            var polled = await NextResponseForAsync(Supplier, sent.Response.RequestId!.Value);
            Assert.That(polled.ResponseCode.Value, Is.EqualTo("I0"), polled.Diagnostic);
            Assert.That(((RawResponsePayload)polled.Message!.Payload!).Element.Value, Is.EqualTo(Convert.ToBase64String(LoopbackWan.ResponsePayload)));
            Assert.That(await StatusAsync(esme), Is.EqualTo("Whitelisted"), "AC 4.3: Successfully Executed Update HAN Device Log whitelists the Device");
            var delivered = await receiver.NextAsync(Ct);
            var verified = await new DuisSignatureVerifier(Host.DccCertificates).VerifyAsync(delivered, Ct);
            Assert.That(verified.IsValid, Is.True, verified.Reason);
            Assert.That(DuisResponse.Parse(verified.Document!).RequestId, Is.EqualTo(sent.Response.RequestId));
        }
        finally
        {
            await Host.Http.DeleteAsync($"/api/v1/users/{Supplier.Id}/callback", Ct);
        }
    }

    [Test]
    public async Task Callback_delivery_retries_until_the_user_takes_the_response()
    {
        var user = await Host.NewPartyAsync(NewDevice(), Ct, UserRole.IS);
        var (chf, _) = await CommissionedHubAsync();
        await using var receiver = await CallbackReceiver.StartAsync(failFirst: 2, Ct);
        await Host.PostJsonAsync($"/api/v1/users/{user.Id}/callback", new { url = receiver.Url.ToString() }, Ct);

        var sent = await SendAsync(user, new ReadDeviceLog(), target: chf);

        Assert.That(Code(sent), Is.EqualTo("I99"), Describe(sent));
        var delivered = await receiver.NextAsync(Ct);
        Assert.That(DuisResponse.Parse(delivered).RequestId, Is.EqualTo(sent.Response.RequestId));
        Assert.That(receiver.Attempts, Is.EqualTo(3), "two refusals (503), then the delivery that was taken");
    }

    [Test]
    public async Task A_command_the_device_does_not_execute_comes_back_as_an_error_response()
    {
        var (chf, _) = await CommissionedHubAsync();
        Host.Wan!.DevicesFail = true;
        try
        {
            var sent = await SendAsync(Supplier, new ReadDeviceLog(), target: chf);
            var response = await NextResponseForAsync(Supplier, sent.Response.RequestId!.Value);
            Assert.That(response.ResponseCode.Value, Is.EqualTo("E20"), response.Diagnostic);
            Assert.That(response.Diagnostic, Does.Contain("not Successfully Executed"));
        }
        finally
        {
            Host.Wan!.DevicesFail = false;
        }
    }

    [Test]
    public async Task A_critical_request_to_a_device_not_in_the_smi_is_refused_under_ac_2_7_and_nothing_is_sent()
    {
        var stranger = NewDevice();
        var before = Host.Wan!.Submitted.Count;

        var sent = await SendAsync(Supplier, new CommissionDevice(Host.Dcc.Clock.UtcNow, 60), target: stranger);

        Assert.That(Code(sent), Is.EqualTo("E19"), Describe(sent));
        Assert.That(sent.Response.Diagnostic, Does.StartWith("[AC-2.7] DeviceNotInSmi"));
        Assert.That(Host.Wan.Submitted.Count, Is.EqualTo(before));
    }

    [Test]
    public async Task The_dcc_certificate_endpoint_gives_the_key_that_signs_responses()
    {
        var info = await Host.Http.GetFromJsonAsync<JsonElement>("/api/v1/dcc-certificate", Ct);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(info.GetProperty("certificatePem").GetString());
        var read = await SendAsync(OtherUser, ReadInventory.ByDeviceId(NewDevice()));

        var verified = await new DuisSignatureVerifier(new InMemoryCertificateResolver([certificate])).VerifyAsync(read.ResponseXml, Ct);

        Assert.That(verified.IsValid, Is.True, verified.Reason);
        Assert.That(info.GetProperty("eui").GetString(), Is.EqualTo(Host.DccEui.ToString()));
    }

    [Test]
    public async Task Registering_a_certificate_that_cannot_sign_is_refused_with_the_reason()
    {
        using var keyAgreement = TestParty.CertificateOnly("CN=key agreement only", System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyAgreement);

        using var response = await Host.Http.PostAsJsonAsync("/api/v1/users",
            new { eui = NewDevice().ToString(), roles = new[] { "IS" }, certificates = new[] { keyAgreement.ExportCertificatePem() } }, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("not digitalSignature"));
    }

    [Test]
    public void The_diagnostic_reads_back_clause_reason_field_and_message()
    {
        var rejection = DuisRejection.From(new Refusal("AC-4.12(b)", "MeterStatusNotCommissionable", "Meter is Pending: Commission it from 'installed not commissioned'.", RefusalKind.Conflict, "deviceId"));

        Assert.That(DuisRejection.TryParse(rejection.Code, rejection.Diagnostic, out var back), Is.True);
        Assert.That(back, Is.EqualTo(rejection));
        Assert.That(rejection.Code.Value, Is.EqualTo("E5"));
    }

    private async Task<DuisResponse> NextResponseForAsync(TestParty party, RequestId requestId)
    {
        long after = 0;
        while (await Host.NextResponseAsync(party.Id, after, Ct) is { } next)
        {
            var response = DuisResponse.Parse(next.Xml);
            if (response.RequestId == requestId)
            {
                var verified = await new DuisSignatureVerifier(Host.DccCertificates).VerifyAsync(next.Xml, Ct);
                Assert.That(verified.IsValid, Is.True, verified.Reason);
                return response;
            }
            after = next.Sequence;
        }
        Assert.Fail($"No device response for {requestId} reached the poll endpoint within its wait.");
        return null!;
    }
}

/// <summary>A User's callback endpoint on a free loopback port: it refuses the first deliveries if told to, and hands over each body it takes.</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Threading.Channels.Channel<string> _taken = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private int _attempts;

    private CallbackReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;
    public int Attempts => Volatile.Read(ref _attempts);

    public static async Task<CallbackReceiver> StartAsync(int failFirst, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new CallbackReceiver(app);
        app.MapPost("/duis", async (HttpRequest req) =>
        {
            var attempt = Interlocked.Increment(ref receiver._attempts);
            var body = await new StreamReader(req.Body).ReadToEndAsync();
            if (attempt <= failFirst)
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            await receiver._taken.Writer.WriteAsync(body);
            return Results.Ok();
        });
        await app.StartAsync(ct);
        receiver.Url = new Uri(new Uri(app.Urls.First()), "/duis");
        return receiver;
    }

    public async Task<string> NextAsync(CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(15));
        return await _taken.Reader.ReadAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
