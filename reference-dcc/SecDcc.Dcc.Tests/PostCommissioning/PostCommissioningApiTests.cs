using System.Net;
using System.Text.Json;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.PostCommissioning;

/// <summary>The post-commissioning JSON API of the service, run as its own process on a real SQLite file in test mode.</summary>
public sealed class PostCommissioningApiTests() : ServiceApiFixture("pc-api", 0x00DC_0000_0000_0000, "2025-01-01T09:00:00Z")
{
    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await _dcc.Http.GetAsync(path, _ct);
        var text = await response.Content.ReadAsStringAsync(_ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private async Task Ok(string path, object body)
    {
        var (status, answer) = await _dcc.PostJsonAsync(path, body, _ct);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"POST {path}: {answer}");
    }

    private static void AssertProblem(HttpStatusCode status, JsonElement body, HttpStatusCode expected, string clause, string? field = null)
    {
        Assert.That(status, Is.EqualTo(expected), body.ToString);
        Assert.That(body.GetProperty("clause").GetString(), Is.EqualTo(clause), body.ToString);
        Assert.That(body.GetProperty("detail").GetString(), Is.Not.Empty);
        if (field is not null)
            Assert.That(body.GetProperty("field").GetString(), Is.EqualTo(field), body.ToString);
    }

    /// <summary>A delivered hub with its CHF Commissioned and an ESME Commissioned now, through the JSON API.</summary>
    private async Task<(string Chf, string Esme)> CommissionedMeterAsync()
    {
        var (chf, gpf, esme) = (NewId(), NewId(), NewId());
        await Ok("/inventory/communications-hubs/deliveries", new { chfId = chf, gpfId = gpf, model = Model(Smets2Hub), deliveredTo = ImportSupplier.Party.ToString() });
        await Ok("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = esme, deviceType = "ESME", model = Model(Smets2Esme), generation = "SMETS2+" });
        await Ok("/inventory/events/chf-communication", new { chfId = chf });
        await Ok("/inventory/events/han-device-log", new { actor = Actor(ImportSupplier), chfId = chf, deviceId = esme, mpxns = new[] { Mpan } });
        await Ok("/inventory/events/han-alert", new { chfId = chf, deviceId = esme });
        await Ok("/inventory/commission", new { actor = Actor(ImportSupplier), meterId = esme });
        await Ok("/inventory/events/commission-device-response", new { meterId = esme, successfullyExecuted = true });
        return (chf, esme);
    }

    [Test, Category("AC-5.7"), Category("AC-5.8"), Category("AC-5.12")]
    public async Task AC_5_7_a_meter_left_alone_for_7_days_is_in_the_marked_post_commissioning_information_with_its_reasons()
    {
        var (_, esme) = await CommissionedMeterAsync();
        await Ok("/inventory/events/credentials-response", new { deviceId = esme, serviceReferenceVariant = "6.17", successfullyExecuted = true });
        await Ok("/inventory/events/recovery-interrogation", new { deviceId = esme, interrogatedBy = "DCC", succeeded = true, recoveryCellPopulated = false });
        await Ok("/clock/advance", new { by = "P7D" });

        var (status, body, response) = await GetAsync("/reports/post-commissioning");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Report-Marking"), Is.EqualTo(new[] { "confidential" }));
        Assert.That(body.GetProperty("marking").GetString(), Is.EqualTo("confidential"));
        var entry = body.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("deviceId").GetString() == esme);
        Assert.That(entry.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "AC-5.7(b)", "AC-5.7(c)(i)", "AC-5.7(c)(ii)", "AC-5.7(c)(iii)" }));
        Assert.That((entry.GetProperty("deviceType").GetString(), entry.GetProperty("commissioningSupplier").GetString()), Is.EqualTo(("ESME", ImportSupplier.Party.ToString())));

        var device = await _dcc.GetJsonAsync($"/post-commissioning/devices/{esme}", _ct);
        Assert.That(device.GetProperty("listed").GetProperty("deviceId").GetString(), Is.EqualTo(esme));
        Assert.That(device.GetProperty("facts").GetProperty("successfulCommands").GetProperty("issueSecurityCredentials").GetInt32(), Is.EqualTo(1));
        Assert.That(device.GetProperty("restriction").GetProperty("clause").GetString(), Is.EqualTo("AC-5.14(a)"));
    }

    [Test, Category("AC-5.14")]
    public async Task AC_5_14_the_guard_answers_a_refusal_as_problem_details_and_names_the_exception_it_admits()
    {
        var (_, esme) = await CommissionedMeterAsync();
        await Ok("/clock/advance", new { by = "P7D" });
        var (refused, problem) = await _dcc.PostJsonAsync("/post-commissioning/service-requests", new { actor = Actor(ImportSupplier), deviceId = esme, serviceReferenceVariant = "4.1.1" }, _ct);
        AssertProblem(refused, problem, HttpStatusCode.Conflict, "AC-5.14(a)", "serviceReferenceVariant");

        var (ok, cleared) = await _dcc.PostJsonAsync("/post-commissioning/service-requests", new { actor = Actor(ImportSupplier), deviceId = esme, serviceReferenceVariant = "4.1.1", purpose = "MaintainingEnergySupply" }, _ct);
        Assert.That((ok, cleared.GetProperty("exception").GetString()), Is.EqualTo((HttpStatusCode.OK, "AC-5.14(iii)")));

        var (bad, invalid) = await _dcc.PostJsonAsync("/post-commissioning/service-requests", new { actor = Actor(ImportSupplier), deviceId = esme, serviceReferenceVariant = "4.1.1", purpose = "Because" }, _ct);
        AssertProblem(bad, invalid, HttpStatusCode.BadRequest, "JSON", "purpose");
    }

    [Test, Category("AC-5.9"), Category("AC-5.10"), Category("AC-5.11"), Category("AC-5.12")]
    public async Task AC_5_10_reports_carry_the_confidential_marking_and_bad_parameters_get_problem_details()
    {
        await CommissionedMeterAsync();
        var now = (await _dcc.GetJsonAsync("/clock", _ct)).GetProperty("now").GetDateTimeOffset();
        await Ok("/clock/advance", new { by = "P1D" });
        var day = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd");

        var (status, daily, response) = await GetAsync($"/reports/daily?supplier={ImportSupplier.Party}&date={day}&includeCommissioningSupplier=true");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), daily.ToString);
        Assert.That(response.Headers.GetValues("Report-Marking"), Is.EqualTo(new[] { "confidential" }));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(daily.GetProperty("marking").GetString(), Is.EqualTo("confidential"));
        Assert.That(daily.GetProperty("title").GetString(), Does.StartWith("CONFIDENTIAL").And.Contain("5.11"));

        var month = now.ToString("yyyy-MM");
        var (notEnded, problem, _) = await GetAsync($"/reports/monthly?month={month}");
        AssertProblem(notEnded, problem, HttpStatusCode.Conflict, "AC-5.9", "month");
        var (badMonth, monthProblem, _) = await GetAsync("/reports/monthly?month=March");
        AssertProblem(badMonth, monthProblem, HttpStatusCode.BadRequest, "JSON", "month");
        var (badDate, dateProblem, _) = await GetAsync($"/reports/daily?supplier={ImportSupplier.Party}&date=yesterday");
        AssertProblem(badDate, dateProblem, HttpStatusCode.BadRequest, "JSON", "date");
        var (badSupplier, supplierProblem, _) = await GetAsync($"/reports/daily?supplier=someone&date={day}");
        AssertProblem(badSupplier, supplierProblem, HttpStatusCode.BadRequest, "JSON", "supplier");
    }

    [Test, Category("AC-5.5"), Category("AC-5.18")]
    public async Task AC_5_18_fact_events_map_their_fields_and_refuse_bad_ones_by_name()
    {
        var (chf, esme) = await CommissionedMeterAsync();
        var certificates = new[] { new { use = "DigitalSigning", serialNumber = "0A0B", issuer = "CN=Z1,OU=07" } };
        await Ok("/inventory/events/keys-regenerated", new { deviceId = chf, certificates });
        await Ok("/inventory/events/organisation-certificate-replaced", new { deviceId = chf });
        await Ok("/inventory/events/network-party-credentials", new { deviceId = esme, party = Distributor.Party.ToString() });
        await Ok("/inventory/events/supplier-credentials", new { deviceId = esme, party = ImportSupplier.Party.ToString() });
        var (replaced, record) = await _dcc.PostJsonAsync("/inventory/events/device-certificates",
            new { deviceId = chf, successfullyExecuted = true, certificates = new[] { new { use = "DigitalSigning", serialNumber = "0A0C", issuer = "CN=Z1,OU=07" } } }, _ct);
        Assert.That(replaced, Is.EqualTo(HttpStatusCode.OK), record.ToString);
        Assert.That(record.GetProperty("certificates").EnumerateArray().Select(c => (c.GetProperty("serialNumber").GetString(), c.GetProperty("current").GetBoolean())),
            Is.EqualTo(new[] { ("0A0C", true), ("0A0B", false) }));

        var status = await _dcc.GetJsonAsync($"/post-commissioning/devices/{chf}", _ct);
        Assert.That(status.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("state").GetString()), Is.EqualTo(new[] { "Done", "Done" }));

        var (s1, p1) = await _dcc.PostJsonAsync("/inventory/events/credentials-response", new { deviceId = esme, serviceReferenceVariant = "6.23", successfullyExecuted = true }, _ct);
        AssertProblem(s1, p1, HttpStatusCode.BadRequest, "AC-5.7(c)", "serviceReferenceVariant");
        var (s2, p2) = await _dcc.PostJsonAsync("/inventory/events/recovery-interrogation", new { deviceId = esme, interrogatedBy = "Panel", succeeded = true }, _ct);
        AssertProblem(s2, p2, HttpStatusCode.BadRequest, "JSON", "interrogatedBy");
        var (s3, p3) = await _dcc.PostJsonAsync("/inventory/events/keys-regenerated", new { deviceId = esme, certificates = new[] { new { use = "Encryption", serialNumber = "01", issuer = "CN=Z1" } } }, _ct);
        AssertProblem(s3, p3, HttpStatusCode.BadRequest, "JSON", "certificates[0].use");
        var (s4, p4) = await _dcc.PostJsonAsync("/inventory/events/organisation-certificate-replaced", new { deviceId = NewId() }, _ct);
        AssertProblem(s4, p4, HttpStatusCode.NotFound, "AC-5.5", "deviceId");
        var (s5, p5) = await _dcc.PostJsonAsync("/inventory/events/recovery-interrogation", new { deviceId = esme, succeeded = true }, _ct);
        AssertProblem(s5, p5, HttpStatusCode.BadRequest, "AC-5.4", "recoveryCellPopulated");
    }

    [Test, Category("AC-5.13")]
    public async Task AC_5_13_incidents_are_listed_per_device()
    {
        var (chf, _) = await CommissionedMeterAsync();
        await Ok("/clock/advance", new { by = "P7D" });
        var incidents = await _dcc.GetJsonAsync($"/post-commissioning/incidents?deviceId={chf}", _ct);
        Assert.That(incidents.EnumerateArray().Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("clause").GetString())),
            Is.EquivalentTo(new[] { ("Incident", "AC-5.13(a)"), ("Incident", "AC-5.13(b)") }));
    }
}
