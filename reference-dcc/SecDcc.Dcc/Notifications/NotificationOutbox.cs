using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;

namespace SecDcc.Dcc.Notifications;

/// <summary>Reads the outbox of notices (AC 2.10, 4.3(b), 11.1–11.2; F2.4; PPC results) in the order they were written.</summary>
public sealed class NotificationOutbox(ISmiStore store)
{
    /// <summary>Notices after <paramref name="afterId"/>; with a recipient, those addressed to it and those for all Parties.</summary>
    public Task<IReadOnlyList<Notification>> ReadAsync(long afterId, int limit, PartyId? recipient, CancellationToken ct) =>
        store.ReadAsync((s, ct) => s.NotificationsAsync(afterId, Math.Clamp(limit, 1, 10_000), recipient, ct), ct);
}
