using SecDcc.Scenarios;

namespace SecDcc.Steps.Support;

/// <summary>Which interface the Service Requests travel over: SECDCC_TRANSPORT=json (the default) or duis.</summary>
public static class DccTransport
{
    public const string Variable = "SECDCC_TRANSPORT";

    public static IDccClient CreateClient(DccHttp http, DccRun run, TestRunContext testRun, ScenarioContext context) =>
        (Environment.GetEnvironmentVariable(Variable) ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "json" => new JsonDccClient(http),
            "duis" => new DuisDccClient(testRun.GetOrAdd(DuisSession.Key, () => new DuisSession(run.Http, run.Target.BaseUrl)), http, context),
            var other => throw new DccUnavailableException($"{Variable}={other} names no transport: use json (the default) or duis."),
        };
}
