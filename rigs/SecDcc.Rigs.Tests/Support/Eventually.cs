namespace SecDcc.Rigs.Tests.Support;

/// <summary>Waits for a state, not for a time: polls a condition until it holds or the deadline passes.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> holds, TimeSpan within, string what)
    {
        using var deadline = new CancellationTokenSource(within);
        T last = default!;
        var interval = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            try
            {
                last = await read(deadline.Token);
                if (holds(last))
                {
                    return last;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // The deadline cut a read short; report below with the last value seen.
            }

            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"{what} did not happen within {within.TotalSeconds:0.#} s; last seen: {last}");
            }

            try
            {
                await Task.Delay(interval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // Fall through to one last read.
            }

            interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 2, 100));
        }
    }
}
