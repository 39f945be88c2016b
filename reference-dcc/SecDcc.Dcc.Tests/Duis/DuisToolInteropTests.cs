using System.Text;
using System.Xml.Linq;
using SecDcc.Dcc.Service.Duis.Parties;
using SecDcc.Dcc.Tests.Duis.Support;
using SecDcc.Dcc.Tests.Support;
using SecDcc.Duis;
using SecDcc.Duis.Client;
using SecDcc.Duis.Interop;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;
using static SecDcc.Dcc.Tests.Duis.Support.DuisTemplate;
using DomainModel = SecDcc.Dcc.Inventory.DeviceModel;
using DuisType = SecDcc.Duis.Messages.DeviceType;

namespace SecDcc.Dcc.Tests.Duis;

/// <summary>
/// The reference DCC against the DCC's own tools: the @smartdcc/duis-templates request of every SRV in scope,
/// re-targeted at Devices this test creates and signed by the DCC Boxed signing tool (--preserveCounter, counters
/// strictly increasing), is accepted and does what its clause says; and every response the DCC sends, for those and
/// for the C# client's requests, passes the tool's Validate (XSD and signature). Signing and validation each run in
/// one JVM (decision 0202).
/// </summary>
[NonParallelizable]
public sealed class DuisToolInteropTests
{
    /// <summary>The model the templates pre-notify (12.2), put on the CPL so the DCC accepts them.</summary>
    private static readonly DomainModel TemplateModel = new("AB01", "010A030B", "HW-T", "0002012F");

    // The CPL lists a Device Model once, so the other Device Types pre-notified from the same template get models of their own.
    private static readonly DomainModel TemplateGasModel = TemplateModel with { Model = "010A030C" };
    private static readonly DomainModel TemplatePpmidModel = TemplateModel with { Model = "010A030D" };

    private DuisTool _tool = null!;
    private DuisHost _host = null!;
    private DccBoxedKeyStore _store = null!;
    private string _templates = null!;
    private string _work = null!;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(3));
    private CancellationToken Ct => _timeout.Token;
    private static long _device = 0x00DB_5700_0000_0000 + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() & 0xFFFF_FFFF) * 0x100;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _tool = DuisTool.TryLocate(out var whyNot) ?? IgnoreBecause<DuisTool>($"{whyNot} The DCC's tools come from '{DuisTool.InstallCommand}' and run on Java.");
        var keystore = PartySources.FindKeystore(null) ?? IgnoreBecause<string>($"The ZAZ1 keystore is not installed; run '{DuisTool.InstallCommand}' from the repository root.");
        _store = await DccBoxedKeyStore.LoadAsync(keystore, Ct);
        _templates = Path.Combine(_tool.InteropDirectory, "node_modules", "@smartdcc", "duis-templates", "templates");
        _work = Directory.CreateTempSubdirectory("secdcc-duis-interop-").FullName;
        var cpl = new CplBuilder();
        _host = await DuisHost.StartAsync(Ct, ["--duis-test-parties", "--duis-keystore", keystore],
            cplEntries: [.. cpl.StandardEntries(), cpl.Entry("ESME", TemplateModel), cpl.Entry("GSME", TemplateGasModel), cpl.Entry("PPMID", TemplatePpmidModel)]);
        cpl.Dispose();
        await _host.PostJsonAsync("/inventory/network-operators", new { gas = false, prefix = "13", party = Zaz1Parties.NetworkOperator.ToString() }, Ct);
        await _host.PostJsonAsync("/inventory/network-operators", new { gas = true, prefix = "7", party = Zaz1Parties.NetworkOperator.ToString() }, Ct);
    }

    private static T IgnoreBecause<T>(string reason)
    {
        Assert.Ignore(reason);
        return default!;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        if (_work is not null)
            Directory.Delete(_work, recursive: true);
        _timeout.Dispose();
    }

    private static Eui64 NewDevice() => new((ulong)Interlocked.Increment(ref _device));

    private static ulong NextCounter() => TestParty.NextCounter();

    /// <summary>One template request of the run: what it is sent as, what the DCC must answer, and what it then checks.</summary>
    private sealed record Step(DuisTemplate Template, string ExpectedCode, Func<Task>? Before = null, Func<Task>? After = null);

    [Test]
    public async Task Every_srv_template_in_scope_is_accepted_does_what_its_clause_says_and_every_response_passes_the_tools_validate()
    {
        var (chf, gpf) = (NewDevice(), NewDevice());
        var (esme, gsme, ppmid, ihd, esmeD) = (NewDevice(), NewDevice(), NewDevice(), NewDevice(), NewDevice());
        var (mpan, mprn) = ("1312345678111", "7123456");
        await _host.PostJsonAsync("/inventory/communications-hubs/deliveries", new
        {
            chfId = chf.ToString(), gpfId = gpf.ToString(),
            model = new { manufacturer = TestWorld.Smets2Hub.Manufacturer, model = TestWorld.Smets2Hub.Model, hardwareVersion = TestWorld.Smets2Hub.HardwareVersion, firmwareVersion = TestWorld.Smets2Hub.FirmwareVersion },
            deliveredTo = Zaz1Parties.Supplier.ToString(),
        }, Ct);
        await _host.PostJsonAsync("/inventory/events/chf-communication", new { chfId = chf.ToString() }, Ct);
        var dcc = _host.DccEui;

        DuisTemplate T(string file) => Load(_templates, file);
        DuisTemplate PreNotify(Eui64 id, string type)
        {
            var t = T("12.2_DEVICE_PRE_NOTIFICATION_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", id.ToString()).Set("DeviceType", type);
            return type switch
            {
                "ESME" => t,
                "GSME" => t.Remove("ESMEVariant").Set("DeviceModel", TemplateGasModel.Model),
                "PPMID" => t.Remove("ESMEVariant").Set("DeviceModel", TemplatePpmidModel.Model),
                _ => t.Remove("ESMEVariant"),
            };
        }
        // The template whitelists an ESME with two MPANs; each Device here gets its own MPxN, or none if it is not a meter.
        DuisTemplate AddToLog(Eui64 device, string? importMpxn = null)
        {
            var t = T("CCS01_8.11_SUCCESS_REQUEST_DUIS.XML").Address(chf, NextCounter()).Set("DeviceID", device.ToString()).Remove("ImportMPxN").Remove("SecondaryImportMPAN");
            return importMpxn is null ? t : t.InsertAfter("InstallCode", Sr("ImportMPxN", importMpxn));
        }
        Func<Task> Alert(Eui64 device) => () => _host.PostJsonAsync("/inventory/events/han-alert", new { chfId = chf.ToString(), deviceId = device.ToString() }, Ct);
        Func<Task> Status(Eui64 device, string status) => async () =>
            Assert.That((await _host.DeviceAsync(device.ToString(), Ct))?.GetProperty("status").GetString(), Is.EqualTo(status), $"{device} after the step");
        Func<Task> Joined(Eui64 device, Eui64 owner, bool joined) => async () =>
            Assert.That((await _host.DeviceAsync(device.ToString(), Ct))!.Value.GetProperty("joinedTo").EnumerateArray().Select(j => j.GetString()),
                joined ? Does.Contain(owner.ToString()) : Does.Not.Contain(owner.ToString()));

        Step[] steps =
        [
            // 12.2 Device Pre-notification (AC 2.6, 2.9): Pending, or no status for a Type 2 Device.
            new(PreNotify(esme, "ESME"), "I0", After: Status(esme, "Pending")),
            new(PreNotify(gsme, "GSME"), "I0", After: Status(gsme, "Pending")),
            new(PreNotify(ppmid, "PPMID"), "I0", After: Status(ppmid, "Pending")),
            new(PreNotify(ihd, "IHD"), "I0"),
            new(PreNotify(esmeD, "ESME"), "I0", After: Status(esmeD, "Pending")),
            // 8.2 Read Inventory.
            new(T("8.2_READ_INVENTORY_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", esme.ToString()), "I0"),
            // 8.11 Update HAN Device Log (AC 4.3): whitelisted, MPxN recorded.
            new(AddToLog(esme, mpan), "I99", After: Status(esme, "Whitelisted")),
            new(AddToLog(gsme, mprn), "I99", After: Status(gsme, "Whitelisted")),
            new(AddToLog(ppmid), "I99", After: Status(ppmid, "Whitelisted")),
            // 8.1.1 Commission Device (AC 4.11–4.13), once the meters' HAN alerts made them installed-not-commissioned (AC 4.4).
            new(T("ECS70Commission_8.1.1_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99", Before: Alert(esme), After: Status(esme, "Commissioned")),
            new(T("GCS28Commission_8.1.1_SUCCESS_REQUEST_DUIS.XML").Address(gsme, NextCounter()), "I99", Before: Alert(gsme), After: Status(gsme, "Commissioned")),
            // 8.7 Join (AC 4.5–4.8) and 8.8 UnJoin (AC 7.1).
            new(T("CS03A1_8.7.1_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()).Set("OtherDeviceID", ppmid.ToString()), "I99",
                Before: Alert(ppmid), After: Joined(ppmid, esme, true)),
            new(T("CS03B_8.7.2_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()).Set("OtherDeviceID", ihd.ToString()), "I99", After: Joined(ihd, esme, true)),
            new(T("CS04ACCritical_8.8.1_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()).Set("OtherDeviceID", ppmid.ToString()), "I99", After: Joined(ppmid, esme, false)),
            new(T("CS04B_8.8.2_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()).Set("OtherDeviceID", ihd.ToString()), "I99", After: Joined(ihd, esme, false)),
            // 8.9 Read Device Log, 8.12 Restore Device Log.
            new(T("CS07_8.9_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99"),
            new(T("CCS05CCS04_8.9_SUCCESS_REQUEST_DUIS.XML").Address(chf, NextCounter()), "I99"),
            new(T("CCS03_8.12.1_SUCCESS_REQUEST_DUIS.XML").Address(chf, NextCounter()).Set("OldCHFID", NewDevice().ToString()), "I99"),
            new(T("GCS59_8.12.2_SUCCESS_REQUEST_DUIS.XML").Address(gpf, NextCounter(), Zaz1Parties.Supplier).Set("OldGPFID", NewDevice().ToString()), "I99"),
            // 6.x security credentials, carried to the Device.
            new(T("CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99"),
            new(T("CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99"),
            new(T("CS02d_6.15.2_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99"),
            new(T("CS02c_6.17_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99"),
            new(T("CS02bSupplierByTransCoS_6.23_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99"),
            new(T("CS02aMAC_6.24.1_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99"),
            new(T("CS02fMAC_6.24.1_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter(), Zaz1Parties.Supplier), "I99"),
            new(T("CS02e_6.24.2_SUCCESS_REQUEST_DUIS.XML").Address(esme, NextCounter()), "I99"),
            // 8.4 Update Inventory: the template's DeleteDevice is not offered (no clause lets a User remove a Device);
            // the same template updating the MPAN (AC 2.10) and returning a Decommissioned Device to Pending (AC 8.1) is applied.
            new(T("8.4_UPDATE_INVENTORY_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", esmeD.ToString()), "E13", After: Status(esmeD, "Pending")),
            new(T("8.4_UPDATE_INVENTORY_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", esme.ToString())
                .Replace("DeleteDevice", Sr("UpdateMPxN", Sr("ImportMPxN", "1312345678222"))), "I0"),
            // 8.3 Decommission Device (H6), then 8.4 back to Pending (AC 8.1).
            new(T("8.3_DECOMMISSION_DEVICE_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", esmeD.ToString()), "I0", After: Status(esmeD, "Decommissioned")),
            new(T("8.4_UPDATE_INVENTORY_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", esmeD.ToString())
                .Replace("DeleteDevice", Sr("UpdateDeviceStatusExceptCH", "Pending")), "I0", After: Status(esmeD, "Pending")),
            // 8.13 Return Local Command Response and 8.14 Communications Hub Status Updates.
            new(T("8.13_RETURN_LOCAL_COMMAND_RESPONSE_CS06_REQUEST_DUIS.XML").Address(dcc, NextCounter()), "I0"),
            new(T("8.14.1_COMMUNICATIONS_HUB_STATUS_UPDATE_INSTALL_SUCCESS_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", chf.ToString()), "I0"),
            new(T("8.14.2_COMMUNICATIONS_HUB_STATUS_UPDATE_INSTALL_NO_SM_WAN_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", chf.ToString()), "I0"),
            new(T("8.14.3_COMMUNICATIONS_HUB_STATUS_UPDATE_FAULT_RETURN_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", chf.ToString()), "I0"),
            new(T("8.14.4_COMMUNICATIONS_HUB_STATUS_UPDATE_NO_FAULT_RETURN_REQUEST_DUIS.XML").Address(dcc, NextCounter()).Set("DeviceID", chf.ToString()), "I0"),
            // 8.11 removing a Device from the CHF's log.
            new(T("CCS02_8.11_SUCCESS_REQUEST_DUIS.XML").Address(chf, NextCounter()).Set("DeviceID", esme.ToString()), "I99"),
        ];

        var signed = await SignAllAsync(steps.Select(s => s.Template).ToList());
        var responses = new List<(string Name, string Xml)>();
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            if (step.Before is not null)
                await step.Before();
            var answer = await _host.PostAsync(signed[i], Ct);
            Assert.That(answer.Code, Is.EqualTo(step.ExpectedCode), $"{step.Template.Name} (SRV {step.Template.Srv}): {answer}");
            responses.Add(($"{step.Template.Name} answer", answer.Text));
            if (step.ExpectedCode == "I99")
            {
                var response = await DeviceResponseAsync(answer.Response!.RequestId!.Value);
                Assert.That(response.Code, Is.EqualTo("I0"), $"{step.Template.Name}: the Device's response was {response.Code} {response.Diagnostic}");
                responses.Add(($"{step.Template.Name} device response", response.Xml));
            }
            if (step.After is not null)
                await step.After();
        }

        await AssertTheToolValidatesAsync(responses);
    }

    [Test]
    public async Task Responses_to_the_csharp_clients_requests_pass_the_tools_validate()
    {
        using var supplier = _store.GetXmlSigningCredentials(Zaz1Parties.Supplier);
        var client = new DuisClient(_host.Http, supplier, _store.CreateXmlSigningResolver(), new DuisClientOptions { BaseAddress = _host.Address });
        var esme = NewDevice();
        var exchanges = new List<DuisExchange>
        {
            await client.SendAsync(DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, _host.DccEui, NextCounter()),
                new DevicePreNotification(esme, TemplateModel.Manufacturer, TemplateModel.Model, DuisType.Esme, FirmwareVersion: TemplateModel.FirmwareVersion)), Ct),
            await client.SendAsync(DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, _host.DccEui, NextCounter()), ReadInventory.ByDeviceId(esme)), Ct),
            await client.SendAsync(DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, _host.DccEui, NextCounter()), ReadInventory.ByDeviceId(NewDevice())), Ct),
            await client.SendAsync(DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, esme, NextCounter()), new ReadDeviceLog()), Ct),
        };
        Assert.That(exchanges.Select(e => e.Response.ResponseCode.Value), Is.EqualTo(new[] { "I0", "I0", "E19", "I99" }));
        var deviceResponse = await DeviceResponseAsync(exchanges[3].Response.RequestId!.Value);

        await AssertTheToolValidatesAsync([
            .. exchanges.Select((e, i) => ($"C# request {i}", e.SignedRequestXml)),
            .. exchanges.Select((e, i) => ($"answer to C# request {i}", e.ResponseXml)),
            ("device response to C# request 3", deviceResponse.Xml),
        ]);
    }

    private async Task<(string Code, string? Diagnostic, string Xml)> DeviceResponseAsync(RequestId requestId)
    {
        long after = 0;
        while (await _host.NextResponseAsync(requestId.Originator, after, Ct) is { } next)
        {
            var response = DuisResponse.Parse(next.Xml);
            if (response.RequestId == requestId)
                return (response.ResponseCode.Value, response.Diagnostic, next.Xml);
            after = next.Sequence;
        }
        Assert.Fail($"No device response for {requestId} reached the poll endpoint.");
        return default;
    }

    /// <summary>Signs every template in one JVM, each by its originator's built-in key, counters kept.</summary>
    private async Task<IReadOnlyList<string>> SignAllAsync(IReadOnlyList<DuisTemplate> templates)
    {
        var jobs = new List<DuisToolJob>();
        for (var i = 0; i < templates.Count; i++)
        {
            var path = Path.Combine(_work, $"request-{i}.xml");
            await File.WriteAllTextAsync(path, templates[i].ToXml(), new UTF8Encoding(false), Ct);
            jobs.Add(new DuisToolJob(DuisToolMode.Sign, path, PreserveCounter: true));
        }
        var results = await _tool.RunBatchAsync(jobs, Ct);
        for (var i = 0; i < results.Count; i++)
            Assert.That(results[i].ExitCode, Is.EqualTo(DuisToolExitCodes.Success), $"the tool could not sign {templates[i].Name}: {results[i]}");
        return results.Select(r => r.StandardOutput.Trim()).ToList();
    }

    private async Task AssertTheToolValidatesAsync(IReadOnlyList<(string Name, string Xml)> documents)
    {
        var jobs = new List<DuisToolJob>();
        for (var i = 0; i < documents.Count; i++)
        {
            var path = Path.Combine(_work, $"validate-{Guid.NewGuid():N}.xml");
            await File.WriteAllTextAsync(path, documents[i].Xml, new UTF8Encoding(false), Ct);
            jobs.Add(new DuisToolJob(DuisToolMode.Validate, path));
        }
        var results = await _tool.RunBatchAsync(jobs, Ct);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < results.Count; i++)
                Assert.That(results[i].ExitCode, Is.EqualTo(DuisToolExitCodes.Success), $"the tool's Validate refused {documents[i].Name}: {results[i]}\n{documents[i].Xml}");
        });
        TestContext.Out.WriteLine($"The DCC's Validate accepted {results.Count} documents (XSD and signature).");
    }
}
