namespace SecDcc.Dcc.Service.Hosting;

/// <summary>Runs the scheduled duties (AC 8.2, F2.4, F2.15(b)) on an interval against the DCC's clock.</summary>
public sealed class DutyRunner(ReferenceDcc dcc, ServiceOptions options, ILogger<DutyRunner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.DutyInterval > TimeSpan.Zero ? options.DutyInterval : TimeSpan.FromSeconds(1));
        do
        {
            try
            {
                var report = await dcc.Duties.RunDueAsync(stoppingToken);
                if (report.DidAnything)
                    log.LogInformation("Scheduled duties at {At}: {Report}", report.RanAt, report);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failing run is retried at the next tick; the store may be briefly unavailable.
                log.LogError(e, "Scheduled duties failed; they run again in {Interval}.", options.DutyInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
