using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc;

/// <summary>
/// The reference DCC: the Smart Metering Inventory (<see cref="Inventory"/>), the product lists (<see cref="Products"/>),
/// the notification outbox and the scheduled duties over one store and one clock. Open it with <see cref="OpenAsync"/>,
/// which applies the store's migrations. Owns the store and disposes it.
/// </summary>
public sealed class ReferenceDcc : IAsyncDisposable
{
    private ReferenceDcc(ISmiStore store, IClock clock, DccOptions options)
    {
        Store = store;
        Clock = clock;
        Options = options;
        Inventory = new SmiService(store, clock, options);
        Products = new ProductCatalogue(store, clock, options);
        Notifications = new NotificationOutbox(store);
        Duties = new ScheduledDuties(store, clock, options, Inventory, Products);
    }

    public ISmiStore Store { get; }
    public IClock Clock { get; }
    public DccOptions Options { get; }
    public SmiService Inventory { get; }
    public ProductCatalogue Products { get; }
    public NotificationOutbox Notifications { get; }
    public ScheduledDuties Duties { get; }

    public static async Task<ReferenceDcc> OpenAsync(ISmiStore store, IClock clock, DccOptions options, CancellationToken ct)
    {
        options.Validate();
        await store.MigrateAsync(ct);
        return new ReferenceDcc(store, clock, options);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
