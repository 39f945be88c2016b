using System.CommandLine;
using SecDcc.Cli.Ppc;
using SecDcc.Rigs.Loading;

namespace SecDcc.Cli;

/// <summary>
/// <c>secdcc ppc request | run | status</c>: SMETS1 Pending Product Combination tests (BEIS consultation 6.10–6.13) of a
/// combination file (rigs/combinations/*.yaml) against a DCC.
/// </summary>
public static class PpcCommand
{
    public static Command Create()
    {
        var command = new Command("ppc", "SMETS1 Pending Product Combination tests: ask the DCC to test a combination, run the test plan, show the PPC and EPC.");
        command.Subcommands.Add(Request());
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Option<FileInfo> CombinationOption() => new("--combination")
    {
        Description = "The combination file, e.g. rigs/combinations/good.yaml.", Required = true,
    };

    private static Option<string> DccUrlOption() => new("--dcc")
    {
        Description = "The base URL of a running DCC in test mode, e.g. http://127.0.0.1:5080/.", Required = true,
    };

    private static Command Request()
    {
        var combination = CombinationOption();
        var requester = new Option<string>("--requester") { Description = "The Testing Participant's ID (EUI-64, e.g. 00-11-22-33-44-55-66-77).", Required = true };
        var dcc = DccUrlOption();
        var command = new Command("request", "Ask the DCC to test a combination: it goes on the PPC with today's date (6.12).") { combination, requester, dcc };
        command.SetAction(async (parse, ct) =>
        {
            if (Load(parse.GetValue(combination)!) is not { } c)
                return 2;
            return await Against(parse.GetValue(dcc)!, async ppc =>
            {
                var (entry, refusal) = await ppc.RequestAsync(c, parse.GetValue(requester)!, ct);
                if (entry is null)
                {
                    Console.Error.WriteLine($"The DCC refused the PPC request for {c.Name} ({c.Identity}): {refusal}");
                    return 1;
                }
                if (entry.Identity != c.Identity)
                {
                    Console.Error.WriteLine($"The DCC gave the combination identity {entry.Identity}, but the file's is {c.Identity}: the two disagree on the canonical form (docs/decisions/1400).");
                    return 1;
                }
                Console.WriteLine($"{c.Name}: on the PPC since {entry.AddedAt:yyyy-MM-dd}, identity {entry.Identity}, requested by {entry.Requester}");
                return 0;
            });
        });
        return command;
    }

    private static Command Status()
    {
        var dcc = DccUrlOption();
        var command = new Command("status", "Print the EPC and the PPC entries with their dates and outcomes.") { dcc };
        command.SetAction(async (parse, ct) =>
        {
            return await Against(parse.GetValue(dcc)!, async ppc =>
            {
                Console.WriteLine("SMETS1 Eligible Product Combinations:");
                foreach (var e in await ppc.EligibleAsync(ct))
                    Console.WriteLine($"  {e.Identity}  added {e.AddedAt:yyyy-MM-dd}");
                Console.WriteLine("SMETS1 Pending Product Combinations:");
                foreach (var r in await ppc.RecordsAsync(ct))
                {
                    var concluded = r.ConcludedAt is { } at ? $" on {at:yyyy-MM-dd}" : "";
                    Console.WriteLine($"  {r.Identity}  requested {r.RequestedAt:yyyy-MM-dd} by {r.Requester ?? "(none)"}  {r.Outcome}{concluded}");
                    foreach (var f in r.Failures)
                        Console.WriteLine($"      failed: {f.Step}: {f.Reason}");
                    if (r.MaterialChangeToDccSystems == true || r.SecModification == true)
                        Console.WriteLine($"      DCC judgement (6.13): material change to DCC Systems {Yes(r.MaterialChangeToDccSystems)}, SEC modification {Yes(r.SecModification)}");
                }
                return 0;
            });
        });
        return command;
    }

    private static Command Run()
    {
        var combination = CombinationOption();
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory for this run's rig file, Allure results and evidence (default: out/ppc/<name>-<timestamp>)." };
        var dcc = new Option<string>("--dcc")
        {
            Description = "'local' (start a reference DCC with its SM WAN gateway) or the URL of a running DCC in test mode with --wan-port.",
            DefaultValueFactory = _ => "local",
        };
        var deadline = new Option<int>("--step-deadline") { Description = "Seconds each step of the plan may take.", DefaultValueFactory = _ => 30 };
        var command = new Command("run", "Run the SMETS1 PPC test plan on an emulated rig of the combination over the DCC's SM WAN and report the result to the DCC.")
        {
            combination, output, dcc, deadline,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (Load(parse.GetValue(combination)!) is not { } c)
                return 2;
            if (parse.GetValue(deadline) is var seconds and <= 0)
            {
                Console.Error.WriteLine($"--step-deadline {seconds} is not a positive number of seconds.");
                return 2;
            }
            var dir = parse.GetValue(output)?.FullName ?? Path.Combine(Directory.GetCurrentDirectory(), "out", "ppc", $"{c.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            Console.WriteLine($"{c.Name} ({c.Identity}): PPC test plan, output in {dir}");
            return await PpcRun.RunAsync(c, parse.GetValue(dcc)!, dir, TimeSpan.FromSeconds(parse.GetValue(deadline)), ct);
        });
        return command;
    }

    /// <summary>Runs an action against the DCC; an unreachable DCC or an unexpected answer is reported, not thrown.</summary>
    private static async Task<int> Against(string dcc, Func<PpcClient, Task<int>> act)
    {
        if (Client(dcc) is not { } client)
            return 2;
        using (client.Http)
        {
            try
            {
                return await act(client.Ppc);
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"The DCC at {client.Http.BaseAddress} did not answer as a reference DCC with the PPC endpoints does: {e.Message}. Check --dcc and that the DCC is running.");
                return 2;
            }
        }
    }

    private static string Yes(bool? b) => b == true ? "needed" : "not needed";

    private static CombinationDefinition? Load(FileInfo file)
    {
        try
        {
            return CombinationFile.Load(file.ToString());
        }
        catch (RigFileException e)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
    }

    private static (HttpClient Http, PpcClient Ppc)? Client(string dcc)
    {
        if (!Uri.TryCreate(dcc.EndsWith('/') ? dcc : dcc + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine($"--dcc '{dcc}' is not an http(s) URL of a running DCC (e.g. http://127.0.0.1:5080/).");
            return null;
        }
        var http = new HttpClient { BaseAddress = url };
        return (http, new PpcClient(http));
    }
}
