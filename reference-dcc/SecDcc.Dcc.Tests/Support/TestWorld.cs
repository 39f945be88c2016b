using System.Security.Cryptography;
using System.Text.Json;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc.Tests.Support;

/// <summary>
/// A reference DCC on a fresh store with a virtual clock, a Panel key, a manufacturer key, a CPL holding the standard
/// models, and the parties the tests act as.
/// </summary>
public sealed class TestWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);

    // Parties (the ZAZ1 test EUI-64s where there are some).
    public static readonly Actor ImportSupplier = new(PartyId.Parse("90-B3-D5-1F-30-01-00-00"), UserRole.IS);
    public static readonly Actor GasSupplier = new(PartyId.Parse("90-B3-D5-1F-30-01-00-00"), UserRole.GS);
    public static readonly Actor OtherSupplier = new(PartyId.Parse("90-B3-D5-1F-30-03-00-00"), UserRole.IS);
    public static readonly Actor OtherSupplierAsOtherUser = new(PartyId.Parse("90-B3-D5-1F-30-03-00-00"), UserRole.OU);
    public static readonly Actor OtherUser = new(PartyId.Parse("90-B3-D5-1F-30-04-00-00"), UserRole.OU);
    public static readonly Actor Distributor = new(PartyId.Parse("90-B3-D5-1F-30-02-00-00"), UserRole.ED);
    public static readonly Actor Transporter = new(PartyId.Parse("90-B3-D5-1F-30-05-00-00"), UserRole.GT);
    public static readonly Actor Agent = new(PartyId.Parse("90-B3-D5-1F-30-06-00-00"), UserRole.RSA);

    // Device Models.
    public static readonly DeviceModel Smets2Hub = new("Acme", "CH-2", "1.0", "2.0");
    public static readonly DeviceModel Smets2Esme = new("Acme", "E-2", "1.0", "3.1");
    public static readonly DeviceModel Smets2Gsme = new("Acme", "G-2", "1.0", "1.4");
    public static readonly DeviceModel Smets2Ppmid = new("Acme", "P-2", "1.0", "1.0");
    public static readonly DeviceModel Smets1Hub = new("Legacy", "CH-1", "A", "7");
    public static readonly DeviceModel Smets1Esme = new("Legacy", "E-1", "A", "12");
    public static readonly DeviceModel Smets1Gsme = new("Legacy", "G-1", "A", "5");
    public static readonly DeviceModel Smets1Ppmid = new("Legacy", "P-1", "A", "3");
    public static readonly DeviceModel Ihd = new("Glow", "IHD", "1", "1");
    public static readonly DeviceModel NotOnCpl = new("Nobody", "X", "0", "0");

    public const string Mpan = "1012345678901";
    public const string Mpan2 = "2012345678902";
    public const string Mprn = "7654321";

    private readonly string _dir;
    private ulong _nextId = 0x00DB_1234_5600_0000;

    private TestWorld(string dir, ReferenceDcc dcc, VirtualClock clock, CplBuilder cpl)
    {
        _dir = dir;
        Dcc = dcc;
        Clock = clock;
        Cpl = cpl;
    }

    public ReferenceDcc Dcc { get; }
    public VirtualClock Clock { get; }
    public CplBuilder Cpl { get; }
    public ECDsa PanelKey => Cpl.PanelKey;
    public ECDsa ManufacturerKey => Cpl.ManufacturerKey;
    public SmiService Smi => Dcc.Inventory;
    public ProductCatalogue Products => Dcc.Products;
    public CancellationToken Ct { get; } = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    /// <summary>A world on a new SQLite file, or on the store <paramref name="storeFactory"/> makes.</summary>
    public static async Task<TestWorld> CreateAsync(Func<string, Task<ISmiStore>>? storeFactory = null, DccOptions? options = null, bool publishCpl = true)
    {
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var store = storeFactory is null ? new SqliteSmiStore(Path.Combine(dir, "smi.db")) : await storeFactory(dir);
        var cpl = new CplBuilder();
        var clock = new VirtualClock(Start);
        options = (options ?? new DccOptions()) with { PanelPublicKeysPem = [cpl.PanelPublicKeyPem] };
        var dcc = await ReferenceDcc.OpenAsync(store, clock, options, CancellationToken.None);
        var world = new TestWorld(dir, dcc, clock, cpl);
        await world.Smi.RegisterNetworkOperatorAsync(new NetworkOperator(false, "10", Distributor.Party), world.Ct);
        await world.Smi.RegisterNetworkOperatorAsync(new NetworkOperator(true, "7", Transporter.Party), world.Ct);
        if (publishCpl)
            await world.PublishCplAsync(world.StandardEntries());
        return world;
    }

    public DeviceId NewId() => new(++_nextId);

    // ---- CPL ----

    public IReadOnlyList<Dictionary<string, object?>> StandardEntries() => Cpl.StandardEntries();

    public Dictionary<string, object?> Entry(string deviceType, DeviceModel model, bool smets1 = false, bool cpa = true, DateOnly? cpaExpiry = null, ECDsa? signer = null) =>
        Cpl.Entry(deviceType, model, smets1, cpa, cpaExpiry, signer);

    public string SignedCpl(IEnumerable<Dictionary<string, object?>> entries, long? sequence = null, ECDsa? key = null) =>
        Cpl.SignedCpl(entries, Clock.UtcNow, sequence, key);

    /// <summary>Publishes a CPL and runs the duties so the SMI follows it.</summary>
    public async Task<Outcome<CplDocumentRecord>> PublishCplAsync(IEnumerable<Dictionary<string, object?>> entries)
    {
        var outcome = await Products.ReceiveCplAsync(SignedCpl(entries), Ct);
        Assert.That(outcome.IsSuccess, Is.True, () => outcome.ToString());
        await Dcc.Duties.RunDueAsync(Ct);
        return outcome;
    }

    // ---- SMI snapshots for "nothing changed" assertions ----

    public async Task<string> SnapshotAsync()
    {
        var devices = await Smi.ListDevicesAsync(null, 10_000, Ct);
        var notices = await Dcc.Notifications.ReadAsync(0, 10_000, null, Ct);
        var joins = await Dcc.Store.ReadAsync((s, ct) => s.AllJoinsAsync(ct), Ct);
        return JsonSerializer.Serialize(new
        {
            devices = devices.Select(d => d with { }).Select(d => new
            {
                id = d.Id.ToString(), d.Type, d.Status, d.StatusBeforeSuspension, d.PendingSince, chf = d.ChfId?.ToString(),
                joined = d.JoinedTo.Select(j => j.ToString()).ToList(), d.Mpxns, rs = d.ResponsibleSuppliers.Select(p => p.ToString()).ToList(), d.Model,
            }),
            notices = notices.Select(n => n.Id),
            joins = joins.Select(j => j.Device + ">" + j.Target).OrderBy(x => x),
        });
    }

    /// <summary>Runs <paramref name="act"/>, asserts it is refused under <paramref name="clause"/> and that the SMI and outbox are unchanged.</summary>
    public async Task<Refusal> RefusedUnchangedAsync<T>(Func<Task<Outcome<T>>> act, string clause, string? code = null)
    {
        var before = await SnapshotAsync();
        var refusal = (await act()).Refused(clause, code);
        Assert.That(await SnapshotAsync(), Is.EqualTo(before), $"the SMI changed although the request was refused ({refusal})");
        return refusal;
    }

    public async Task<Device> DeviceAsync(DeviceId id)
    {
        var read = await Smi.ReadInventoryAsync(id, Ct);
        Assert.That(read.IsSuccess, Is.True, () => read.ToString());
        return read.Value;
    }

    public async Task<IReadOnlyList<Notification>> NoticesAsync(long after = 0) => await Dcc.Notifications.ReadAsync(after, 10_000, null, Ct);

    public async Task<long> LastNoticeIdAsync() => (await NoticesAsync()).Select(n => n.Id).DefaultIfEmpty(0).Max();

    public async ValueTask DisposeAsync()
    {
        await Dcc.DisposeAsync();
        Cpl.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; the OS cleans /tmp.
        }
    }
}
