using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using SecDcc.Duis.Client;
using SecDcc.Duis.Interop;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Tests.Support;
using SecDcc.Duis.Xml;
using SecDcc.Smki.Certificates;

namespace SecDcc.Duis.Tests;

/// <summary>
/// SecDcc's signatures and messages against the DCC's own tools: the DCC Boxed signing tool (tool.jar) and
/// @smartdcc/duis-parser. Everything the tool has to do runs in one JVM in OneTimeSetUp; the tests then
/// check the results. Needs 'npm ci --prefix drivers/interop' and Java.
/// </summary>
[Category("Interop")]
public class ToolInteropTests
{
    private DuisTool _tool = null!;
    private DccBoxedKeyStore _store = null!;
    private DirectoryInfo _work = null!;
    private readonly List<string> _templates = [];
    private readonly Dictionary<string, DuisToolResult> _toolSigned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Xml, DuisToolResult Result)> _ourRequests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Xml, DuisToolResult Result)> _ourResponses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DuisToolResult> _tamperedByUs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DuisToolResult> _clientExchange = new(StringComparer.Ordinal);
    private TimeSpan _batchTime;
    private DuisExchange _exchange = null!;

    private static readonly Eui64[] Senders = [Zaz1Parties.Supplier, Zaz1Parties.NetworkOperator, Zaz1Parties.OtherUser];

    [OneTimeSetUp]
    public async Task RunTheToolOnce()
    {
        _tool = InteropPackages.RequireTool();
        _store = await InteropPackages.KeyStoreAsync(CancellationToken.None);
        _work = Directory.CreateTempSubdirectory("secdcc-duis-interop-");
        _templates.AddRange(Directory.GetFiles(InteropPackages.TemplatesDirectory, "*.XML").OrderBy(f => f, StringComparer.Ordinal));

        var jobs = new List<DuisToolJob>();
        var keys = new List<(string Kind, string Key, string Xml)>();
        void Add(string kind, string key, string xml, DuisToolMode mode)
        {
            var path = Path.Combine(_work.FullName, $"{jobs.Count}.xml");
            File.WriteAllText(path, xml, new UTF8Encoding(false));
            jobs.Add(new DuisToolJob(mode, path));
            keys.Add((kind, key, xml));
        }

        foreach (var template in _templates)
        {
            jobs.Add(new DuisToolJob(DuisToolMode.Sign, template, PreserveCounter: true));
            keys.Add(("template", template, string.Empty));
        }
        foreach (var sender in Senders)
        {
            using var credentials = _store.GetXmlSigningCredentials(sender);
            foreach (var (name, request) in SampleRequests.All(sender))
            {
                Add("request", $"{sender} {name}", DuisSigner.Sign(request.ToXml(), credentials), DuisToolMode.Validate);
            }
        }
        using (var dcc = _store.GetXmlSigningCredentials(Zaz1Parties.Dcc))
        {
            foreach (var (name, response) in SampleResponses())
            {
                Add("response", name, DuisSigner.Sign(response.ToXml(), dcc), DuisToolMode.Validate);
            }
        }
        using (var supplier = _store.GetXmlSigningCredentials(Zaz1Parties.Supplier))
        {
            var signed = DuisSigner.Sign(SampleRequests.All(Zaz1Parties.Supplier).First().Request.ToXml(), supplier);
            foreach (var tamper in Tampers.All)
            {
                Add("tampered", tamper.Name, tamper.Apply(signed), DuisToolMode.Validate);
            }
        }

        _exchange = await ExchangeWithAStandInDccAsync();
        Add("client", "request", _exchange.SignedRequestXml, DuisToolMode.Validate);
        Add("client", "response", _exchange.ResponseXml, DuisToolMode.Validate);

        var stopwatch = Stopwatch.StartNew();
        var results = await _tool.RunBatchAsync(jobs, CancellationToken.None, TimeSpan.FromMinutes(3));
        _batchTime = stopwatch.Elapsed;
        TestContext.Progress.WriteLine($"Signing tool: {jobs.Count} jobs in one JVM took {_batchTime.TotalSeconds:F1} s.");

        for (var i = 0; i < jobs.Count; i++)
        {
            var (kind, key, xml) = keys[i];
            switch (kind)
            {
                case "template": _toolSigned[key] = results[i]; break;
                case "request": _ourRequests[key] = (xml, results[i]); break;
                case "response": _ourResponses[key] = (xml, results[i]); break;
                case "client": _clientExchange[key] = results[i]; break;
                default: _tamperedByUs[key] = results[i]; break;
            }
        }
    }

    [OneTimeTearDown]
    public void Clean() => _work?.Delete(recursive: true);

    /// <summary>Responses the reference DCC will send, signed with the DCC's DSP key.</summary>
    public static IEnumerable<(string Name, DuisResponse Response)> SampleResponses()
    {
        var now = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        foreach (var (name, request) in SampleRequests.All(Zaz1Parties.Supplier))
        {
            yield return ($"ack {name}", DuisResponses.Acknowledgement(request.Header, now));
        }
        var inventoryRequest = SampleRequests.All(Zaz1Parties.Supplier).First(c => c.Name == "8.2 ReadInventory DeviceID").Request.Header;
        yield return ("8.2 inventory, all fields", DuisResponses.Success(inventoryRequest, now, new DspInventory(
        [
            new InventoryDevice(SampleRequests.Esme, DeviceType.Esme, "AB01", "010A030B", DeviceStatus.Commissioned, "SMETS V4.1", "0002012F",
                null, CplStatus.Active, new DateOnly(2026, 2, 1), "1312345678111", "1312345678222", "1312345678333", "AD", 123456789012,
                null, "GBCS v4.1", "SRV", null),
            new InventoryDevice(SampleRequests.Chf, DeviceType.Chf, "AB02", "0101", DeviceStatus.Pending),
            new InventoryDevice(SampleRequests.Gpf, DeviceType.Gpf, "AB02", "0102"),
        ])));
        yield return ("8.2 inventory with diagnostic", DuisResponses.Success(inventoryRequest, now,
            new DspInventory([new InventoryDevice(SampleRequests.Esme, DeviceType.Esme, "AB01", "010A030B", DeviceStatus.Suspended, CplStatus: CplStatus.Withdrawn)]),
            diagnostic: "AC 8.3: suspended after the Device Model was removed from the CPL"));
        yield return ("8.3 refusal with clause", DuisResponses.Refusal(
            SampleRequests.All(Zaz1Parties.Supplier).First(c => c.Name == "8.3 DecommissionDevice").Request.Header,
            new ResponseCode("E4"), now, "AC 10.2 refused: only the Lead Supplier may decommission a SMETS1 CHF"));
        yield return ("12.2 refusal E120201", DuisResponses.Refusal(
            SampleRequests.All(Zaz1Parties.Supplier).First().Request.Header, new ResponseCode("E120201"), now, "F2.2: Device Model not on the CPL"));
    }

    // (a) The tool's signatures verify with SignedXml and this library's checks.

    [Test]
    public async Task Our_verifier_accepts_the_tools_signature_on_every_signable_template()
    {
        // The tool signs with xml-sign certificates, and with the Z1 organisation certificate of an originator that has none.
        var verifier = new DuisSignatureVerifier(_store.CreateResolver(e => e.KeyUsage == "digitalSignature"));
        var signed = _toolSigned.Where(r => r.Value.Succeeded).ToList();
        var refused = _toolSigned.Where(r => !r.Value.Succeeded).ToList();

        Assert.Multiple(async () =>
        {
            foreach (var (template, result) in signed)
            {
                var verification = await verifier.VerifyAsync(result.StandardOutput, CancellationToken.None);
                Assert.That(verification.IsValid, Is.True, $"{Path.GetFileName(template)}: {verification.Reason}");
            }
            foreach (var (template, result) in refused)
            {
                Assert.That(result.ExitCode, Is.EqualTo(DuisToolExitCodes.MissingKey), $"{Path.GetFileName(template)} could not be signed: {result.StandardError}");
            }
        });
        Assert.That(_templates, Has.Count.EqualTo(297));
        Assert.That(signed, Has.Count.GreaterThanOrEqualTo(295));
        TestContext.Out.WriteLine($"Verified the tool's signature on {signed.Count} of {_templates.Count} templates; {refused.Count} have an originator the tool has no key for.");
        await Task.CompletedTask;
    }

    [Test]
    public void Every_SRV_in_scope_has_a_template_signed_by_the_tool()
    {
        var covered = _toolSigned.Where(r => r.Value.Succeeded).Select(r => InteropPackages.SrvOfFileName(Path.GetFileName(r.Key))).ToHashSet();
        var missing = InteropPackages.InScopeSrvs.Where(srv => !covered.Contains(srv)).ToList();
        Assert.That(missing, Is.Empty, "SRVs in scope with no template the tool could sign");
        Assert.That(InteropPackages.InScopeTemplates(), Has.Count.EqualTo(43), "duis-templates 0.7.0 has 43 templates for the 24 SRVs in scope");
    }

    [Test]
    public async Task Our_digest_of_a_template_is_byte_identical_to_the_tools()
    {
        var compared = 0;
        foreach (var template in InteropPackages.InScopeTemplates())
        {
            var result = _toolSigned[template];
            if (!result.Succeeded)
            {
                continue;
            }
            var toolDocument = DuisXmlLoader.Load(result.StandardOutput);
            var originator = RequestId.Parse(toolDocument.GetElementsByTagName("RequestID", DuisNames.ServiceUserGatewayNamespace)[0]!.InnerText).Originator;
            using var credentials = _store.GetDuisSigningCredentials(originator);

            var ours = DuisSigner.Sign(await File.ReadAllTextAsync(template), credentials);

            Assert.That(SigningTests.DigestOf(ours), Is.EqualTo(SigningTests.DigestOf(result.StandardOutput)), Path.GetFileName(template));
            compared++;
        }
        Assert.That(compared, Is.EqualTo(43), "every in-scope template is signable");
    }

    // (b) What this library signs, the tool validates (XSD and signature).

    public static IEnumerable<TestCaseData> RequestCases() =>
        Senders.SelectMany(sender => SampleRequests.All(sender).Select(c => new TestCaseData($"{sender} {c.Name}").SetArgDisplayNames($"{sender} {c.Name}")));

    [TestCaseSource(nameof(RequestCases))]
    public void The_tool_validates_a_request_we_built_and_signed(string key)
    {
        var (xml, result) = _ourRequests[key];
        Assert.That(result.ExitCode, Is.EqualTo(DuisToolExitCodes.Success), $"{result.StandardError}\n{xml}");
        Assert.That(result.StandardError, Does.Contain("passed xsd validation").And.Contain("passed signature check"));
    }

    public static IEnumerable<TestCaseData> ResponseCases() =>
        SampleResponses().Select(r => new TestCaseData(r.Name).SetArgDisplayNames(r.Name));

    [TestCaseSource(nameof(ResponseCases))]
    public void The_tool_validates_a_response_we_signed_as_the_DCC(string key)
    {
        var (xml, result) = _ourResponses[key];
        Assert.That(result.ExitCode, Is.EqualTo(DuisToolExitCodes.Success), $"{result.StandardError}\n{xml}");
        Assert.That(result.StandardError, Does.Contain("passed xsd validation").And.Contain("passed signature check"));
    }

    // (c) The templates of the SRVs in scope parse with this library, element for element.

    [Test]
    public async Task Templates_in_scope_parse_into_typed_bodies_with_the_same_elements_in_the_same_order()
    {
        var templates = InteropPackages.InScopeTemplates();
        Assert.That(templates, Has.Count.EqualTo(43));
        foreach (var template in templates)
        {
            var text = await File.ReadAllTextAsync(template);
            var parsed = DuisRequest.Parse(text);

            Assert.That(parsed.Body, Is.Not.TypeOf<RawRequestBody>(), Path.GetFileName(template));
            Assert.That(Flatten(parsed.ToXml()), Is.EqualTo(Flatten(text)), Path.GetFileName(template));
        }
    }

    /// <summary>Header and Body as (path, text) pairs in document order, ignoring whitespace, prefixes and the signature.</summary>
    private static List<string> Flatten(string xml)
    {
        var root = XElement.Parse(xml);
        return root.Elements().Where(e => e.Name.Namespace == DuisNames.Sr)
            .SelectMany(e => e.DescendantsAndSelf())
            .Select(e => string.Join("/", e.AncestorsAndSelf().Reverse().Select(a => a.Name.LocalName)) + (e.HasElements ? string.Empty : "=" + Normalise(e.Value)))
            .ToList();

        static string Normalise(string value) => DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var when) && value.Contains('T')
            ? when.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            : value.Trim();
    }

    [Test]
    public async Task The_DCCs_parser_reads_our_requests_and_responses_as_we_wrote_them()
    {
        var files = new List<(string Path, DuisRequest? Request, DuisResponse? Response)>();
        foreach (var (name, request) in SampleRequests.All(Zaz1Parties.Supplier))
        {
            var path = Path.Combine(_work.FullName, $"parse-req-{files.Count}.xml");
            await File.WriteAllTextAsync(path, _ourRequests[$"{Zaz1Parties.Supplier} {name}"].Xml);
            files.Add((path, request, null));
        }
        foreach (var (name, response) in SampleResponses())
        {
            var path = Path.Combine(_work.FullName, $"parse-res-{files.Count}.xml");
            await File.WriteAllTextAsync(path, _ourResponses[name].Xml);
            files.Add((path, null, response));
        }

        var run = await RunNodeAsync(["parse-duis.js", .. files.Select(f => f.Path)]);
        var lines = run.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(files.Count));
        for (var i = 0; i < files.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.That(root.GetProperty("ok").GetBoolean(), Is.True, lines[i]);
            if (files[i].Request is { } request)
            {
                Assert.That(root.GetProperty("serviceReferenceVariant").GetString(), Is.EqualTo(request.Header.ServiceReferenceVariant));
                Assert.That(root.GetProperty("serviceReference").GetString(), Is.EqualTo(request.Header.ServiceReference));
                Assert.That(root.GetProperty("commandVariant").GetInt32(), Is.EqualTo(request.Header.CommandVariant));
                Assert.That(root.GetProperty("requestId").GetProperty("counter").GetString(), Is.EqualTo(request.Header.RequestId.Counter.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(root.GetProperty("body").EnumerateObject().Single().Name, Is.EqualTo(request.Body.ToXml().Name.LocalName));
            }
            else
            {
                Assert.That(root.GetProperty("responseCode").GetString(), Is.EqualTo(files[i].Response!.ResponseCode.Value));
            }
        }
    }

    private async Task<string> RunNodeAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _tool.InteropDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Ignore($"node is not available ({ex.Message}); install Node.js to run the duis-parser cross-check.");
            return string.Empty;
        }
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stdout = process!.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.That(process.ExitCode, Is.Zero, await stderr);
            return await stdout;
        }
    }

    // (d) Tampering: the tool agrees with our refusals, and our verifier refuses tampered tool signatures.

    [TestCaseSource(typeof(Tampers), nameof(Tampers.Cases))]
    public void The_tool_also_refuses_what_we_refuse(Tampers.Tamper tamper)
    {
        var result = _tamperedByUs[tamper.Name];
        Assert.That(result.ExitCode, Is.Not.EqualTo(DuisToolExitCodes.Success), $"the DCC's tool accepted a document tampered by '{tamper.Name}'");
    }

    [TestCaseSource(typeof(Tampers), nameof(Tampers.Cases))]
    public async Task A_tool_signed_template_tampered_is_refused_with_the_right_reason(Tampers.Tamper tamper)
    {
        var signed = _toolSigned[_templates.Single(t => Path.GetFileName(t) == "CCS01_8.11_SUCCESS_REQUEST_DUIS.XML")].StandardOutput;
        var verifier = new DuisSignatureVerifier(_store.CreateXmlSigningResolver());
        Assert.That((await verifier.VerifyAsync(signed, CancellationToken.None)).IsValid, Is.True);

        var result = await verifier.VerifyAsync(tamper.Apply(signed), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(tamper.Expected), result.Reason);
    }

    // The client with the real ZAZ1 keys: Supplier signs, the DCC's DSP key answers, and the tool accepts both.

    private async Task<DuisExchange> ExchangeWithAStandInDccAsync()
    {
        var usersResolver = _store.CreateXmlSigningResolver();
        var dccResolver = _store.CreateResolver(e => e.Name == "dsp-xml-sign-90B3D51F30000002-ds");
        using var supplier = _store.GetXmlSigningCredentials(Zaz1Parties.Supplier);
        var dcc = _store.GetXmlSigningCredentials(Zaz1Parties.Dcc);
        using var http = new HttpClient(new StandInDcc(async (message, token) =>
        {
            var verification = await new DuisSignatureVerifier(usersResolver).VerifyAsync(await message.Content!.ReadAsStringAsync(token), token);
            verification.ThrowIfInvalid();
            var request = DuisRequest.Parse(verification.Document!);
            var answer = DuisResponses.Success(request.Header, DateTimeOffset.UtcNow,
                new DspInventory([new InventoryDevice(SampleRequests.Esme, DeviceType.Esme, "AB01", "010A030B", DeviceStatus.Pending)]),
                diagnostic: "AC 2.4: read from the SMI");
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(DuisSigner.Sign(answer.ToXml(), dcc), Encoding.UTF8, "application/xml"),
            };
        }));
        try
        {
            var client = new DuisClient(http, supplier, dccResolver, new DuisClientOptions { BaseAddress = new Uri("http://reference-dcc.test/") });
            return await client.SendAsync(DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, 77), ReadInventory.ByDeviceId(SampleRequests.Esme)), CancellationToken.None);
        }
        finally
        {
            dcc.Dispose();
        }
    }

    [Test]
    public void A_client_exchange_with_ZAZ1_keys_is_accepted_by_the_tool_on_both_sides()
    {
        Assert.That(_exchange.ResponseVerification!.IsValid, Is.True);
        Assert.That(SmkiSubject.Read(_exchange.ResponseVerification.Signer!).RoleCode, Is.EqualTo(0x89));
        Assert.That(_exchange.Response.Diagnostic, Is.EqualTo("AC 2.4: read from the SMI"));
        Assert.That(_clientExchange["request"].ExitCode, Is.EqualTo(DuisToolExitCodes.Success), _clientExchange["request"].StandardError);
        Assert.That(_clientExchange["response"].ExitCode, Is.EqualTo(DuisToolExitCodes.Success), _clientExchange["response"].StandardError);
        Assert.That(_clientExchange["response"].StandardError, Does.Contain("passed signature check"));
    }

    private sealed class StandInDcc(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> handle) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => handle(request, cancellationToken);
    }

    // The wrapper itself.

    [Test]
    public async Task Single_calls_sign_and_validate_like_the_batch()
    {
        var template = _templates.Single(t => Path.GetFileName(t) == "8.2_READ_INVENTORY_REQUEST_DUIS.XML");

        var signed = await _tool.SignAsync(template, preserveCounter: true, CancellationToken.None);
        Assert.That(signed.Succeeded, Is.True, signed.ToString());
        Assert.That(SigningTests.DigestOf(signed.StandardOutput), Is.EqualTo(SigningTests.DigestOf(_toolSigned[template].StandardOutput)));

        var validated = await _tool.RunOnTextAsync(DuisToolMode.Validate, signed.StandardOutput, CancellationToken.None);
        Assert.That(validated.ExitCode, Is.EqualTo(DuisToolExitCodes.Success), validated.ToString());

        var unsigned = await _tool.ValidateAsync(template, CancellationToken.None);
        Assert.That(unsigned.ExitCode, Is.EqualTo(DuisToolExitCodes.MissingKey), "the template's placeholder serial is no known certificate");
    }

    [Test]
    public async Task Without_preserveCounter_the_tool_rewrites_the_counter()
    {
        var template = _templates.Single(t => Path.GetFileName(t) == "8.2_READ_INVENTORY_REQUEST_DUIS.XML");
        var signed = await _tool.SignAsync(template, preserveCounter: false, CancellationToken.None);
        var counter = DuisRequest.Parse(signed.StandardOutput).Header.RequestId.Counter;
        Assert.That(counter, Is.Not.EqualTo(1000UL), "the counter became the current time in milliseconds");
        Assert.That(counter, Is.GreaterThan((ulong)DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds()));
    }

    [Test]
    public void A_run_that_overstays_its_timeout_is_stopped_with_a_clear_error()
    {
        var impatient = new DuisTool(_tool.InteropDirectory, _tool.Java, TimeSpan.FromMilliseconds(1));
        Assert.That(async () => await impatient.ValidateAsync(_templates[0], CancellationToken.None),
            Throws.TypeOf<TimeoutException>().With.Message.Contains("did not finish"));
    }
}
