using System.Collections.Concurrent;
using SecDcc.Drivers.Link;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>What the SM WAN gateway has seen since it started, over every connection. Safe to update from any thread.</summary>
public sealed class WanStatistics
{
    private readonly long[] _dropped = new long[Enum.GetValues<DropReason>().Length];
    private readonly ConcurrentDictionary<string, long> _refusedByClause = new(StringComparer.Ordinal);
    private long _connectionsAccepted, _connectionsRefused, _connectionsClosed, _connectionsIdentifyTimeout;
    private long _framesAccepted, _bytesReceived, _messagesRejected, _certificatesAccepted, _certificatesRefused;
    private long _chfVerified, _chfRefused, _hanAlertsApplied, _hanAlertsRefused;
    private long _commandsSent, _responses, _timeouts, _lateResponses, _notDelivered, _requestsRefused;
    private long _responsesApplied, _responsesNotActedOn;

    public void ConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);
    public void ConnectionRefused() => Interlocked.Increment(ref _connectionsRefused);
    public void ConnectionClosed() => Interlocked.Increment(ref _connectionsClosed);
    public void IdentifyTimedOut() => Interlocked.Increment(ref _connectionsIdentifyTimeout);
    public void FrameDropped(DropReason reason) => Interlocked.Increment(ref _dropped[(int)reason]);
    public void MessageRejected() => Interlocked.Increment(ref _messagesRejected);
    public void Certificate(bool accepted)
    {
        if (accepted)
            Interlocked.Increment(ref _certificatesAccepted);
        else
            Interlocked.Increment(ref _certificatesRefused);
    }

    public void CommandSent() => Interlocked.Increment(ref _commandsSent);
    public void Response() => Interlocked.Increment(ref _responses);
    public void Timeout() => Interlocked.Increment(ref _timeouts);
    public void LateResponse() => Interlocked.Increment(ref _lateResponses);
    public void NotDelivered() => Interlocked.Increment(ref _notDelivered);

    /// <summary>Adds what a session's link received (frames and bytes) when the session ends.</summary>
    public void LinkEnded(long framesAccepted, long bytes)
    {
        Interlocked.Add(ref _framesAccepted, framesAccepted);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    /// <summary>AC 4.1–4.2: a CHF's "connected" communication that the DCC acted on, or refused under a clause.</summary>
    public void ChfCommunication(Refusal? refusal) => Count(refusal, ref _chfVerified, ref _chfRefused);

    /// <summary>AC 4.4: a HAN alert applied to the SMI, or refused.</summary>
    public void HanAlert(Refusal? refusal) => Count(refusal, ref _hanAlertsApplied, ref _hanAlertsRefused);

    /// <summary>A Response the SMI followed, or one the DCC did not act on (with the clause that stopped it).</summary>
    public void ResponseApplied(Refusal? refusal) => Count(refusal, ref _responsesApplied, ref _responsesNotActedOn);

    private void Count(Refusal? refusal, ref long acted, ref long refused)
    {
        if (refusal is null)
        {
            Interlocked.Increment(ref acted);
            return;
        }
        Interlocked.Increment(ref refused);
        Refused(refusal);
    }

    public void RequestRefused(Refusal refusal)
    {
        Interlocked.Increment(ref _requestsRefused);
        Refused(refusal);
    }

    private void Refused(Refusal refusal) => _refusedByClause.AddOrUpdate(refusal.Clause, 1, (_, n) => n + 1);

    /// <summary>A snapshot for GET /wan/statistics; <paramref name="live"/> adds the links of sessions still open.</summary>
    public object Snapshot(IEnumerable<(long Frames, long Bytes)> live, int connectionsOpen)
    {
        long frames = Interlocked.Read(ref _framesAccepted), bytes = Interlocked.Read(ref _bytesReceived);
        foreach (var l in live)
        {
            frames += l.Frames;
            bytes += l.Bytes;
        }

        var dropped = Enum.GetValues<DropReason>().ToDictionary(r => r.ToString(), r => Interlocked.Read(ref _dropped[(int)r]));
        return new
        {
            connections = new
            {
                open = connectionsOpen,
                accepted = Interlocked.Read(ref _connectionsAccepted),
                refused = Interlocked.Read(ref _connectionsRefused),
                closed = Interlocked.Read(ref _connectionsClosed),
                identifyTimeouts = Interlocked.Read(ref _connectionsIdentifyTimeout),
            },
            frames = new { accepted = frames, droppedTotal = dropped.Values.Sum(), dropped, bytesReceived = bytes },
            messagesRejected = Interlocked.Read(ref _messagesRejected),
            certificates = new { accepted = Interlocked.Read(ref _certificatesAccepted), refused = Interlocked.Read(ref _certificatesRefused) },
            chfCommunications = new { actedOn = Interlocked.Read(ref _chfVerified), refused = Interlocked.Read(ref _chfRefused) },
            hanAlerts = new { applied = Interlocked.Read(ref _hanAlertsApplied), refused = Interlocked.Read(ref _hanAlertsRefused) },
            commands = new
            {
                sent = Interlocked.Read(ref _commandsSent),
                responses = Interlocked.Read(ref _responses),
                responsesApplied = Interlocked.Read(ref _responsesApplied),
                responsesNotActedOn = Interlocked.Read(ref _responsesNotActedOn),
                timeouts = Interlocked.Read(ref _timeouts),
                lateResponses = Interlocked.Read(ref _lateResponses),
                notDelivered = Interlocked.Read(ref _notDelivered),
            },
            requestsRefused = Interlocked.Read(ref _requestsRefused),
            refusedByClause = new SortedDictionary<string, long>(_refusedByClause, StringComparer.Ordinal),
        };
    }
}
