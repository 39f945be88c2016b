using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Reports.Allure;
using SecDcc.Reports.Evidence;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Steps.Support;

namespace SecDcc.Cli.Ppc;

/// <summary>
/// <c>secdcc ppc run</c>: the DCC (started here or given), the emulated rig of the combination on its SM WAN, the plan,
/// the result posted to the DCC, Allure results and a sealed evidence pack. Exit codes: 0 pass, 1 failed plan, 2 bad
/// input, 3 rig fault (the DCC or the rig could not be brought up, so nothing was reported).
/// </summary>
public static class PpcRun
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(CombinationDefinition c, string dccArgument, string dir, TimeSpan deadline, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        using var panel = Panel.FromEnvironment();
        DccProcess? local = null;
        try
        {
            Uri baseUrl;
            if (dccArgument == "local")
            {
                local = await StartLocalDccAsync(panel.PublicKeyPem, ct);
                baseUrl = local.BaseUrl;
            }
            else if (!Uri.TryCreate(dccArgument.EndsWith('/') ? dccArgument : dccArgument + "/", UriKind.Absolute, out baseUrl!) || baseUrl.Scheme is not ("http" or "https"))
            {
                Console.Error.WriteLine($"--dcc '{dccArgument}' is neither 'local' nor the http(s) URL of a running DCC in test mode with its WAN gateway (e.g. http://127.0.0.1:5080/).");
                return 2;
            }
            using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
            return await WithDccAsync(c, http, panel, dir, deadline, ct);
        }
        catch (DccUnavailableException e)
        {
            Console.Error.WriteLine($"Rig fault, no result was reported to the DCC: {e.Message}");
            return 3;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"Rig fault, no result was reported to the DCC: the DCC did not answer ({e.Message}). Check --dcc and that it runs in test mode.");
            return 3;
        }
        finally
        {
            if (local is not null)
                await local.DisposeAsync();
        }
    }

    private static async Task<int> WithDccAsync(CombinationDefinition c, HttpClient http, Panel panel, string dir, TimeSpan deadline, CancellationToken ct)
    {
        var ready = await http.GetFromJsonAsync<JsonElement>("health/ready", Json, ct);
        if (!ready.TryGetProperty("wan", out var wan) || !wan.TryGetProperty("port", out var portElement) || !portElement.TryGetInt32(out var wanPort))
            throw new DccUnavailableException($"the DCC at {http.BaseAddress} has no SM WAN gateway (/health/ready says wan: {(ready.TryGetProperty("wan", out var w) ? w.ToString() : "nothing")}); start it with --wan-port 0 --test-mode.");
        var certificatePem = await http.GetStringAsync("wan/dcc-certificate", ct);

        await PpcPlan.PrepareAsync(http, panel, c, ct);
        var ppc = new PpcClient(http);
        if ((await ppc.RecordsAsync(ct)).All(r => r.Identity != c.Identity || r.Outcome != "Pending"))
        {
            var (entry, refusal) = await ppc.RequestAsync(c, PpcPlan.SupplierParty, ct);
            if (entry is null)
                throw new DccUnavailableException($"the DCC refused to put {c.Name} ({c.Identity}) on the PPC: {refusal}");
        }

        var rigFile = RigFromCombination.Write(c, dir, wanPort);
        var rig = RigFile.Load(rigFile);
        var state = Path.Combine(dir, "state");
        using (var authority = LocalCertificateAuthority.LoadOrCreate(state, $"SecDcc rig {rig.Name} device CA"))
        {
            using var trust = await http.PostAsync("wan/device-issuers", new StringContent(authority.IssuerCertificate.ExportCertificatePem(), System.Text.Encoding.UTF8, "application/x-pem-file"), ct);
            if (!trust.IsSuccessStatusCode)
                throw new DccUnavailableException($"the DCC would not trust the rig's device CA: POST /wan/device-issuers answered {(int)trust.StatusCode} {await trust.Content.ReadAsStringAsync(ct)}");
        }

        var log = new MemoryEmulatorLog();
        PpcPlan plan;
        using (var dccCertificate = X509Certificate2.CreateFromPem(certificatePem))
        {
            EmulatedRig emulated;
            try
            {
                emulated = await EmulatedRig.StartAsync(rig,
                    new EmulatorOptions { StateDirectory = state, Wan = new TcpWan(http.BaseAddress!.Host, wanPort), DccCertificate = dccCertificate, Log = log }, ct);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                throw new DccUnavailableException($"the emulated rig {rigFile} did not start: {e.Message}");
            }
            await using (emulated)
            {
                plan = new PpcPlan(http, rig, deadline);
                await plan.RunAsync(ct);
            }
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "rig.log"), log.ToString(), ct);
        return await ReportAsync(c, http, ppc, plan.Steps, dir, rigFile, ct);
    }

    private static async Task<int> ReportAsync(CombinationDefinition c, HttpClient http, PpcClient ppc, IReadOnlyList<PlanStep> steps, string dir, string rigFile, CancellationToken ct)
    {
        var allure = new AllureResultsWriter(Path.Combine(dir, "allure-results"));
        foreach (var s in steps)
        {
            allure.WriteResult(new AllureResult
            {
                Name = s.Name,
                FullName = $"PPC-6.12 {c.Name}: {s.Name}",
                HistoryId = $"ppc:{c.Identity}:{s.Name}",
                Status = s.Passed switch { true => AllureStatus.Passed, false => AllureStatus.Failed, null => AllureStatus.Skipped },
                StatusDetails = s.Reason is null ? null : new AllureStatusDetails(s.Reason),
                Start = s.Start.ToUnixTimeMilliseconds(),
                Stop = s.Stop.ToUnixTimeMilliseconds(),
                Labels = [new("epic", "SMETS1 PPC tests"), new("story", "PPC-6.12"), new("feature", c.Name), new("tag", s.Clause)],
                Parameters = [new("combination", c.Identity), new("combination file", c.SourcePath)],
            });
        }

        var failed = steps.Where(s => s.Passed == false).ToList();
        var passed = failed.Count == 0 && steps.All(s => s.Passed == true);
        var dccSide = failed.Any(s => s.Side == FaultSide.Dcc);
        var result = new
        {
            identity = c.Identity,
            passed,
            explanation = passed ? null
                : dccSide ? "A step was refused by the DCC: passing this combination needs a change to DCC Systems and processes."
                : "The Devices did not do what the plan required; a corrected combination (a new identity) may be tested.",
            failures = failed.Select(f => new { step = $"{f.Clause} {f.Name}", reason = f.Reason }),
            materialChangeToDccSystems = passed ? (bool?)null : dccSide,
            secModification = passed ? (bool?)null : false,
        };
        using (var posted = await http.PostAsJsonAsync("products/ppc/result", result, Json, ct))
        {
            if (!posted.IsSuccessStatusCode)
                Console.Error.WriteLine($"The DCC did not record the result: POST /products/ppc/result answered {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync(ct)}");
        }
        var signed = await ppc.SignedListsAsync(ct);
        var notices = await http.GetStringAsync($"notifications?recipient={PpcPlan.SupplierParty}", ct);

        var pack = EvidencePack.Create(Path.Combine(dir, "evidence"));
        await pack.AddDirectoryAsync(allure.Directory, "allure-results", ct);
        await pack.AddFileAsync(c.SourcePath, "combination/" + Path.GetFileName(c.SourcePath), ct);
        await pack.AddFileAsync(rigFile, "rig/rig.yaml", ct);
        await pack.AddFileAsync(Path.Combine(dir, "rig.log"), "rig/rig.log", ct);
        await pack.AddBytesAsync("dcc/lists-signed.json", System.Text.Encoding.UTF8.GetBytes(signed), ct);
        await pack.AddBytesAsync("dcc/notices.json", System.Text.Encoding.UTF8.GetBytes(notices), ct);
        using (var signer = EvidenceSigner.CreateSelfSigned(PpcPlan.SupplierParty, TimeProvider.System))
        {
            await pack.SealAsync(signer, new EvidenceRunInfo(PpcPlan.SupplierParty, EvidenceWriter.ToolVersion())
            {
                Properties = new Dictionary<string, string> { ["combination"] = c.Name, ["identity"] = c.Identity, ["dcc"] = http.BaseAddress!.ToString(), ["verdict"] = passed ? "passed" : "failed" },
            }, TimeProvider.System, ct);
        }

        foreach (var s in steps)
            Console.WriteLine($"  {(s.Passed switch { true => "pass", false => "FAIL", null => "skip" }),-4}  {s.Clause,-16} {s.Name}{(s.Reason is null ? "" : ": " + s.Reason)}");
        Console.WriteLine(passed
            ? $"{c.Name} ({c.Identity}): PASSED — reported to the DCC (PPC-6.12), now on the EPC."
            : $"{c.Name} ({c.Identity}): FAILED — reported to the DCC with {failed.Count} failed step(s), 6.13 judgement: {(dccSide ? "material change to DCC Systems" : "neither")}.");
        Console.WriteLine($"Allure results: {allure.Directory}");
        Console.WriteLine($"Evidence pack:  {pack.Directory}");
        return passed ? 0 : 1;
    }

    /// <summary>The reference DCC for one PPC run: test mode (the /wan/requests endpoint), the run's Panel key, its SM WAN gateway on a free port.</summary>
    private static async Task<DccProcess> StartLocalDccAsync(string panelPublicKeyPem, CancellationToken ct)
    {
        try
        {
            return await DccProcess.StartAsync(TimeSpan.FromSeconds(60), panelPublicKeyPem, ["--wan-port", "0", "--wan-address", "127.0.0.1"], ct);
        }
        catch (FileNotFoundException e)
        {
            throw new DccUnavailableException(e.Message, e);
        }
    }
}
