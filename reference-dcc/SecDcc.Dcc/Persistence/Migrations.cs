namespace SecDcc.Dcc.Persistence;

/// <summary>
/// The schema, as numbered migrations applied in order at start-up and recorded in schema_migrations.
/// A released migration is never edited: a change is a new migration at the end of the list.
/// Statements use tokens so one text serves both stores: {BIGINT} (a 64-bit integer column),
/// {ID_PK} (an auto-numbered 64-bit primary key).
/// </summary>
public static class Migrations
{
    public sealed record Migration(int Version, string Name, IReadOnlyList<string> Statements);

    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "smart metering inventory",
        [
            """
            CREATE TABLE devices (
                device_id {DEVICE_PK},
                device_type TEXT NOT NULL,
                generation TEXT NOT NULL,
                manufacturer TEXT NOT NULL,
                model TEXT NOT NULL,
                hardware_version TEXT NOT NULL,
                firmware_version TEXT NOT NULL,
                status TEXT NULL,
                status_before_suspension TEXT NULL,
                pending_since {BIGINT} NULL,
                chf_id {BIGINT} NULL,
                mpxns TEXT NOT NULL,
                responsible_suppliers TEXT NOT NULL,
                lead_supplier {BIGINT} NULL,
                added_at {BIGINT} NOT NULL,
                updated_at {BIGINT} NOT NULL
            )
            """,
            "CREATE INDEX ix_devices_chf ON devices (chf_id)",
            """
            CREATE TABLE joins (
                device_id {BIGINT} NOT NULL,
                target_id {BIGINT} NOT NULL,
                PRIMARY KEY (device_id, target_id)
            )
            """,
            "CREATE INDEX ix_joins_target ON joins (target_id)",
            """
            CREATE TABLE pending_commands (
                kind TEXT NOT NULL,
                device_id {BIGINT} NOT NULL,
                target_id {BIGINT} NOT NULL,
                requester {BIGINT} NOT NULL,
                requester_role TEXT NOT NULL,
                created_at {BIGINT} NOT NULL,
                PRIMARY KEY (kind, device_id, target_id)
            )
            """,
            """
            CREATE TABLE service_desk_information (
                device_id {BIGINT} PRIMARY KEY,
                provided_by {BIGINT} NOT NULL,
                provided_by_role TEXT NOT NULL,
                information TEXT NOT NULL,
                provided_at {BIGINT} NOT NULL
            )
            """,
            """
            CREATE TABLE smets1_declarations (
                supplier {BIGINT} NOT NULL,
                model_key TEXT NOT NULL,
                manufacturer TEXT NOT NULL,
                model TEXT NOT NULL,
                hardware_version TEXT NOT NULL,
                firmware_version TEXT NOT NULL,
                supplier_legal_name TEXT NOT NULL,
                signed_by TEXT NOT NULL,
                declared_at {BIGINT} NOT NULL,
                PRIMARY KEY (supplier, model_key)
            )
            """,
            """
            CREATE TABLE panel_directions (
                device_id {BIGINT} PRIMARY KEY,
                dispute_reference TEXT NOT NULL,
                directed_at {BIGINT} NOT NULL
            )
            """,
            """
            CREATE TABLE network_operators (
                gas INTEGER NOT NULL,
                prefix TEXT NOT NULL,
                party {BIGINT} NOT NULL,
                PRIMARY KEY (gas, prefix)
            )
            """,
            """
            CREATE TABLE notifications (
                id {ID_PK},
                created_at {BIGINT} NOT NULL,
                kind TEXT NOT NULL,
                clause TEXT NOT NULL,
                recipient_kind TEXT NOT NULL,
                recipient_party {BIGINT} NULL,
                device_id {BIGINT} NULL,
                message TEXT NOT NULL,
                data TEXT NOT NULL
            )
            """,
            "CREATE INDEX ix_notifications_recipient ON notifications (recipient_party, id)",
        ]),
        new(2, "products lists",
        [
            """
            CREATE TABLE cpl_documents (
                sequence {BIGINT} PRIMARY KEY,
                issued_at {BIGINT} NOT NULL,
                received_at {BIGINT} NOT NULL,
                smi_updated_at {BIGINT} NULL,
                entry_count INTEGER NOT NULL,
                payload TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE cpl_entries (
                manufacturer TEXT NOT NULL,
                model TEXT NOT NULL,
                hardware_version TEXT NOT NULL,
                firmware_version TEXT NOT NULL,
                entry TEXT NOT NULL,
                PRIMARY KEY (manufacturer, model, hardware_version, firmware_version)
            )
            """,
            """
            CREATE TABLE cpa_notices (
                model_key TEXT NOT NULL,
                months INTEGER NOT NULL,
                sent_at {BIGINT} NOT NULL,
                PRIMARY KEY (model_key, months)
            )
            """,
            """
            CREATE TABLE product_combinations (
                combination_key TEXT PRIMARY KEY,
                list TEXT NOT NULL,
                models TEXT NOT NULL,
                added_at {BIGINT} NOT NULL,
                requester {BIGINT} NULL
            )
            """,
        ]),
        new(3, "index for the 12-month pending expiry (AC 8.2)",
        [
            "CREATE INDEX ix_devices_pending ON devices (status, pending_since)",
        ]),
        new(4, "post-commissioning facts, Post Commissioning Information and its reports (AC 5.2-5.18, 6.2)",
        [
            "ALTER TABLE devices ADD COLUMN commissioned_at {BIGINT} NULL",
            "ALTER TABLE devices ADD COLUMN commissioned_by {BIGINT} NULL",
            // The earlier schema kept no commissioning date. A Device's last change is the nearest it holds and is never
            // earlier than the real date, so no Device enters the Post Commissioning Information before its 7 days are up.
            "UPDATE devices SET commissioned_at = updated_at WHERE status = 'Commissioned' OR (status = 'Suspended' AND status_before_suspension = 'Commissioned')",
            "CREATE INDEX ix_devices_commissioned ON devices (status, commissioned_at)",
            """
            CREATE TABLE credential_facts (
                device_id {BIGINT} PRIMARY KEY,
                issue_security_credentials INTEGER NOT NULL,
                update_security_credentials_device INTEGER NOT NULL,
                update_security_credentials_krp INTEGER NOT NULL,
                keys_regenerated_at {BIGINT} NULL,
                organisation_certificate_replaced_at {BIGINT} NULL,
                dcc_interrogation_failed_at {BIGINT} NULL,
                dcc_interrogation_succeeded_at {BIGINT} NULL,
                recovery_cell_populated INTEGER NULL,
                supplier_interrogation_succeeded_at {BIGINT} NULL,
                network_party {BIGINT} NULL,
                network_party_at {BIGINT} NULL,
                supplier_party {BIGINT} NULL,
                supplier_party_at {BIGINT} NULL,
                chf_week_checked_at {BIGINT} NULL,
                incident_steps_at {BIGINT} NULL,
                incident_interrogation_at {BIGINT} NULL,
                incident_recovery_cell_at {BIGINT} NULL,
                updated_at {BIGINT} NOT NULL
            )
            """,
            """
            CREATE TABLE device_certificates (
                id {ID_PK},
                device_id {BIGINT} NOT NULL,
                certificate_use TEXT NOT NULL,
                serial_number TEXT NOT NULL,
                issuer TEXT NOT NULL,
                recorded_at {BIGINT} NOT NULL,
                superseded_at {BIGINT} NULL
            )
            """,
            "CREATE INDEX ix_device_certificates_device ON device_certificates (device_id, certificate_use)",
            """
            CREATE TABLE post_commissioning_information (
                device_id {BIGINT} PRIMARY KEY,
                device_type TEXT NOT NULL,
                commissioned_at {BIGINT} NOT NULL,
                reasons INTEGER NOT NULL,
                responsible_suppliers TEXT NOT NULL,
                commissioning_supplier {BIGINT} NULL,
                updated_at {BIGINT} NOT NULL
            )
            """,
            "CREATE TABLE post_commissioning_updates (updated_at {BIGINT} PRIMARY KEY, listed INTEGER NOT NULL)",
            "CREATE TABLE post_commissioning_days (day TEXT PRIMARY KEY, compiled_at {BIGINT} NOT NULL)",
            """
            CREATE TABLE post_commissioning_snapshots (
                day TEXT NOT NULL,
                device_id {BIGINT} NOT NULL,
                device_type TEXT NOT NULL,
                commissioned_at {BIGINT} NOT NULL,
                reasons INTEGER NOT NULL,
                responsible_suppliers TEXT NOT NULL,
                commissioning_supplier {BIGINT} NULL,
                updated_at {BIGINT} NOT NULL,
                PRIMARY KEY (day, device_id)
            )
            """,
            "CREATE INDEX ix_notifications_kind ON notifications (kind, device_id)",
        ]),
        new(5, "CH Production Proving approvals (AC 12.3)",
        [
            """
            CREATE TABLE production_proving_approvals (
                chf_id {BIGINT} PRIMARY KEY,
                gpf_id {BIGINT} NOT NULL,
                reference TEXT NOT NULL,
                approved_at {BIGINT} NOT NULL
            )
            """,
        ]),
    ];
}
