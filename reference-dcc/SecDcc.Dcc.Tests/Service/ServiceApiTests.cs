using System.Net;
using System.Text.Json;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Service;

/// <summary>The JSON API of the service, run as its own process on a real SQLite file.</summary>
public sealed class ServiceApiTests() : ServiceApiFixture("api", 0x00DB_0000_0000_0000, "2025-01-01T00:00:00Z", "--max-body-bytes", "65536")
{
    private async Task<long> CountAsync() => (await _dcc.GetJsonAsync("/inventory/devices?limit=10000", _ct)).GetProperty("devices").GetArrayLength();

    private static void AssertProblem(HttpStatusCode status, JsonElement body, HttpStatusCode expected, string? clause = null, string? field = null)
    {
        Assert.That(status, Is.EqualTo(expected), body.ToString);
        Assert.That(body.GetProperty("status").GetInt32(), Is.EqualTo((int)expected));
        Assert.That(body.GetProperty("title").GetString(), Is.Not.Empty);
        Assert.That(body.GetProperty("detail").GetString(), Is.Not.Empty);
        if (clause is not null)
            Assert.That(body.GetProperty("clause").GetString(), Is.EqualTo(clause));
        if (field is not null)
            Assert.That(body.GetProperty("field").GetString(), Is.EqualTo(field));
    }

    [Test]
    public async Task Health_live_and_ready_answer_and_ready_names_the_store()
    {
        Assert.That((await _dcc.GetJsonAsync("/health/live", _ct)).GetProperty("status").GetString(), Is.EqualTo("live"));
        var ready = await _dcc.GetJsonAsync("/health/ready", _ct);
        Assert.That((ready.GetProperty("store").GetString(), ready.GetProperty("schemaVersion").GetInt32()), Is.EqualTo(("sqlite", global::SecDcc.Dcc.Persistence.Migrations.All[^1].Version)));
    }

    [Test]
    public async Task Pre_notification_through_to_commissioning_over_the_json_api()
    {
        var (chf, gpf, esme) = (NewId(), NewId(), NewId());
        Assert.That((await _dcc.PostJsonAsync("/inventory/communications-hubs/deliveries", new { chfId = chf, gpfId = gpf, model = Model(Smets2Hub), deliveredTo = ImportSupplier.Party.ToString() }, _ct)).Status, Is.EqualTo(HttpStatusCode.OK));
        var (s1, added) = await _dcc.PostJsonAsync("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = esme, deviceType = "ESME", model = Model(Smets2Esme), generation = "SMETS2+" }, _ct);
        Assert.That((s1, added.GetProperty("status").GetString()), Is.EqualTo((HttpStatusCode.OK, "Pending")));
        Assert.That((await _dcc.PostJsonAsync("/inventory/events/chf-communication", new { chfId = chf }, _ct)).Body.GetProperty("status").GetString(), Is.EqualTo("Commissioned"));
        Assert.That((await _dcc.PostJsonAsync("/inventory/events/han-device-log", new { actor = Actor(ImportSupplier), chfId = chf, deviceId = esme, mpxns = new[] { Mpan } }, _ct)).Body.GetProperty("status").GetString(), Is.EqualTo("Whitelisted"));
        await _dcc.PostJsonAsync("/inventory/events/han-alert", new { chfId = chf, deviceId = esme }, _ct);
        Assert.That((await _dcc.PostJsonAsync("/inventory/commission", new { actor = Actor(ImportSupplier), meterId = esme }, _ct)).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _dcc.PostJsonAsync("/inventory/events/commission-device-response", new { meterId = esme, successfullyExecuted = true }, _ct)).Body.GetProperty("status").GetString(), Is.EqualTo("Commissioned"));
        var hub = await _dcc.GetJsonAsync($"/inventory/chf/{chf}", _ct);
        Assert.That(hub.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()), Is.EquivalentTo(new[] { gpf, esme }));
        var notices = await _dcc.GetJsonAsync($"/notifications?recipient={Distributor.Party}", _ct);
        Assert.That(notices.EnumerateArray().Any(n => n.GetProperty("clause").GetString() == "AC-4.3(b)" && n.GetProperty("deviceId").GetString() == esme), Is.True);
    }

    [Test]
    public async Task Refusal_is_a_problem_naming_its_clause_and_the_smi_is_unchanged()
    {
        var before = await CountAsync();
        var (status, body) = await _dcc.PostJsonAsync("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = NewId(), deviceType = "ESME", model = Model(NotOnCpl), generation = "SMETS2+" }, _ct);
        AssertProblem(status, body, HttpStatusCode.Conflict, "AC-2.6", "model");
        Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("DeviceModelNotOnCpl"));
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:secdcc:refusal:DeviceModelNotOnCpl"));
        Assert.That(await CountAsync(), Is.EqualTo(before));
    }

    [Test, Category("AC-12.3")]
    public async Task Production_proving_hub_is_refused_without_approval_and_included_with_it()
    {
        var (chf, gpf) = (NewId(), NewId());
        var hub = new { chfId = chf, gpfId = gpf, model = Model(Smets2Hub) };
        var (refusedStatus, refused) = await _dcc.PostJsonAsync("/inventory/production-proving/hubs", hub, _ct);
        AssertProblem(refusedStatus, refused, HttpStatusCode.Conflict, "AC-12.3", "chfId");
        var (approvalStatus, approval) = await _dcc.PostJsonAsync("/inventory/production-proving/approvals", new { chfId = chf, gpfId = gpf, reference = "SSC-7" }, _ct);
        Assert.That((approvalStatus, approval.GetProperty("reference").GetString()), Is.EqualTo((HttpStatusCode.OK, "SSC-7")));
        var (status, body) = await _dcc.PostJsonAsync("/inventory/production-proving/hubs", hub, _ct);
        Assert.That((status, body.GetProperty("chf").GetProperty("status").GetString()), Is.EqualTo((HttpStatusCode.OK, "Pending")), body.ToString);
    }

    [Test, Category("AC-6.3")]
    public async Task Smets1_service_desk_information_is_updated_and_read_back()
    {
        var esme = NewId();
        await _dcc.PostJsonAsync($"/inventory/devices/{esme}/service-desk", new { actor = Actor(ImportSupplier), information = new Dictionary<string, string> { ["wanAddress"] = "10.0.0.1" } }, _ct);
        var (added, _) = await _dcc.PostJsonAsync("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = esme, deviceType = "ESME", model = Model(Smets1Esme), generation = "SMETS1" }, _ct);
        Assert.That(added, Is.EqualTo(HttpStatusCode.OK));
        var (updated, _) = await _dcc.PostJsonAsync($"/inventory/devices/{esme}/service-desk", new { actor = Actor(OtherUser), information = new Dictionary<string, string> { ["wanAddress"] = "10.0.0.2" } }, _ct);
        Assert.That(updated, Is.EqualTo(HttpStatusCode.OK));
        var held = await _dcc.GetJsonAsync($"/inventory/devices/{esme}/service-desk", _ct);
        Assert.That((held.GetProperty("information").GetProperty("wanAddress").GetString(), held.GetProperty("providedBy").GetProperty("party").GetString()),
            Is.EqualTo(("10.0.0.2", OtherUser.Party.ToString())));
        var (status, body) = await _dcc.PostJsonAsync($"/inventory/devices/{esme}/service-desk", new { actor = Actor(OtherUser), information = new Dictionary<string, string>() }, _ct);
        AssertProblem(status, body, HttpStatusCode.BadRequest, "AC-6.3", "information");
    }

    [Test]
    public async Task Unknown_device_is_a_404_problem_with_its_clause()
    {
        var response = await _dcc.Http.GetAsync($"/inventory/devices/{NewId()}", _ct);
        AssertProblem(response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct)).RootElement, HttpStatusCode.NotFound, "AC-2.1");
    }

    [Test]
    public async Task Wrong_type_for_the_request_is_refused_with_its_clause()
    {
        var gpf = NewId();
        await _dcc.PostJsonAsync("/inventory/communications-hubs/deliveries", new { chfId = NewId(), gpfId = gpf, model = Model(Smets2Hub), deliveredTo = ImportSupplier.Party.ToString() }, _ct);
        var (status, body) = await _dcc.PostJsonAsync("/inventory/commission", new { actor = Actor(ImportSupplier), meterId = gpf }, _ct);
        AssertProblem(status, body, HttpStatusCode.BadRequest, "AC-4.11", "meterId");
    }

    [Test]
    public async Task Status_the_clause_does_not_allow_is_a_409_problem()
    {
        var id = NewId();
        await _dcc.PostJsonAsync("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = id, deviceType = "PPMID", model = Model(Smets2Ppmid), generation = "SMETS2+" }, _ct);
        var (status, body) = await _dcc.PostJsonAsync($"/inventory/devices/{id}/reactivate", new { actor = Actor(ImportSupplier) }, _ct);
        AssertProblem(status, body, HttpStatusCode.Conflict, "AC-8.1");
    }

    [Test]
    public async Task Not_the_responsible_supplier_is_a_403_problem()
    {
        var id = NewId();
        await _dcc.PostJsonAsync("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = id, deviceType = "PPMID", model = Model(Smets2Ppmid), generation = "SMETS2+" }, _ct);
        var (status, body) = await _dcc.PostJsonAsync($"/inventory/devices/{id}/decommission", new { actor = Actor(OtherSupplier) }, _ct);
        AssertProblem(status, body, HttpStatusCode.Forbidden, "H6", "requester");
    }

    [Test]
    public async Task Malformed_json_is_a_400_problem_saying_where()
    {
        var before = await CountAsync();
        var (status, body) = await _dcc.PostRawAsync("/inventory/devices", "{\"deviceId\": \"00-11\", \"deviceType\": ", _ct);
        AssertProblem(status, body, HttpStatusCode.BadRequest);
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:secdcc:problem:malformed-json"));
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain("line 1"));
        Assert.That(await CountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Json_of_the_wrong_shape_names_the_field()
    {
        var (status, body) = await _dcc.PostRawAsync("/inventory/devices", "{\"deviceId\": 17}", _ct);
        AssertProblem(status, body, HttpStatusCode.BadRequest, field: "$.deviceId");
    }

    [Test]
    public async Task Bad_field_values_are_refused_naming_the_field()
    {
        var (s1, b1) = await _dcc.PostJsonAsync("/inventory/devices", new { actor = new { party = ImportSupplier.Party.ToString(), role = "XX" }, deviceId = NewId(), deviceType = "ESME", model = Model(Smets2Esme), generation = "SMETS2+" }, _ct);
        AssertProblem(s1, b1, HttpStatusCode.BadRequest, "JSON", "actor.role");
        var (s2, b2) = await _dcc.PostJsonAsync("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = "00-11-22", deviceType = "ESME", model = Model(Smets2Esme), generation = "SMETS2+" }, _ct);
        AssertProblem(s2, b2, HttpStatusCode.BadRequest, "JSON", "deviceId");
        Assert.That(b2.GetProperty("detail").GetString(), Does.Contain("EUI-64"));
        var (s3, b3) = await _dcc.PostJsonAsync("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = NewId(), deviceType = "TOASTER", model = Model(Smets2Esme), generation = "SMETS2+" }, _ct);
        AssertProblem(s3, b3, HttpStatusCode.BadRequest, "JSON", "deviceType");
    }

    [Test]
    public async Task Oversize_body_is_a_413_problem_and_the_smi_is_unchanged()
    {
        var before = await CountAsync();
        var big = "{\"padding\": \"" + new string('x', 100_000) + "\"}";
        var (status, body) = await _dcc.PostRawAsync("/inventory/devices", big, _ct);
        AssertProblem(status, body, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain("--max-body-bytes"));
        Assert.That(await CountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Cpl_with_a_bad_signature_is_refused_naming_the_field()
    {
        using var impostor = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var (status, body) = await _dcc.PostRawAsync("/products/cpl", _cpl.SignedCpl(_cpl.StandardEntries(), Start, sequence: 1000, key: impostor), _ct);
        AssertProblem(status, body, HttpStatusCode.BadRequest, "F2.15(a)", "signature");
        var cpl = await _dcc.GetJsonAsync("/products/cpl", _ct);
        Assert.That(cpl.GetProperty("document").GetProperty("sequence").GetInt64(), Is.Not.EqualTo(1000));
    }

    [Test]
    public async Task Cpl_with_a_missing_field_is_refused_naming_it()
    {
        var entries = _cpl.StandardEntries().ToList();
        entries[1].Remove("firmwareHash");
        var (status, body) = await _dcc.PostRawAsync("/products/cpl", _cpl.SignedCpl(entries, Start, sequence: 2000), _ct);
        AssertProblem(status, body, HttpStatusCode.BadRequest, "F2.2(d)", "entries[1].firmwareHash");
    }

    [Test]
    public async Task Products_lists_are_served()
    {
        var (s, combo) = await _dcc.PostJsonAsync("/products/ppc", new { requester = "00-11-22-33-44-55-66-77", models = new[] { Model(Smets1Hub), Model(Smets1Gsme) } }, _ct);
        Assert.That(s, Is.EqualTo(HttpStatusCode.OK), combo.ToString);
        var key = combo.GetProperty("key").GetString();
        Assert.That((await _dcc.GetJsonAsync("/products/ppc", _ct)).EnumerateArray().Any(c => c.GetProperty("key").GetString() == key), Is.True);
        Assert.That((await _dcc.PostJsonAsync("/products/ppc/result", new { combinationKey = key, passed = true }, _ct)).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _dcc.GetJsonAsync("/products/epc", _ct)).EnumerateArray().Any(c => c.GetProperty("key").GetString() == key), Is.True);
        Assert.That((await _dcc.GetJsonAsync("/products/dpl", _ct)).ValueKind, Is.EqualTo(JsonValueKind.Array));
    }

    [Test]
    public async Task Clock_moves_in_test_mode_and_runs_the_duties()
    {
        var id = NewId();
        await _dcc.PostJsonAsync("/inventory/devices", new { actor = Actor(ImportSupplier), deviceId = id, deviceType = "PPMID", model = Model(Smets2Ppmid), generation = "SMETS2+" }, _ct);
        var now = (await _dcc.GetJsonAsync("/clock", _ct)).GetProperty("now").GetDateTimeOffset();
        var (status, moved) = await _dcc.PostJsonAsync("/clock/advance", new { by = "P400D" }, _ct);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), moved.ToString);
        Assert.That(moved.GetProperty("now").GetDateTimeOffset(), Is.EqualTo(now.AddDays(400)));
        Assert.That(moved.GetProperty("duties").GetProperty("pendingRemoved").GetInt32(), Is.GreaterThanOrEqualTo(1));
        Assert.That((await _dcc.Http.GetAsync($"/inventory/devices/{id}", _ct)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "AC 8.2 removed it");
        var (back, problem) = await _dcc.PostJsonAsync("/clock/set", new { to = "2000-01-01T00:00:00Z" }, _ct);
        AssertProblem(back, problem, HttpStatusCode.BadRequest, field: "to");
    }

    [Test]
    public async Task Clock_and_device_events_do_not_exist_outside_test_mode()
    {
        var dir = Path.Combine(_dir, "prod");
        Directory.CreateDirectory(dir);
        await using var production = await ServiceProcess.StartAsync(["--data", Path.Combine(dir, "smi.db")], _ct);
        Assert.That((await production.Http.GetAsync("/clock", _ct)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await production.PostJsonAsync("/inventory/events/han-alert", new { }, _ct)).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await production.Http.GetAsync("/health/ready", _ct)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Bad_command_line_stops_the_service_with_a_message()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(ServiceProcess.ServiceDll());
        psi.ArgumentList.Add("--max-body-bytes");
        psi.ArgumentList.Add("lots");
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = await p.StandardError.ReadToEndAsync(_ct);
        await p.WaitForExitAsync(_ct);
        Assert.That(p.ExitCode, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--max-body-bytes 'lots'"));
    }
}
