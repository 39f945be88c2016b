using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.PostCommissioning;

/// <summary>Post-commissioning steps on a <see cref="TestWorld"/>; each asserts its own success so a test fails where the flow broke.</summary>
public static class PostCommissioningFlows
{
    public static readonly DeviceCertificate Signing = new(DeviceCertificateUse.DigitalSigning, "5A01", "CN=Z1,OU=07");
    public static readonly DeviceCertificate KeyAgreement = new(DeviceCertificateUse.KeyAgreement, "5A02", "CN=Z1,OU=07");

    public static PostCommissioningService Pc(this TestWorld w) => w.Dcc.PostCommissioning;

    /// <summary>A SMETS2+ system with every hub and meter Commissioned now: CHF, ESME, GSME, and the GPF joined to the GSME.</summary>
    public static async Task<(DeviceId Chf, DeviceId Gpf, DeviceId Esme, DeviceId Gsme)> CommissionedSystemAsync(this TestWorld w, Actor? supplier = null)
    {
        var by = supplier ?? ImportSupplier;
        var (chf, gpf) = await w.DeliverHubAsync(by);
        var esme = await w.AddAsync(DeviceType.ESME, Smets2Esme, by: by);
        var gsme = await w.AddAsync(DeviceType.GSME, Smets2Gsme, by: by);
        await w.CommissionChfAsync(chf);
        await w.InstallAsync(chf, esme, Mpan);
        await w.InstallAsync(chf, gsme, Mprn);
        await w.CommissionMeterAsync(esme, by);
        await w.CommissionMeterAsync(gsme, by);
        Assert.That((await w.JoinAsync(gpf, gsme, by)).Status, Is.EqualTo(SmiStatus.Commissioned));
        return (chf, gpf, esme, gsme);
    }

    public static async Task CountAsync(this TestWorld w, DeviceId id, string srv, int times = 1, bool success = true)
    {
        for (var i = 0; i < times; i++)
            (await w.Pc().CredentialsCommandRespondedAsync(new CredentialsCommandResponse(id, srv, success), w.Ct)).Must();
    }

    public static async Task InterrogateAsync(this TestWorld w, DeviceId id, bool succeeded = true, bool? populated = true, Interrogator by = Interrogator.Dcc) =>
        (await w.Pc().RecoveryCellInterrogatedAsync(new RecoveryCellInterrogation(id, by, succeeded, succeeded ? populated : null), w.Ct)).Must();

    public static async Task RegenerateKeysAsync(this TestWorld w, DeviceId id) =>
        (await w.Pc().KeysRegeneratedAsync(new KeyRegeneration(id, [Signing, KeyAgreement]), w.Ct)).Must();

    public static async Task ReplaceOrganisationCertificateAsync(this TestWorld w, DeviceId id) =>
        (await w.Pc().OrganisationCertificateReplacedAsync(new OrganisationCertificateReplacement(id), w.Ct)).Must();

    public static async Task NetworkPartyAsync(this TestWorld w, DeviceId id, Actor party) =>
        (await w.Pc().NetworkPartyCredentialsAsync(new CredentialsHeld(id, party.Party), w.Ct)).Must();

    /// <summary>Every Response AC 5.7(c) counts, as many as it asks for.</summary>
    public static async Task CountEveryCredentialCommandAsync(this TestWorld w, DeviceId id)
    {
        await w.CountAsync(id, CredentialServices.IssueSecurityCredentials, 2);
        await w.CountAsync(id, CredentialServices.UpdateSecurityCredentialsDevice, 2);
        await w.CountAsync(id, CredentialServices.UpdateSecurityCredentialsKrp);
    }

    /// <summary>Everything AC 5.2/5.3, 5.4 and 5.7(c) ask for, so 5.7 identifies the Device for no reason.</summary>
    public static async Task CompleteStepsAsync(this TestWorld w, DeviceId id, Actor? networkParty = null)
    {
        await w.CountEveryCredentialCommandAsync(id);
        await w.InterrogateAsync(id);
        await w.RegenerateKeysAsync(id);
        await w.ReplaceOrganisationCertificateAsync(id);
        if (networkParty is not null)
            await w.NetworkPartyAsync(id, networkParty);
    }

    public static async Task<PostCommissioningStatus> StatusAsync(this TestWorld w, DeviceId id) => (await w.Pc().StatusAsync(id, w.Ct)).Must();

    /// <summary>The Device's entry in the Post Commissioning Information as last updated, or null.</summary>
    public static async Task<PostCommissioningEntry?> EntryAsync(this TestWorld w, DeviceId id) =>
        (await w.Pc().InformationAsync(w.Ct)).Entries.SingleOrDefault(e => e.DeviceId == id);

    public static async Task<DutyReport> RunDutiesAsync(this TestWorld w) => await w.Dcc.Duties.RunDueAsync(w.Ct);

    /// <summary>Moves the clock and runs the duties, as the service's /clock/advance does.</summary>
    public static async Task<DutyReport> AdvanceAsync(this TestWorld w, TimeSpan by)
    {
        w.Clock.Advance(by);
        return await w.RunDutiesAsync();
    }

    public static async Task<DutyReport> SetAsync(this TestWorld w, DateTimeOffset to)
    {
        w.Clock.Set(to);
        return await w.RunDutiesAsync();
    }

    public static Task<Outcome<ServiceRequestClearance>> SendAsync(this TestWorld w, Actor by, DeviceId id, string srv, StatedPurpose purpose = StatedPurpose.None) =>
        w.Pc().ClearServiceRequestAsync(new DeviceServiceRequest(by, id, srv, purpose), w.Ct);

    public static readonly TimeSpan SixDays23Hours = TimeSpan.FromDays(7) - TimeSpan.FromHours(1);
    public static readonly TimeSpan SevenDays = TimeSpan.FromDays(7);
    public static readonly TimeSpan OneDay = TimeSpan.FromDays(1);
}
