using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Service.Duis.Devices;

/// <summary>How hard the DCC tries to deliver a response to a User's callback URL.</summary>
public sealed record CallbackDeliveryOptions
{
    public int MaxAttempts { get; init; } = 6;
    /// <summary>The wait before the second attempt; it doubles before each one after.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>The callback URL each User registered for its device responses.</summary>
public sealed class CallbackRegistry
{
    private readonly ConcurrentDictionary<DuisEui, Uri> _urls = new();

    public void Set(DuisEui user, Uri url) => _urls[user] = url;

    public bool Remove(DuisEui user) => _urls.TryRemove(user, out _);

    public Uri? Find(DuisEui user) => _urls.GetValueOrDefault(user);

    /// <summary>Checks a callback URL: absolute http or https.</summary>
    public static bool TryParseUrl(string? text, out Uri url, out string error)
    {
        url = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            error = $"'{text}' is not an absolute http or https URL, e.g. http://127.0.0.1:9000/duis/responses.";
            return false;
        }
        url = parsed;
        error = "";
        return true;
    }
}

/// <summary>
/// POSTs signed DUIS responses (application/xml) to the Users' callback URLs, retrying with a doubling delay when the
/// User does not answer 2xx, and logging what it gave up on. The poll endpoint keeps every response either way.
/// </summary>
public sealed class CallbackDelivery(CallbackDeliveryOptions options, ILogger<CallbackDelivery> log) : BackgroundService
{
    private readonly Channel<Job> _jobs = Channel.CreateUnbounded<Job>();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private sealed record Job(Uri Url, string RequestId, string Xml, int Attempt);

    public void Enqueue(Uri url, string requestId, string xml) => _jobs.Writer.TryWrite(new Job(url, requestId, xml, 1));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in _jobs.Reader.ReadAllAsync(stoppingToken))
        {
            var failure = await TryPostAsync(job, stoppingToken);
            if (failure is null)
                continue;
            if (job.Attempt >= options.MaxAttempts)
            {
                log.LogError("Gave up delivering the response to {RequestId} to {Url} after {Attempts} attempts: {Failure}. The User can still poll GET /api/v1/responses.",
                    job.RequestId, job.Url, job.Attempt, failure);
                continue;
            }
            var delay = options.FirstRetryDelay * Math.Pow(2, job.Attempt - 1);
            log.LogWarning("Delivering the response to {RequestId} to {Url} failed (attempt {Attempt}): {Failure}; retrying in {Delay}.",
                job.RequestId, job.Url, job.Attempt, failure, delay);
            _ = RetryLaterAsync(job with { Attempt = job.Attempt + 1 }, delay, stoppingToken);
        }
    }

    private async Task RetryLaterAsync(Job job, TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
            await _jobs.Writer.WriteAsync(job, ct);
        }
        catch (OperationCanceledException)
        {
            // The DCC is stopping; the response stays in the outbox.
        }
    }

    /// <returns>Null when the User took the response; otherwise what went wrong.</returns>
    private async Task<string?> TryPostAsync(Job job, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.AttemptTimeout);
        try
        {
            using var content = new StringContent(job.Xml, new UTF8Encoding(false));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "utf-8" };
            using var response = await _http.PostAsync(job.Url, content, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer within {options.AttemptTimeout.TotalSeconds:0} s";
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
