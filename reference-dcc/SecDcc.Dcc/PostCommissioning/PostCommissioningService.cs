using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Rules;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc.PostCommissioning;

/// <summary>
/// What follows a Device's Commissioning (Appendix AC 5 and 6): the facts the DCC monitors in Devices' Responses (one
/// method per fact, called by the SM WAN gateway), the AC 5.14 guard on Supplier Parties' Service Requests, and reads of
/// a Device's post-commissioning status and of the Post Commissioning Information. The daily update and the reports are
/// in <see cref="PostCommissioningDuty"/> and <see cref="Reports"/>.
/// </summary>
public sealed class PostCommissioningService
{
    private readonly ISmiStore _store;
    private readonly IClock _clock;
    private readonly DccOptions _options;

    public PostCommissioningService(ISmiStore store, IClock clock, DccOptions options)
    {
        _store = store;
        _clock = clock;
        _options = options;
        Reports = new PostCommissioningReports(store, clock, options);
    }

    /// <summary>The AC 5.9 monthly and 5.10 daily reports (and 5.11 copies).</summary>
    public PostCommissioningReports Reports { get; }

    // ---- facts from Devices' Responses (AC 5.5, 5.18) ----------------------------------------------------------

    /// <summary>AC 5.7(c): a Response to a Command of 'Issue Security Credentials' (6.17), 'Update Security Credentials (Device)' (6.15.2) or '(KRP)' (6.15.1).</summary>
    public Task<Outcome<CredentialFacts>> CredentialsCommandRespondedAsync(CredentialsCommandResponse response, CancellationToken ct)
    {
        if (!CredentialServices.Counted.Contains(response.ServiceReferenceVariant))
            return Task.FromResult<Outcome<CredentialFacts>>(Refusal.InvalidField("AC-5.7(c)", "serviceReferenceVariant",
                $"'{response.ServiceReferenceVariant}' is not a Service Request AC 5.7(c) counts: give {string.Join(", ", CredentialServices.Counted.Select(CredentialServices.Describe))}."));
        return RecordAsync(response.DeviceId, "AC-5.7(c)", null, (_, f, now) =>
        {
            // AC 5.7(c) proviso: before Service Release 1.3 any Response may be treated as Successful Execution.
            if (!response.SuccessfullyExecuted && !(_options.ServiceRelease13 is { } release && now < release))
                return f;
            return response.ServiceReferenceVariant switch
            {
                CredentialServices.IssueSecurityCredentials => f with { IssueSecurityCredentials = f.IssueSecurityCredentials + 1 },
                CredentialServices.UpdateSecurityCredentialsDevice => f with { UpdateSecurityCredentialsDevice = f.UpdateSecurityCredentialsDevice + 1 },
                _ => f with { UpdateSecurityCredentialsKrp = f.UpdateSecurityCredentialsKrp + 1 },
            };
        }, ct);
    }

    /// <summary>AC 5.4: the outcome of an interrogation of a CHF's, GPF's or Smart Meter's recovery Trust Anchor Cell, by the DCC or a Supplier (5.14(b)).</summary>
    public Task<Outcome<CredentialFacts>> RecoveryCellInterrogatedAsync(RecoveryCellInterrogation result, CancellationToken ct)
    {
        if (result.Succeeded && result.RecoveryCellPopulated is null)
            return Refused(Refusal.InvalidField("AC-5.4", "recoveryCellPopulated",
                "A successful interrogation says what it found: give recoveryCellPopulated true (DCC Recovery Certificate credentials present) or false."));
        if (!result.Succeeded && result.RecoveryCellPopulated is not null)
            return Refused(Refusal.InvalidField("AC-5.4", "recoveryCellPopulated",
                "An interrogation that failed found nothing about the recovery cell: leave recoveryCellPopulated out."));
        return RecordAsync(result.DeviceId, "AC-5.4", device => PostCommissioningRules.IsHubOrMeter(device.Type) && PostCommissioningRules.UnderClause5(device)
            ? null
            : new Refusal(PostCommissioningRules.UnderClause5(device) ? "AC-5.4" : "AC-5.1", "NotInterrogated",
                $"{device.Type} {device.Id} ({(device.Generation == SmetsGeneration.SMETS1 ? "SMETS1" : "SMETS2+")}) is not interrogated under AC 5.4, which concerns SMETS2+ Communications Hub Functions, Gas Proxy Functions and Smart Meters.",
                RefusalKind.Invalid, "deviceId"), (_, f, now) => (result.By, result.Succeeded) switch
        {
            (Interrogator.Dcc, true) => f with { DccInterrogationSucceededAt = now, RecoveryCellPopulated = result.RecoveryCellPopulated },
            (Interrogator.Dcc, false) => f with { DccInterrogationFailedAt = now },
            (Interrogator.Supplier, true) => f with { SupplierInterrogationSucceededAt = now },
            _ => f,
        }, ct);
    }

    /// <summary>AC 5.2(a) / 5.3(b): the Device re-generated its keys and stores the new Device Certificates, which become its current ones (5.18).</summary>
    public Task<Outcome<CredentialFacts>> KeysRegeneratedAsync(KeyRegeneration evt, CancellationToken ct)
    {
        if (CertificatesInvalid(evt.Certificates, "AC-5.5") is { } invalid)
            return Refused(invalid);
        return RecordAsync(evt.DeviceId, "AC-5.5", null,
            (d, f, now) => f with { KeysRegeneratedAt = PostCommissioningRules.FirstSinceCommissioning(f.KeysRegeneratedAt, d.CommissionedAt, now) }, ct,
            (s, now, ct) => s.RecordDeviceCertificatesAsync(evt.DeviceId, evt.Certificates, now, ct));
    }

    /// <summary>AC 5.2(b) / 5.3(c): Organisation Certificate information in the Device's credentials was replaced.</summary>
    public Task<Outcome<CredentialFacts>> OrganisationCertificateReplacedAsync(OrganisationCertificateReplacement evt, CancellationToken ct) =>
        RecordAsync(evt.DeviceId, "AC-5.5", null,
            (d, f, now) => f with { OrganisationCertificateReplacedAt = PostCommissioningRules.FirstSinceCommissioning(f.OrganisationCertificateReplacedAt, d.CommissionedAt, now) }, ct);

    /// <summary>AC 5.3(a), 6.2(b): whose credentials the Device holds for the Network Party.</summary>
    public Task<Outcome<CredentialFacts>> NetworkPartyCredentialsAsync(CredentialsHeld held, CancellationToken ct) =>
        RecordAsync(held.DeviceId, "AC-5.3(a)", null,
            (_, f, now) => f.NetworkParty == held.Party ? f : f with { NetworkParty = held.Party, NetworkPartyAt = now }, ct);

    /// <summary>AC 6.2(a): whose credentials the Device holds for the Responsible Supplier.</summary>
    public Task<Outcome<CredentialFacts>> SupplierCredentialsAsync(CredentialsHeld held, CancellationToken ct) =>
        RecordAsync(held.DeviceId, "AC-6.2(a)", null,
            (_, f, now) => f.SupplierParty == held.Party ? f : f with { SupplierParty = held.Party, SupplierPartyAt = now }, ct);

    /// <summary>
    /// AC 5.18: a Response to a Command that replaces Device Certificates. Successfully Executed, the certificates it carries
    /// become the Device's current ones; otherwise the record stays as it was.
    /// </summary>
    public Task<Outcome<IReadOnlyList<RecordedDeviceCertificate>>> DeviceCertificatesRespondedAsync(DeviceCertificateResponse response, CancellationToken ct)
    {
        if (response.SuccessfullyExecuted && CertificatesInvalid(response.Certificates, "AC-5.18") is { } invalid)
            return Task.FromResult<Outcome<IReadOnlyList<RecordedDeviceCertificate>>>(invalid);
        return _store.WriteAsync<IReadOnlyList<RecordedDeviceCertificate>>(async (s, ct) =>
        {
            if (HoldsCredentials(response.DeviceId, await s.GetDeviceAsync(response.DeviceId, ct), "AC-5.18") is { } refusal)
                return refusal;
            // A certificate that is already the current one of its use stays as it was recorded: reading it again (6.24) replaces nothing.
            var current = (await s.DeviceCertificatesAsync(response.DeviceId, ct)).Where(c => c.Current).Select(c => c.Certificate).ToHashSet();
            var changed = response.Certificates.Where(c => !current.Contains(c)).ToList();
            if (response.SuccessfullyExecuted && changed.Count > 0)
                await s.RecordDeviceCertificatesAsync(response.DeviceId, changed, _clock.UtcNow, ct);
            return Outcome<IReadOnlyList<RecordedDeviceCertificate>>.Success(await s.DeviceCertificatesAsync(response.DeviceId, ct));
        }, ct);
    }

    // ---- AC 5.14: the guard on Supplier Parties' Service Requests ------------------------------------------------

    /// <summary>
    /// AC 5.14: may this Service Request, which asks the DCC to send a communication to the Device, go ahead? The DUIS
    /// endpoint and the SM WAN gateway call it for every device Service Request, beside the AC 2.7 guard.
    /// </summary>
    public async Task<Outcome<ServiceRequestClearance>> ClearServiceRequestAsync(DeviceServiceRequest request, CancellationToken ct)
    {
        if (!CredentialServices.IsWellFormed(request.ServiceReferenceVariant))
            return Refusal.InvalidField("AC-5.14", "serviceReferenceVariant",
                $"'{request.ServiceReferenceVariant}' is not a Service Reference Variant: give the DUIS number, e.g. {CredentialServices.IssueSecurityCredentials} or {CredentialServices.UpdateSecurityCredentialsCos}.");
        return await _store.ReadAsync<Outcome<ServiceRequestClearance>>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(request.DeviceId, ct);
            if (LifecycleRules.MayCommunicate(request.DeviceId, device, CommunicationPurpose.Operational) is { } notListed)
                return notListed;
            var facts = await s.GetCredentialFactsAsync(device!.Id, ct) ?? CredentialFacts.None(device.Id);
            return PostCommissioningRules.Clear(request, device, PostCommissioningRules.Restriction(device, facts, _clock.UtcNow, _options.ServiceRelease13));
        }, ct);
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    /// <summary>A Device's post-commissioning status now: its facts, steps, 5.7 reasons, 5.14 restriction, 5.18 certificates and its PCI entry.</summary>
    public async Task<Outcome<PostCommissioningStatus>> StatusAsync(DeviceId id, CancellationToken ct) =>
        await _store.ReadAsync<Outcome<PostCommissioningStatus>>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(id, ct);
            if (device is null)
                return Refusal.NotInSmi("AC-2.1", id);
            var now = _clock.UtcNow;
            var facts = await s.GetCredentialFactsAsync(id, ct) ?? CredentialFacts.None(id);
            var networkParties = await NetworkPartiesAsync(s, device, await s.NetworkOperatorsAsync(ct), ct);
            var commissioned = PostCommissioningRules.IsCommissioned(device, out var c);
            var hubOrMeter = commissioned && PostCommissioningRules.UnderClause5(device) && PostCommissioningRules.IsHubOrMeter(device.Type);
            return new PostCommissioningStatus(
                device, facts, now,
                hubOrMeter ? PostCommissioningRules.Reasons(device, facts, now, _options.ServiceRelease13) : PostCommissioningReasons.None,
                PostCommissioningRules.Entry(device, facts, now, _options.ServiceRelease13) is not null,
                await s.GetPostCommissioningEntryAsync(id, ct),
                PostCommissioningRules.Steps(device, facts, networkParties, now),
                hubOrMeter
                    ? new InterrogationStatus(PostCommissioningRules.InterrogationDueBy(c, _options.ServiceRelease13), facts.DccInterrogationSucceededAt,
                        facts.DccInterrogationFailedAt, facts.RecoveryCellPopulated, facts.SupplierInterrogationSucceededAt)
                    : null,
                PostCommissioningRules.Restriction(device, facts, now, _options.ServiceRelease13),
                await s.DeviceCertificatesAsync(id, ct));
        }, ct);

    /// <summary>The Post Commissioning Information as last updated (AC 5.6), and the SMETS1 Devices whose records do not show AC 6.2 met.</summary>
    public Task<PostCommissioningInformation> InformationAsync(CancellationToken ct) =>
        _store.ReadAsync(async (s, ct) =>
        {
            var now = _clock.UtcNow;
            var operators = await s.NetworkOperatorsAsync(ct);
            var failing = new List<Smets1CredentialCheck>();
            var smets1 = await s.CommissionedDevicesAsync(Enum.GetValues<DeviceType>().Where(t => !t.IsType2()).ToList(), SmetsGeneration.SMETS1,
                now - PostCommissioningRules.SevenDays, ct);
            foreach (var (device, facts) in smets1)
                if (PostCommissioningRules.Smets1Check(device, facts, await NetworkPartiesAsync(s, device, operators, ct), now) is { Failing: true } check)
                    failing.Add(check);
            return new PostCommissioningInformation(await s.LastPostCommissioningUpdateAsync(ct), await s.PostCommissioningInformationAsync(ct), now, failing);
        }, ct);

    /// <summary>The AC 5.13 Incidents the DCC has raised, oldest first; for one Device if given.</summary>
    public Task<IReadOnlyList<Notification>> IncidentsAsync(DeviceId? device, CancellationToken ct) =>
        _store.ReadAsync((s, ct) => s.IncidentsAsync(device, ct), ct);

    /// <summary>
    /// The Electricity Distributors and Gas Transporters whose credentials AC 5.3(a) / 6.2(b) require on the Device: those of
    /// the MPxNs of the Smart Meter itself; of the Gas Smart Meters a GPF is joined with; of the Smart Meters in a CHF's
    /// Device Log; or of the Smart Meters a Type 1 Device is joined to. Empty where no operator is registered for them.
    /// </summary>
    internal static async Task<IReadOnlySet<PartyId>> NetworkPartiesAsync(ISmiSession s, Device d, IReadOnlyList<NetworkOperator> operators, CancellationToken ct)
    {
        var meters = new List<Device>();
        if (d.Type.IsSmartMeter())
            meters.Add(d);
        else if (d.Type == DeviceType.CHF)
            meters.AddRange((await s.GetDevicesByChfAsync(d.Id, ct)).Where(m => m.Type.IsSmartMeter()));
        else
        {
            foreach (var target in d.JoinedTo)
                if (await s.GetDeviceAsync(target, ct) is { } m && m.Type.IsSmartMeter())
                    meters.Add(m);
            if (d.Type == DeviceType.GPF)
                meters.AddRange((await s.GetDevicesJoinedToAsync(d.Id, ct)).Where(m => m.Type == DeviceType.GSME));
        }
        if (d.Type == DeviceType.GPF)
            meters.RemoveAll(m => m.Type != DeviceType.GSME);
        return meters.SelectMany(m => m.Mpxns.Select(x => NotificationRules.NetworkOperatorFor(x, m.Type.IsGas(), operators).Party))
            .OfType<PartyId>().ToHashSet();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static Task<Outcome<CredentialFacts>> Refused(Refusal refusal) => Task.FromResult<Outcome<CredentialFacts>>(refusal);

    /// <summary>Records a fact about a listed Device that holds credentials (not Type 2) in one transaction.</summary>
    private Task<Outcome<CredentialFacts>> RecordAsync(DeviceId id, string clause, Func<Device, Refusal?>? check,
        Func<Device, CredentialFacts, DateTimeOffset, CredentialFacts> apply, CancellationToken ct,
        Func<ISmiSession, DateTimeOffset, CancellationToken, Task>? alsoAsync = null) =>
        _store.WriteAsync<CredentialFacts>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(id, ct);
            if (HoldsCredentials(id, device, clause) is { } refusal)
                return refusal;
            if (check?.Invoke(device!) is { } refused)
                return refused;
            var now = _clock.UtcNow;
            var after = apply(device!, await s.GetCredentialFactsAsync(id, ct) ?? CredentialFacts.None(id), now) with { UpdatedAt = now };
            await s.PutCredentialFactsAsync(after, ct);
            if (alsoAsync is not null)
                await alsoAsync(s, now, ct);
            return after;
        }, ct);

    private static Refusal? HoldsCredentials(DeviceId id, Device? device, string clause)
    {
        if (device is null)
            return Refusal.NotInSmi(clause, id) with { Field = "deviceId" };
        if (device.IsType2)
            return new Refusal(clause, "Type2HoldsNoCredentials",
                $"Device {id} is a {device.Type}, a Type 2 Device: it stores no Security Credentials, so it has none to re-generate, replace or interrogate.",
                RefusalKind.Invalid, "deviceId");
        return null;
    }

    private static Refusal? CertificatesInvalid(IReadOnlyList<DeviceCertificate> certificates, string clause)
    {
        if (certificates.Count == 0)
            return Refusal.InvalidField(clause, "certificates", "certificates is empty: give the Device Certificates the Device now holds (use, serialNumber, issuer).");
        for (var i = 0; i < certificates.Count; i++)
        {
            var c = certificates[i];
            if (string.IsNullOrWhiteSpace(c.SerialNumber) || !c.SerialNumber.All(char.IsAsciiHexDigit) || c.SerialNumber.Length > 40)
                return Refusal.InvalidField(clause, $"certificates[{i}].serialNumber", $"certificates[{i}].serialNumber '{c.SerialNumber}' is not a certificate serial number: give 1 to 40 hexadecimal digits.");
            if (string.IsNullOrWhiteSpace(c.Issuer))
                return Refusal.InvalidField(clause, $"certificates[{i}].issuer", $"certificates[{i}].issuer is missing: give the issuing CA's name, e.g. CN=Z1,OU=07.");
        }
        if (certificates.GroupBy(c => c.Use).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return Refusal.InvalidField(clause, "certificates", $"certificates names two {twice.Key} certificates; a Device holds one Device Certificate of each use.");
        return null;
    }
}
