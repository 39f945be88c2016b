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
    ];
}
