using System.CommandLine;
using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Emulator;

/// <summary>
/// <c>secdcc-emulator selftest RIG.yaml</c>: checks a bench before a certification run — every port answers,
/// every relay switches its device, every pulse input sees pulses. An emulated rig is started for the check; a
/// real bench is checked as it stands, with the operator asked to load its meters. Exit code 0 when it passes,
/// 3 when the bench is at fault.
/// </summary>
internal static class SelfTestCommand
{
    public const int RigFault = 3;

    public static Command Create()
    {
        var rig = new Argument<FileInfo>("rig") { Description = "The rig file: an emulated rig (started for the check) or a real bench." };
        var state = new Option<DirectoryInfo>("--state") { Description = "Where an emulated rig keeps its state files (default: a fresh temporary folder, removed afterwards)." };
        var window = new Option<double>("--window") { Description = "Seconds each relay and pulse input is given (default 15).", DefaultValueFactory = _ => 15 };
        var command = new Command("selftest", "Check a rig's ports, relays and pulse inputs before a certification run; a failure is a fault of the bench, not of the product.")
        {
            rig, state, window,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(rig)!, parse.GetValue(state), parse.GetValue(window), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo rigFile, DirectoryInfo? state, double windowSeconds, CancellationToken cancellationToken)
    {
        if (EmulatorCommand.LoadRig(rigFile) is not { } definition)
        {
            return 2;
        }

        if (windowSeconds is <= 0 or > 600)
        {
            Console.Error.WriteLine($"--window {windowSeconds}: give the seconds each part may take, more than 0 and at most 600");
            return 2;
        }

        var window = TimeSpan.FromSeconds(windowSeconds);
        var options = new SelfTestOptions { SwitchWindow = window, PulseWindow = window };
        using var stop = new StopSignal(cancellationToken);
        try
        {
            var report = definition.IsEmulated
                ? await EmulatedAsync(definition, state, options, stop.Token)
                : await RealAsync(definition, options, stop.Token);
            Console.WriteLine(report);
            return report.Passed ? 0 : RigFault;
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine("self-test stopped before it finished");
            return 130;
        }
    }

    private static async Task<SelfTestReport> EmulatedAsync(RigDefinition definition, DirectoryInfo? state, SelfTestOptions options, CancellationToken cancellationToken)
    {
        var folder = state?.FullName ?? Directory.CreateTempSubdirectory("secdcc-selftest-").FullName;
        try
        {
            // The hub's WAN is not part of the bench check; it is pointed nowhere so no DCC is needed.
            await using var rig = await EmulatedRig.StartAsync(definition, new EmulatorOptions { StateDirectory = folder, Wan = new TcpWan("127.0.0.1", 9) }, cancellationToken);
            await using var bench = new BenchHardware(definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
            return await RigSelfTest.RunAsync(RigPorts.Of(rig), bench, options with { Load = RigSelfTest.EmulatedLoad(rig) }, cancellationToken);
        }
        finally
        {
            if (state is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<SelfTestReport> RealAsync(RigDefinition definition, SelfTestOptions options, CancellationToken cancellationToken)
    {
        await using var bench = new BenchHardware(definition, new BenchOptions { Operator = AskAsync });
        return await RigSelfTest.RunAsync(
            RigPorts.Of(definition),
            bench,
            options with
            {
                Load = async (meter, token) =>
                {
                    await AskAsync($"Switch a load onto {meter} (its pulse LED should blink), then confirm.", token);
                    return new OperatorLoadOff(meter);
                },
            },
            cancellationToken);
    }

    /// <summary>The operator at the bench, on this terminal: Enter confirms, 'n' declines.</summary>
    private static async ValueTask<bool> AskAsync(string instruction, CancellationToken cancellationToken)
    {
        Console.Write($"{instruction} [Enter: done, n: cannot] ");
        var answer = await Console.In.ReadLineAsync(cancellationToken);
        return answer is not null && !answer.Trim().Equals("n", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class OperatorLoadOff(string meter) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await AskAsync($"Switch the load off {meter}, then confirm.", CancellationToken.None);
    }
}
