using System.Data.Common;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.PostCommissioning;

namespace SecDcc.Dcc.Persistence;

// The store's part of the post-commissioning work (migration 4): credential facts, the AC 5.18 certificate record, the Post
// Commissioning Information, its daily updates and the per-day snapshots the AC 5.9 and 5.10 reports are compiled from.

public partial interface ISmiSession
{
    Task<CredentialFacts?> GetCredentialFactsAsync(DeviceId id, CancellationToken ct);
    Task PutCredentialFactsAsync(CredentialFacts facts, CancellationToken ct);

    /// <summary>Every Device Certificate recorded for the Device, current ones first, then newest first.</summary>
    Task<IReadOnlyList<RecordedDeviceCertificate>> DeviceCertificatesAsync(DeviceId id, CancellationToken ct);

    /// <summary>Records <paramref name="certificates"/> as current; the current certificate of the same use becomes superseded.</summary>
    Task RecordDeviceCertificatesAsync(DeviceId id, IReadOnlyList<DeviceCertificate> certificates, DateTimeOffset at, CancellationToken ct);

    /// <summary>'commissioned' Devices of the types and generation, Commissioned at or before <paramref name="commissionedBy"/>, with their facts.</summary>
    Task<IReadOnlyList<(Device Device, CredentialFacts Facts)>> CommissionedDevicesAsync(IReadOnlyCollection<DeviceType> types, SmetsGeneration generation,
        DateTimeOffset commissionedBy, CancellationToken ct);

    /// <summary>
    /// 'commissioned' SMETS2+ CHFs whose AC 5.13 checks may be due: Commissioned at or before <paramref name="weekAgo"/> and not yet
    /// settled for that Commissioning, or found by a successful interrogation without DCC Recovery credentials and not yet reported.
    /// </summary>
    Task<IReadOnlyList<(Device Device, CredentialFacts Facts)>> ChfIncidentCandidatesAsync(DateTimeOffset weekAgo, CancellationToken ct);

    /// <summary>Replaces the Post Commissioning Information with <paramref name="entries"/> and records the update (AC 5.6).</summary>
    Task ReplacePostCommissioningInformationAsync(IReadOnlyList<PostCommissioningEntry> entries, DateTimeOffset at, CancellationToken ct);
    Task<IReadOnlyList<PostCommissioningEntry>> PostCommissioningInformationAsync(CancellationToken ct);
    Task<PostCommissioningEntry?> GetPostCommissioningEntryAsync(DeviceId id, CancellationToken ct);
    Task<DateTimeOffset?> LastPostCommissioningUpdateAsync(CancellationToken ct);

    /// <summary>Records the Post Commissioning Information as it stands as the information prevailing at the end of <paramref name="day"/>.</summary>
    Task CompileDayAsync(DateOnly day, DateTimeOffset at, CancellationToken ct);
    Task<DateOnly?> LastCompiledDayAsync(CancellationToken ct);
    Task<DateTimeOffset?> DayCompiledAtAsync(DateOnly day, CancellationToken ct);
    Task<IReadOnlyList<PostCommissioningEntry>> SnapshotAsync(DateOnly day, CancellationToken ct);
    Task<IReadOnlyList<DateOnly>> CompiledDaysBeforeAsync(DateOnly cutoff, CancellationToken ct);
    Task DeleteCompiledDayAsync(DateOnly day, CancellationToken ct);

    /// <summary>The AC 5.13 Incidents in the outbox, oldest first; for one Device if given.</summary>
    Task<IReadOnlyList<Notification>> IncidentsAsync(DeviceId? device, CancellationToken ct);
}

internal sealed partial class SqlSession
{
    private const string FactColumns =
        "device_id, issue_security_credentials, update_security_credentials_device, update_security_credentials_krp, keys_regenerated_at, " +
        "organisation_certificate_replaced_at, dcc_interrogation_failed_at, dcc_interrogation_succeeded_at, recovery_cell_populated, " +
        "supplier_interrogation_succeeded_at, network_party, network_party_at, supplier_party, supplier_party_at, chf_week_checked_at, " +
        "incident_steps_at, incident_interrogation_at, incident_recovery_cell_at, updated_at";

    private const string EntryColumns = "device_id, device_type, commissioned_at, reasons, responsible_suppliers, commissioning_supplier, updated_at";

    private static long? Ms(DateTimeOffset? t) => t is { } v ? SqlSmiStore.Ms(v) : null;
    private static long? Db(PartyId? p) => p is { } v ? SqlSmiStore.Db(v) : null;
    private static DateTimeOffset? OptionalTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : SqlSmiStore.FromMs(r.GetInt64(i));
    private static PartyId? OptionalParty(DbDataReader r, int i) => r.IsDBNull(i) ? null : new PartyId(unchecked((ulong)r.GetInt64(i)));
    private static DeviceId DeviceAt(DbDataReader r, int i) => new(unchecked((ulong)r.GetInt64(i)));
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static CredentialFacts ReadFacts(DbDataReader r, int o) => new()
    {
        DeviceId = DeviceAt(r, o),
        IssueSecurityCredentials = Convert.ToInt32(r.GetValue(o + 1)),
        UpdateSecurityCredentialsDevice = Convert.ToInt32(r.GetValue(o + 2)),
        UpdateSecurityCredentialsKrp = Convert.ToInt32(r.GetValue(o + 3)),
        KeysRegeneratedAt = OptionalTime(r, o + 4),
        OrganisationCertificateReplacedAt = OptionalTime(r, o + 5),
        DccInterrogationFailedAt = OptionalTime(r, o + 6),
        DccInterrogationSucceededAt = OptionalTime(r, o + 7),
        RecoveryCellPopulated = r.IsDBNull(o + 8) ? null : Convert.ToInt32(r.GetValue(o + 8)) != 0,
        SupplierInterrogationSucceededAt = OptionalTime(r, o + 9),
        NetworkParty = OptionalParty(r, o + 10),
        NetworkPartyAt = OptionalTime(r, o + 11),
        SupplierParty = OptionalParty(r, o + 12),
        SupplierPartyAt = OptionalTime(r, o + 13),
        ChfWeekCheckedAt = OptionalTime(r, o + 14),
        IncidentStepsAt = OptionalTime(r, o + 15),
        IncidentInterrogationAt = OptionalTime(r, o + 16),
        IncidentRecoveryCellAt = OptionalTime(r, o + 17),
        UpdatedAt = SqlSmiStore.FromMs(r.GetInt64(o + 18)),
    };

    public async Task<CredentialFacts?> GetCredentialFactsAsync(DeviceId id, CancellationToken ct)
    {
        await using var cmd = Cmd($"SELECT {FactColumns} FROM credential_facts WHERE device_id = @d", ("@d", SqlSmiStore.Db(id)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadFacts(r, 0) : null;
    }

    public async Task PutCredentialFactsAsync(CredentialFacts f, CancellationToken ct)
    {
        var columns = FactColumns.Split(", ");
        var names = columns.Select((_, i) => $"@f{i}").ToArray();
        var updates = string.Join(", ", columns.Skip(1).Select(c => $"{c} = excluded.{c}"));
        object?[] values =
        [
            SqlSmiStore.Db(f.DeviceId), f.IssueSecurityCredentials, f.UpdateSecurityCredentialsDevice, f.UpdateSecurityCredentialsKrp,
            Ms(f.KeysRegeneratedAt), Ms(f.OrganisationCertificateReplacedAt), Ms(f.DccInterrogationFailedAt), Ms(f.DccInterrogationSucceededAt),
            f.RecoveryCellPopulated is { } populated ? (populated ? 1 : 0) : null, Ms(f.SupplierInterrogationSucceededAt),
            Db(f.NetworkParty), Ms(f.NetworkPartyAt), Db(f.SupplierParty), Ms(f.SupplierPartyAt), Ms(f.ChfWeekCheckedAt),
            Ms(f.IncidentStepsAt), Ms(f.IncidentInterrogationAt), Ms(f.IncidentRecoveryCellAt), SqlSmiStore.Ms(f.UpdatedAt),
        ];
        await using var cmd = Cmd($"INSERT INTO credential_facts ({FactColumns}) VALUES ({string.Join(", ", names)}) ON CONFLICT (device_id) DO UPDATE SET {updates}",
            names.Select((n, i) => (n, values[i])).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<RecordedDeviceCertificate>> DeviceCertificatesAsync(DeviceId id, CancellationToken ct)
    {
        var list = new List<RecordedDeviceCertificate>();
        await using var cmd = Cmd(
            "SELECT certificate_use, serial_number, issuer, recorded_at, superseded_at FROM device_certificates WHERE device_id = @d " +
            "ORDER BY CASE WHEN superseded_at IS NULL THEN 0 ELSE 1 END, recorded_at DESC, id DESC", ("@d", SqlSmiStore.Db(id)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new RecordedDeviceCertificate(new DeviceCertificate(Enum.Parse<DeviceCertificateUse>(r.GetString(0)), r.GetString(1), r.GetString(2)),
                SqlSmiStore.FromMs(r.GetInt64(3)), OptionalTime(r, 4)));
        return list;
    }

    public async Task RecordDeviceCertificatesAsync(DeviceId id, IReadOnlyList<DeviceCertificate> certificates, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var c in certificates)
        {
            await using (var supersede = Cmd("UPDATE device_certificates SET superseded_at = @at WHERE device_id = @d AND certificate_use = @u AND superseded_at IS NULL",
                             ("@at", SqlSmiStore.Ms(at)), ("@d", SqlSmiStore.Db(id)), ("@u", c.Use.ToString())))
                await supersede.ExecuteNonQueryAsync(ct);
            await using var insert = Cmd("INSERT INTO device_certificates (device_id, certificate_use, serial_number, issuer, recorded_at, superseded_at) VALUES (@d, @u, @s, @i, @at, NULL)",
                ("@d", SqlSmiStore.Db(id)), ("@u", c.Use.ToString()), ("@s", c.SerialNumber), ("@i", c.Issuer), ("@at", SqlSmiStore.Ms(at)));
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<IReadOnlyList<(Device Device, CredentialFacts Facts)>> CommissionedDevicesAsync(IReadOnlyCollection<DeviceType> types, SmetsGeneration generation,
        DateTimeOffset commissionedBy, CancellationToken ct)
    {
        var typeNames = types.Select((_, i) => $"@t{i}").ToArray();
        var parameters = types.Select((t, i) => (typeNames[i], (object?)t.ToString()))
            .Append(("@g", generation.ToString())).Append(("@c", SqlSmiStore.Ms(commissionedBy))).ToArray();
        var where = $"WHERE status = 'Commissioned' AND generation = @g AND commissioned_at <= @c AND device_type IN ({string.Join(", ", typeNames)})";
        var devices = await QueryDevicesAsync(where + " ORDER BY device_id", ct, parameters);
        return await WithFactsAsync(devices, ct);
    }

    public async Task<IReadOnlyList<(Device Device, CredentialFacts Facts)>> ChfIncidentCandidatesAsync(DateTimeOffset weekAgo, CancellationToken ct)
    {
        const string where =
            "WHERE d.device_type = 'CHF' AND d.generation = 'SMETS2Plus' AND d.status = 'Commissioned' AND (" +
            "(d.commissioned_at <= @w AND NOT EXISTS (SELECT 1 FROM credential_facts f WHERE f.device_id = d.device_id AND f.chf_week_checked_at >= d.commissioned_at)) " +
            "OR EXISTS (SELECT 1 FROM credential_facts f WHERE f.device_id = d.device_id AND f.dcc_interrogation_succeeded_at >= d.commissioned_at " +
            "AND f.recovery_cell_populated = 0 AND (f.incident_recovery_cell_at IS NULL OR f.incident_recovery_cell_at < d.commissioned_at))) ORDER BY d.device_id";
        return await WithFactsAsync(await QueryDevicesAsync(where, ct, ("@w", SqlSmiStore.Ms(weekAgo))), ct);
    }

    private async Task<IReadOnlyList<(Device, CredentialFacts)>> WithFactsAsync(IReadOnlyList<Device> devices, CancellationToken ct)
    {
        var facts = new Dictionary<DeviceId, CredentialFacts>();
        foreach (var chunk in devices.Select(d => d.Id).Chunk(500))
        {
            var names = chunk.Select((_, i) => $"@k{i}").ToArray();
            await using var cmd = Cmd($"SELECT {FactColumns} FROM credential_facts WHERE device_id IN ({string.Join(",", names)})",
                chunk.Select((id, i) => (names[i], (object?)SqlSmiStore.Db(id))).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var f = ReadFacts(r, 0);
                facts[f.DeviceId] = f;
            }
        }
        return devices.Select(d => (d, facts.GetValueOrDefault(d.Id) ?? CredentialFacts.None(d.Id))).ToList();
    }

    public async Task ReplacePostCommissioningInformationAsync(IReadOnlyList<PostCommissioningEntry> entries, DateTimeOffset at, CancellationToken ct)
    {
        await using (var clear = Cmd("DELETE FROM post_commissioning_information"))
            await clear.ExecuteNonQueryAsync(ct);
        foreach (var e in entries)
        {
            await using var cmd = Cmd($"INSERT INTO post_commissioning_information ({EntryColumns}) VALUES (@d, @t, @c, @r, @rs, @cs, @u)",
                ("@d", SqlSmiStore.Db(e.DeviceId)), ("@t", e.DeviceType.ToString()), ("@c", SqlSmiStore.Ms(e.CommissionedAt)), ("@r", (int)e.Reasons),
                ("@rs", string.Join(",", e.ResponsibleSuppliers)), ("@cs", Db(e.CommissioningSupplier)), ("@u", SqlSmiStore.Ms(e.UpdatedAt)));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using var record = Cmd("INSERT INTO post_commissioning_updates (updated_at, listed) VALUES (@at, @n)", ("@at", SqlSmiStore.Ms(at)), ("@n", entries.Count));
        await record.ExecuteNonQueryAsync(ct);
    }

    private static PostCommissioningEntry ReadEntry(DbDataReader r) => new(
        DeviceAt(r, 0), Enum.Parse<DeviceType>(r.GetString(1)), SqlSmiStore.FromMs(r.GetInt64(2)), (PostCommissioningReasons)Convert.ToInt32(r.GetValue(3)),
        Split(r.GetString(4)).Select(PartyId.Parse).ToList(), OptionalParty(r, 5), SqlSmiStore.FromMs(r.GetInt64(6)));

    private async Task<IReadOnlyList<PostCommissioningEntry>> QueryEntriesAsync(string sql, CancellationToken ct, params (string, object?)[] ps)
    {
        var list = new List<PostCommissioningEntry>();
        await using var cmd = Cmd(sql, ps);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(ReadEntry(r));
        return list;
    }

    public Task<IReadOnlyList<PostCommissioningEntry>> PostCommissioningInformationAsync(CancellationToken ct) =>
        QueryEntriesAsync($"SELECT {EntryColumns} FROM post_commissioning_information ORDER BY device_id", ct);

    public async Task<PostCommissioningEntry?> GetPostCommissioningEntryAsync(DeviceId id, CancellationToken ct) =>
        (await QueryEntriesAsync($"SELECT {EntryColumns} FROM post_commissioning_information WHERE device_id = @d", ct, ("@d", SqlSmiStore.Db(id)))).SingleOrDefault();

    public async Task<DateTimeOffset?> LastPostCommissioningUpdateAsync(CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT MAX(updated_at) FROM post_commissioning_updates");
        return await cmd.ExecuteScalarAsync(ct) is { } v and not DBNull ? SqlSmiStore.FromMs(Convert.ToInt64(v)) : null;
    }

    public async Task CompileDayAsync(DateOnly day, DateTimeOffset at, CancellationToken ct)
    {
        await using (var copy = Cmd(
                         "INSERT INTO post_commissioning_snapshots (day, device_id, device_type, commissioned_at, reasons, responsible_suppliers, commissioning_supplier, updated_at) " +
                         $"SELECT @day, {EntryColumns} FROM post_commissioning_information", ("@day", Day(day))))
            await copy.ExecuteNonQueryAsync(ct);
        await using var mark = Cmd("INSERT INTO post_commissioning_days (day, compiled_at) VALUES (@day, @at)", ("@day", Day(day)), ("@at", SqlSmiStore.Ms(at)));
        await mark.ExecuteNonQueryAsync(ct);
    }

    public async Task<DateOnly?> LastCompiledDayAsync(CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT MAX(day) FROM post_commissioning_days");
        return await cmd.ExecuteScalarAsync(ct) is string day ? Day(day) : null;
    }

    public async Task<DateTimeOffset?> DayCompiledAtAsync(DateOnly day, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT compiled_at FROM post_commissioning_days WHERE day = @day", ("@day", Day(day)));
        return await cmd.ExecuteScalarAsync(ct) is { } v and not DBNull ? SqlSmiStore.FromMs(Convert.ToInt64(v)) : null;
    }

    public Task<IReadOnlyList<PostCommissioningEntry>> SnapshotAsync(DateOnly day, CancellationToken ct) =>
        QueryEntriesAsync($"SELECT {EntryColumns} FROM post_commissioning_snapshots WHERE day = @day ORDER BY device_id", ct, ("@day", Day(day)));

    public async Task<IReadOnlyList<DateOnly>> CompiledDaysBeforeAsync(DateOnly cutoff, CancellationToken ct)
    {
        var list = new List<DateOnly>();
        await using var cmd = Cmd("SELECT day FROM post_commissioning_days WHERE day < @c ORDER BY day", ("@c", Day(cutoff)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(Day(r.GetString(0)));
        return list;
    }

    public async Task DeleteCompiledDayAsync(DateOnly day, CancellationToken ct)
    {
        foreach (var sql in new[] { "DELETE FROM post_commissioning_snapshots WHERE day = @day", "DELETE FROM post_commissioning_days WHERE day = @day" })
        {
            await using var cmd = Cmd(sql, ("@day", Day(day)));
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<IReadOnlyList<Notification>> IncidentsAsync(DeviceId? device, CancellationToken ct)
    {
        var list = new List<Notification>();
        var kind = NotificationKind.Incident.ToString();
        await using var cmd = device is { } d
            ? Cmd("SELECT id, created_at, kind, clause, recipient_kind, recipient_party, device_id, message, data FROM notifications WHERE kind = @k AND device_id = @d ORDER BY id",
                ("@k", kind), ("@d", SqlSmiStore.Db(d)))
            : Cmd("SELECT id, created_at, kind, clause, recipient_kind, recipient_party, device_id, message, data FROM notifications WHERE kind = @k ORDER BY id", ("@k", kind));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(ReadNotification(r));
        return list;
    }
}
