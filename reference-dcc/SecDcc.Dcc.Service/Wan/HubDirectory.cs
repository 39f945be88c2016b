using System.Collections.Concurrent;
using SecDcc.Drivers.Link;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>The open WAN connections, and which CHF each speaks for once its "connected" communication has been verified.</summary>
public sealed class HubDirectory
{
    private readonly ConcurrentDictionary<Eui64, HubConnection> _byChf = new();
    private readonly ConcurrentDictionary<HubConnection, byte> _open = new();

    public int OpenCount => _open.Count;

    public IReadOnlyCollection<HubConnection> Open => _open.Keys.ToList();

    public void Add(HubConnection connection) => _open.TryAdd(connection, 0);

    /// <summary>Routes Commands for <paramref name="chfId"/> through <paramref name="connection"/>; returns the connection it replaces, if any.</summary>
    public HubConnection? Route(Eui64 chfId, HubConnection connection)
    {
        HubConnection? previous = null;
        _byChf.AddOrUpdate(chfId, connection, (_, old) =>
        {
            previous = old == connection ? null : old;
            return connection;
        });
        return previous;
    }

    public void Remove(HubConnection connection)
    {
        _open.TryRemove(connection, out _);
        if (connection.ChfId is { } id)
            _byChf.TryRemove(new KeyValuePair<Eui64, HubConnection>(id, connection));
    }

    public bool TryGet(Eui64 chfId, out HubConnection connection) => _byChf.TryGetValue(chfId, out connection!);
}
