using System.Diagnostics;
using System.Net;

namespace SecDcc.Steps.Support;

/// <summary>Waits for a DCC's /health/ready to answer 200, polling until a deadline; a DCC known to have stopped ends the wait at once.</summary>
public static class DccReadiness
{
    /// <param name="stopped">Says why the DCC can no longer become ready (e.g. its process exited), or null while it still may.</param>
    /// <returns>Null when ready; otherwise what was last seen, for the caller's error.</returns>
    public static async Task<string?> WaitAsync(Uri baseUrl, TimeSpan timeout, TimeSpan interval, Func<string?> stopped, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var lastSeen = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (stopped() is { } why) throw new DccUnavailableException(why);
            try
            {
                using var response = await http.GetAsync("health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return null;
                lastSeen = $"/health/ready answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                lastSeen = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastSeen = "/health/ready did not answer within 2 s";
            }
            await Task.Delay(interval, cancellationToken);
        }
        return lastSeen;
    }
}
