using SecDcc.Steps.Support;

namespace SecDcc.Steps.PostCommissioning;

// The suite's own picture of the post-commissioning interfaces (Appendix AC 5–6): what Devices' Responses tell the DCC,
// and what the DCC shows and reports. Deliberately not the reference DCC's types (decision 0700).

public sealed record PcStepRecord(string Clause, string Step, string State, DateTimeOffset? DoneAt, DateTimeOffset DueBy);

public sealed record PcEntryRecord(string DeviceId, string DeviceType, DateTimeOffset CommissionedAt, IReadOnlyList<string> Reasons,
    IReadOnlyList<string>? ResponsibleSuppliers, string? CommissioningSupplier, DateTimeOffset UpdatedAt);

public sealed record PcRestrictionRecord(bool Applies, string? Clause, string Explanation);

public sealed record PcCertificateRecord(string Use, string SerialNumber, string Issuer, bool Current);

/// <summary>What the DCC holds and concludes about one Device after its Commissioning.</summary>
public sealed record PcStatusRecord(string DeviceId, string DeviceType, DateTimeOffset? CommissionedAt, string? CommissioningSupplier, IReadOnlyList<string> Reasons,
    PcEntryRecord? Listed, IReadOnlyList<PcStepRecord> Steps, PcRestrictionRecord? Restriction, IReadOnlyList<PcCertificateRecord> Certificates);

public sealed record PcSmets1Record(string DeviceId, string DeviceType, IReadOnlyList<PcStepRecord> Steps);

public sealed record PcSmets1List(IReadOnlyList<PcSmets1Record> FailingAc62);

/// <summary>The Post Commissioning Information as last updated, and the SMETS1 Devices not shown to meet AC 6.2.</summary>
public sealed record PcInformationRecord(string? Marking, DateTimeOffset? UpdatedAt, IReadOnlyList<PcEntryRecord> Devices, PcSmets1List Smets1);

public sealed record PcCountsRecord(int Total, int Added, int Removed, int StillListedFromPreviousMonth, int StillListedFromPreviousThreeMonths, int StillListedFromPreviousSixMonths);

public sealed record PcTypeCountsRecord(string DeviceType, PcCountsRecord Counts);

public sealed record PcSupplierCountsRecord(string ResponsibleSupplier, IReadOnlyList<PcTypeCountsRecord> DeviceTypes);

public sealed record PcMonthlyRecord(string? Marking, string Month, IReadOnlyList<PcSupplierCountsRecord> ResponsibleSuppliers, PcCountsRecord CommunicationsHubFunctions);

public sealed record PcDailyRowRecord(string DeviceId, string DeviceType, DateTimeOffset UpdatedAt, DateTimeOffset CommissionedAt, IReadOnlyList<string> Reasons, string? CommissioningSupplier);

public sealed record PcDailyRecord(string? Marking, DateOnly Date, string Supplier, IReadOnlyList<PcDailyRowRecord> Devices);

public sealed record PcClearanceRecord(bool MayBeSent, bool Restricted, string? Exception, string Explanation);

/// <summary>
/// Appendix AC 5–6 over the reference DCC's JSON API: the facts Devices' Responses show (test-mode
/// /inventory/events/*; with SECDCC_DEVICES=rig some come from the emulated devices' Responses over the SM WAN instead), the AC 5.14 guard, Device status, the
/// Post Commissioning Information, the AC 5.9–5.11 reports and the AC 5.13 Incidents.
/// </summary>
public sealed class PostCommissioningDcc(SmiWorld world)
{
    private readonly DccHttp _http = new(world.Run.Http, world.Run.Target, world.Context);

    // ---- the devices' side: what their Responses show ----------------------------------------------------------

    public Task<DccReply<Done>> CredentialsResponseAsync(string deviceId, string serviceReferenceVariant, bool successfullyExecuted) =>
        Event("credentials-response", new { deviceId, serviceReferenceVariant, successfullyExecuted });

    public Task<DccReply<Done>> RecoveryInterrogationAsync(string deviceId, string interrogatedBy, bool succeeded, bool? recoveryCellPopulated) =>
        Event("recovery-interrogation", new { deviceId, interrogatedBy, succeeded, recoveryCellPopulated });

    public Task<DccReply<Done>> KeysRegeneratedAsync(string deviceId, IReadOnlyList<object> certificates) =>
        Event("keys-regenerated", new { deviceId, certificates });

    public Task<DccReply<Done>> OrganisationCertificateReplacedAsync(string deviceId) => Event("organisation-certificate-replaced", new { deviceId });

    public Task<DccReply<Done>> NetworkPartyCredentialsAsync(string deviceId, string party) => Event("network-party-credentials", new { deviceId, party });

    public Task<DccReply<Done>> SupplierCredentialsAsync(string deviceId, string party) => Event("supplier-credentials", new { deviceId, party });

    public Task<DccReply<Done>> DeviceCertificatesAsync(string deviceId, bool successfullyExecuted, IReadOnlyList<object> certificates) =>
        Event("device-certificates", new { deviceId, successfullyExecuted, certificates });

    private Task<DccReply<Done>> Event(string name, object body) => _http.SendJsonAsync<Done>(HttpMethod.Post, $"inventory/events/{name}", body, world.Ct);

    // ---- what Users send and read --------------------------------------------------------------------------------

    /// <summary>AC 5.14: a Supplier Party's Service Request that asks the DCC to send a communication to a Device.</summary>
    public Task<DccReply<PcClearanceRecord>> SendServiceRequestAsync(Actor actor, string deviceId, string serviceReferenceVariant, string? purpose) =>
        _http.SendJsonAsync<PcClearanceRecord>(HttpMethod.Post, "post-commissioning/service-requests",
            new { actor = new { party = actor.Party, role = actor.Role.ToString() }, deviceId, serviceReferenceVariant, purpose }, world.Ct);

    public async Task<PcStatusRecord> StatusAsync(string deviceId) =>
        JsonDccClient.Require(await _http.SendJsonAsync<PcStatusRecord>(HttpMethod.Get, $"post-commissioning/devices/{deviceId}", null, world.Ct));

    public async Task<IReadOnlyList<NoticeRecord>> IncidentsAsync(string deviceId) =>
        JsonDccClient.Require(await _http.SendJsonAsync<List<NoticeRecord>>(HttpMethod.Get, $"post-commissioning/incidents?deviceId={deviceId}", null, world.Ct));

    public Task<DccReply<PcInformationRecord>> InformationAsync() => Report<PcInformationRecord>(InformationPath);

    public Task<DccReply<PcMonthlyRecord>> MonthlyAsync(string month) => Report<PcMonthlyRecord>(MonthlyPath(month));

    public Task<DccReply<PcDailyRecord>> DailyAsync(string supplier, DateOnly date, bool includeCommissioningSupplier) =>
        Report<PcDailyRecord>(DailyPath(supplier, date, includeCommissioningSupplier));

    public const string InformationPath = "reports/post-commissioning";
    public static string MonthlyPath(string month) => $"reports/monthly?month={month}";
    public static string DailyPath(string supplier, DateOnly date, bool includeCommissioningSupplier) =>
        $"reports/daily?supplier={supplier}&date={date:yyyy-MM-dd}&includeCommissioningSupplier={(includeCommissioningSupplier ? "true" : "false")}";

    private Task<DccReply<T>> Report<T>(string path) => _http.SendJsonAsync<T>(HttpMethod.Get, path, null, world.Ct);

    /// <summary>
    /// The AC 5.12 marking header the DCC's answer for a report carries. DccHttp keeps the body and not the headers, so the
    /// steps that judge the marking ask for the report once more, directly.
    /// </summary>
    public async Task<string?> MarkingHeaderAsync(string path)
    {
        using var response = await world.Run.Http.GetAsync(path, world.Ct);
        return response.Headers.TryGetValues("Report-Marking", out var values) ? string.Join(",", values) : null;
    }
}
