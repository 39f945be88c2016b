namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// Runs the gateway's work on the SMI one piece at a time. The SQLite store takes one writer at a time and makes the
/// others retry after sleeping; hubs answering at once then waited up to a second each (p99, SecDcc.Wan.Bench).
/// Queued here instead, they wait only for each other.
/// </summary>
public sealed class WanSmiGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task RunAsync(Func<Task> work, CancellationToken ct) => RunAsync(async () =>
    {
        await work();
        return true;
    }, ct);
}
