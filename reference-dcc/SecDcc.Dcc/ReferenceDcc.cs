using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc;

/// <summary>
/// The reference DCC: the Smart Metering Inventory (<see cref="Inventory"/>), the product lists (<see cref="Products"/>),
/// the notification outbox, the post-commissioning work (<see cref="PostCommissioning"/>) and the scheduled duties over one store and one clock. Open it with <see cref="OpenAsync"/>,
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
        PostCommissioning = new PostCommissioningService(store, clock, options);
        Duties = new ScheduledDuties(store, clock, options, Inventory, Products, new PostCommissioningDuty(store, clock, options));
    }

    public ISmiStore Store { get; }
    public IClock Clock { get; }
    public DccOptions Options { get; }
    public SmiService Inventory { get; }
    public ProductCatalogue Products { get; }
    public NotificationOutbox Notifications { get; }

    /// <summary>Appendix AC 5–6: the facts monitored after Commissioning, the AC 5.14 guard, the Post Commissioning Information and its reports.</summary>
    public PostCommissioningService PostCommissioning { get; }
    public ScheduledDuties Duties { get; }

    public static async Task<ReferenceDcc> OpenAsync(ISmiStore store, IClock clock, DccOptions options, CancellationToken ct)
    {
        options.Validate();
        await store.MigrateAsync(ct);
        return new ReferenceDcc(store, clock, options);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
