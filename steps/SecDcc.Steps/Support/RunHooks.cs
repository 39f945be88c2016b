using SecDcc.Scenarios;

namespace SecDcc.Steps.Support;

/// <summary>One DCC for the whole run (started here, or the one SECDCC_DCC_URL names), and a fresh identity for every scenario.</summary>
[Binding]
public sealed class RunHooks(SmiWorld world, ScenarioContext context)
{
    [BeforeTestRun]
    public static async Task StartDccAsync(TestRunContext run)
    {
        if (run.TryGet<DccRun>(DccRun.Key, out _)) return;
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        // A host (secdcc run --dcc docker) may supply the DCC; otherwise SECDCC_DCC_URL or a local process.
        run.TryGet<DccTargetFactory>(DccTargetFactory.Key, out var factory);
        var started = await DccRun.StartAsync(factory, startup.Token);
        run.GetOrAdd(DccRun.Key, () => started);
        run.Environment["DCC"] = started.Target.Description;

        // Under dotnet test too, a run whose devices' side is a rig names that rig in its report.
        if (Environment.GetEnvironmentVariable(RigUnderTest.Variable) is { Length: > 0 })
            RigUnderTest.Record(RigUnderTest.Definition, run.Environment);
    }

    /// <summary>A failed scenario carries the DCC's own account of what happened, for the reader of the report.</summary>
    [AfterScenario(Order = 0)]
    public async Task AttachTheDccLogToFailures(CancellationToken cancellationToken)
    {
        if (!context.HasFailed) return;
        if (await world.Run.Target.RecentLogAsync(cancellationToken) is { Length: > 0 } log)
            context.Attach("DCC log (last lines)", log);
    }

    /// <summary>
    /// Building the world here gives the scenario its own number, Party IDs, Device IDs and MPxN ranges before any
    /// step runs (IDs come from a run-wide counter, so no two scenarios share one in the SMI), and records them.
    /// </summary>
    [BeforeScenario(Order = 0)]
    public void GiveTheScenarioItsOwnIdentities() =>
        context.Attach("scenario identities",
            $"scenario {world.Number} of run {world.Run.RunTag:X4}{Environment.NewLine}" +
            $"DCC: {world.Run.Target.Description}{Environment.NewLine}" +
            $"Responsible Supplier: {world.Supplier.Party}{Environment.NewLine}" +
            $"MPAN prefix {world.MpanPrefix}, MPRN prefix {world.MprnPrefix}{Environment.NewLine}" +
            $"Device Models: {world.ModelFor("ESME", Generation.Smets2Plus).Model} and the like");

    [AfterScenario]
    public void TakeTheScenarioModelsOffTheNextCpl() => world.Run.Panel.DelistOwner(world.Number);
}
