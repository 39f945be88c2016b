using System.Net;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using SecDcc.Duis.Client;
using SecDcc.Duis.Messages;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Tests.Duis.Support;

/// <summary>
/// A DUIS host with the parties most tests act as (generated keys, so no npm packages are needed): a dual-fuel
/// Supplier, a second Supplier, an Electricity Distributor and an Other User, and helpers to create Devices.
/// </summary>
public abstract class DuisFixture
{
    private static long _nextDevice = 0x00DB_5500_0000_0000 + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() & 0xFFFF_FFFF) * 0x100;

    protected DuisHost Host { get; private set; } = null!;
    protected TestParty Supplier { get; private set; } = null!;
    protected TestParty OtherSupplier { get; private set; } = null!;
    protected TestParty Distributor { get; private set; } = null!;
    protected TestParty OtherUser { get; private set; } = null!;
    protected CancellationToken Ct { get; private set; }
    private CancellationTokenSource _timeout = null!;

    protected virtual IEnumerable<string> HostArgs => [];
    protected virtual bool WithWan => true;

    [OneTimeSetUp]
    public async Task StartHostAsync()
    {
        _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Ct = _timeout.Token;
        Host = await DuisHost.StartAsync(Ct, HostArgs, WithWan);
        Supplier = await Host.NewPartyAsync(DuisEui.Parse("90-B3-D5-1F-30-11-00-00"), Ct, UserRole.IS, UserRole.GS);
        OtherSupplier = await Host.NewPartyAsync(DuisEui.Parse("90-B3-D5-1F-30-12-00-00"), Ct, UserRole.IS);
        Distributor = await Host.NewPartyAsync(DuisEui.Parse("90-B3-D5-1F-30-13-00-00"), Ct, UserRole.ED);
        OtherUser = await Host.NewPartyAsync(DuisEui.Parse("90-B3-D5-1F-30-14-00-00"), Ct, UserRole.OU);
        await Host.PostJsonAsync("/inventory/network-operators", new { gas = false, prefix = "10", party = Distributor.Id.ToString() }, Ct);
    }

    [OneTimeTearDown]
    public async Task StopHostAsync()
    {
        await Host.DisposeAsync();
        foreach (var p in new[] { Supplier, OtherSupplier, Distributor, OtherUser })
            p?.Dispose();
        _timeout.Dispose();
    }

    protected static DuisEui NewDevice() => new((ulong)Interlocked.Increment(ref _nextDevice));

    protected static int _mpan = 100_000;

    protected static string NewMpan() => $"10{Interlocked.Increment(ref _mpan):D11}";

    /// <summary>Signs and sends a request as <paramref name="party"/>, targeting the DCC for non-device SRVs.</summary>
    protected async Task<DuisExchange> SendAsync(TestParty party, IDuisRequestBody body, DuisEui? target = null, int? commandVariant = null)
    {
        var request = DuisRequest.Create(party.NextRequestId(target ?? Host.DccEui), body, commandVariant);
        return await Host.ClientFor(party).SendAsync(request, Ct);
    }

    protected static string Code(DuisExchange e) => e.Response.ResponseCode.Value;

    protected static string Describe(DuisExchange e) => $"{e.Response.ResponseCode} {e.Response.Diagnostic}";

    /// <summary>12.2 of a Device of one of the CPL's test models, by <paramref name="party"/>; asserts it is accepted.</summary>
    protected async Task<DuisEui> PreNotifyAsync(TestParty party, SecDcc.Duis.Messages.DeviceType type, DeviceModel model, bool smets1 = false)
    {
        var id = NewDevice();
        var exchange = await SendAsync(party, new DevicePreNotification(id, model.Manufacturer, model.Model, type,
            SmetsChtsVersion: smets1 ? "SMETS1" : "SMETS2 V4.2", FirmwareVersion: model.FirmwareVersion));
        Assert.That(Code(exchange), Is.EqualTo("I0"), Describe(exchange));
        return id;
    }

    /// <summary>A SMETS2 Communications Hub delivered to the Supplier (AC 2.4) and Commissioned by its first WAN communication (AC 4.1).</summary>
    protected async Task<(DuisEui Chf, DuisEui Gpf)> CommissionedHubAsync()
    {
        var (chf, gpf) = (NewDevice(), NewDevice());
        await Host.PostJsonAsync("/inventory/communications-hubs/deliveries", new
        {
            chfId = chf.ToString(), gpfId = gpf.ToString(),
            model = new { manufacturer = TestWorld.Smets2Hub.Manufacturer, model = TestWorld.Smets2Hub.Model, hardwareVersion = TestWorld.Smets2Hub.HardwareVersion, firmwareVersion = TestWorld.Smets2Hub.FirmwareVersion },
            deliveredTo = Supplier.Id.ToString(),
        }, Ct);
        await Host.PostJsonAsync("/inventory/events/chf-communication", new { chfId = chf.ToString() }, Ct);
        return (chf, gpf);
    }

    protected async Task<string?> StatusAsync(DuisEui device) =>
        (await Host.DeviceAsync(device.ToString(), Ct)) is { } d && d.TryGetProperty("status", out var s) ? s.GetString() : null;

    protected static void AssertOk(HttpStatusCode status, string text) => Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
}
