//! The run-time half of "no session state": what a connection carries over from earlier work.
//! Tenant context is set per transaction (`set_config(..., true)`), so a transaction that has
//! not set anything yet must see no tenant, no user, no request id and no setting changed for
//! the session. Behind a transaction-pooling PgBouncer anything else would follow the server
//! connection to the next client; on a direct pool, to the next user of the connection. The
//! pool-leak test (`crates/pms-db/tests/pool_leak.rs`) asks this at the start of every
//! transaction.

use sqlx::PgConnection;

/// Parameters a client or PgBouncer sets for the session on purpose: PgBouncer re-sends the
/// ones it tracks (client_encoding, DateStyle, TimeZone, standard_conforming_strings,
/// application_name) whenever it links a client to a server connection.
const CONNECTION_PARAMETERS: [&str; 7] = [
    "application_name",
    "client_encoding",
    "DateStyle",
    "TimeZone",
    "standard_conforming_strings",
    "extra_float_digits",
    "IntervalStyle",
];

/// The platform's own per-transaction settings.
const TRANSACTION_SETTINGS: [&str; 4] = [
    "app.tenant_id",
    "app.user_id",
    "app.request_id",
    "app.maintenance",
];

/// Settings of this connection's session that earlier work left behind, as `name=value`: any
/// setting whose value comes from the session (a session-level `SET`) other than the
/// connection's own parameters, and any of the platform's per-transaction settings that is not
/// empty. Empty means clean. Run it first thing in a transaction.
pub async fn leftovers(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT name || '=' || setting FROM pg_settings
          WHERE source = 'session' AND NOT (name = ANY ($1)) AND NOT (name = ANY ($2))
         UNION ALL
         SELECT s || '=' || current_setting(s, true) FROM unnest($2::text[]) s
          WHERE coalesce(current_setting(s, true), '') <> ''
         ORDER BY 1",
    )
    .bind(CONNECTION_PARAMETERS.as_slice())
    .bind(TRANSACTION_SETTINGS.as_slice())
    .fetch_all(conn)
    .await
}
