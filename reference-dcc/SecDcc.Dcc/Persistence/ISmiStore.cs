using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Products;

namespace SecDcc.Dcc.Persistence;

/// <summary>
/// Where the Smart Metering Inventory and the product lists live. Every write runs in one transaction: a status
/// change and the notifications it causes commit together or not at all, and a refused outcome rolls back.
/// </summary>
public interface ISmiStore : IAsyncDisposable
{
    /// <summary>A name for messages and reports ("sqlite", "postgres").</summary>
    string Kind { get; }

    /// <summary>Applies the schema migrations not yet recorded in schema_migrations.</summary>
    Task MigrateAsync(CancellationToken ct);

    /// <summary>The migrations this store has applied, oldest first.</summary>
    Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(CancellationToken ct);

    /// <summary>Runs <paramref name="work"/> in one transaction; commits only if it returns a success.</summary>
    Task<Outcome<T>> WriteAsync<T>(Func<ISmiSession, CancellationToken, Task<Outcome<T>>> work, CancellationToken ct);

    /// <summary>Reads one device (with its joins) in a single statement, outside any explicit transaction: the fast path for Read Inventory and the AC 2.7 guard.</summary>
    Task<Device?> ReadDeviceAsync(DeviceId id, CancellationToken ct);

    /// <summary>Runs <paramref name="work"/> against a consistent read.</summary>
    Task<T> ReadAsync<T>(Func<ISmiSession, CancellationToken, Task<T>> work, CancellationToken ct);
}

public sealed record AppliedMigration(int Version, string Name, DateTimeOffset AppliedAt);

/// <summary>A pending command sent to a device, awaiting its Response (e.g. a Join, AC 4.7).</summary>
public sealed record PendingCommand(string Kind, DeviceId DeviceId, DeviceId? TargetId, Actor Requester, DateTimeOffset CreatedAt);

/// <summary>Information provided to the Service Desk before a SMETS1 Device is added (AC 3.4).</summary>
public sealed record ServiceDeskInformation(DeviceId DeviceId, Actor ProvidedBy, IReadOnlyDictionary<string, string> Information, DateTimeOffset ProvidedAt);

/// <summary>A Supplier Party's AC 3.8 declaration for a Device Model.</summary>
public sealed record Smets1Declaration(PartyId Supplier, DeviceModel Model, string SupplierLegalName, string SignedBy, DateTimeOffset DeclaredAt);

/// <summary>A Panel direction not to Commission a SMETS1 Device under dispute (AC 3.10).</summary>
public sealed record PanelDirection(DeviceId DeviceId, string DisputeReference, DateTimeOffset DirectedAt);

/// <summary>The Security Sub-Committee's approval to include one Communications Hub's CHF and GPF in the SMI for CH Production Proving (AC 12.3).</summary>
public sealed record ProductionProvingApproval(DeviceId ChfId, DeviceId GpfId, string Reference, DateTimeOffset ApprovedAt);

/// <summary>The Electricity Distributor or Gas Transporter for MPANs/MPRNs that start with <see cref="Prefix"/>.</summary>
public sealed record NetworkOperator(bool Gas, string Prefix, PartyId Party);

/// <summary>One transaction's view of the store.</summary>
public partial interface ISmiSession
{
    // Devices
    Task<Device?> GetDeviceAsync(DeviceId id, CancellationToken ct);
    /// <summary>Which of <paramref name="ids"/> are in the SMI (used by batch pre-notification).</summary>
    Task<IReadOnlySet<DeviceId>> ExistingDeviceIdsAsync(IReadOnlyList<DeviceId> ids, CancellationToken ct);
    Task<IReadOnlyList<Device>> GetDevicesByChfAsync(DeviceId chf, CancellationToken ct);
    Task<IReadOnlyList<Device>> GetDevicesJoinedToAsync(DeviceId target, CancellationToken ct);
    Task<IReadOnlyList<Device>> ListDevicesAsync(DeviceId? after, int limit, CancellationToken ct);
    Task<long> CountDevicesAsync(CancellationToken ct);
    Task InsertDeviceAsync(Device device, CancellationToken ct);
    Task InsertDevicesAsync(IReadOnlyList<Device> devices, CancellationToken ct);
    Task UpdateDeviceAsync(Device device, CancellationToken ct);
    /// <summary>Removes the device, its joins, and clears it as the CHF of other devices.</summary>
    Task DeleteDeviceAsync(DeviceId id, CancellationToken ct);
    Task<IReadOnlyList<DeviceId>> PendingSinceBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct);
    /// <summary>Devices with a status other than Decommissioned, Withdrawn or Suspended whose model is not on the current CPL.</summary>
    Task<IReadOnlyList<Device>> DevicesOffCplAsync(int limit, CancellationToken ct);
    /// <summary>Suspended devices whose model is on the current CPL.</summary>
    Task<IReadOnlyList<Device>> SuspendedDevicesOnCplAsync(int limit, CancellationToken ct);
    Task<IReadOnlyList<(DeviceId Device, DeviceId Target)>> AllJoinsAsync(CancellationToken ct);

    // Commands awaiting a Response
    Task PutPendingCommandAsync(PendingCommand command, CancellationToken ct);
    Task<PendingCommand?> GetPendingCommandAsync(string kind, DeviceId device, DeviceId? target, CancellationToken ct);
    Task DeletePendingCommandAsync(string kind, DeviceId device, DeviceId? target, CancellationToken ct);

    // Pre-commissioning records
    Task PutServiceDeskInformationAsync(ServiceDeskInformation info, CancellationToken ct);
    Task<ServiceDeskInformation?> GetServiceDeskInformationAsync(DeviceId id, CancellationToken ct);
    Task PutSmets1DeclarationAsync(Smets1Declaration declaration, CancellationToken ct);
    Task<Smets1Declaration?> GetSmets1DeclarationAsync(PartyId supplier, DeviceModel model, CancellationToken ct);
    Task PutPanelDirectionAsync(PanelDirection direction, CancellationToken ct);
    Task<PanelDirection?> GetPanelDirectionAsync(DeviceId id, CancellationToken ct);
    Task<bool> DeletePanelDirectionAsync(DeviceId id, CancellationToken ct);
    Task PutProductionProvingApprovalAsync(ProductionProvingApproval approval, CancellationToken ct);
    Task<ProductionProvingApproval?> GetProductionProvingApprovalAsync(DeviceId chf, CancellationToken ct);
    Task PutNetworkOperatorAsync(NetworkOperator op, CancellationToken ct);
    Task<IReadOnlyList<NetworkOperator>> NetworkOperatorsAsync(CancellationToken ct);

    // Notification outbox
    Task<long> AddNotificationAsync(Notification notification, CancellationToken ct);
    Task<IReadOnlyList<Notification>> NotificationsAsync(long afterId, int limit, PartyId? recipient, CancellationToken ct);

    // Central Products List
    Task<CplEntry?> GetCplEntryAsync(DeviceModel model, CancellationToken ct);
    Task<IReadOnlyList<CplEntry>> CplEntriesAsync(CancellationToken ct);
    Task<CplDocumentRecord?> LatestCplDocumentAsync(CancellationToken ct);
    /// <summary>Records a verified CPL and makes its entries the current list.</summary>
    Task ReplaceCplAsync(CplDocumentRecord document, string payload, IReadOnlyList<CplEntry> entries, CancellationToken ct);
    Task<IReadOnlyList<CplDocumentRecord>> CplDocumentsAwaitingSmiUpdateAsync(CancellationToken ct);
    Task MarkCplSmiUpdatedAsync(long sequence, DateTimeOffset at, CancellationToken ct);
    /// <summary>Takes one Device Model off the current list (F2.12); the recorded CPL documents are left as received.</summary>
    Task RemoveCplEntryAsync(DeviceModel model, CancellationToken ct);
    Task<bool> CpaNoticeSentAsync(DeviceModel model, int months, CancellationToken ct);
    Task RecordCpaNoticeAsync(DeviceModel model, int months, DateTimeOffset at, CancellationToken ct);

    // EPC / PPC
    Task<ProductCombination?> GetCombinationAsync(string key, CancellationToken ct);
    Task PutCombinationAsync(ProductCombination combination, CancellationToken ct);
    Task DeleteCombinationAsync(string key, CancellationToken ct);
    Task<IReadOnlyList<ProductCombination>> CombinationsAsync(CombinationList list, CancellationToken ct);
}
