//! What must exist before any migration can run as `pms_owner`: the four roles, the owner's
//! rights on this database, and the extensions only a superuser may create. Idempotent, and
//! safe when several databases of one cluster bootstrap at once (roles are cluster-wide).

use crate::migrate_error::MigrateError;
use sqlx::{Executor, PgConnection};

/// Minimum PostgreSQL major version.
pub const MIN_SERVER_VERSION: i32 = 150000;

/// Creates the roles. Each `CREATE ROLE` runs in its own block, so a concurrent creation by
/// another database of the same cluster is not an error.
pub const BOOTSTRAP_SQL: &str = r#"
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('pms_owner',       'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB'),
        ('pms_app',         'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB'),
        ('pms_maintenance', 'LOGIN NOSUPERUSER BYPASSRLS NOCREATEROLE NOCREATEDB'),
        ('pms_readonly',    'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB')
    ) AS t(name, opts)
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I %s', r.name, r.opts);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END
$$;
"#;

/// Runs the bootstrap as the connecting (administrative) user.
pub async fn run(conn: &mut PgConnection) -> Result<(), MigrateError> {
    let version: i32 = sqlx::query_scalar("SELECT current_setting('server_version_num')::int")
        .fetch_one(&mut *conn)
        .await?;
    if version < MIN_SERVER_VERSION {
        return Err(MigrateError::Bootstrap(format!(
            "PostgreSQL {}.{} is too old: pms needs PostgreSQL 15 or newer",
            version / 10000,
            version % 10000 / 100
        )));
    }
    let (is_super, can_create_role): (bool, bool) =
        sqlx::query_as("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&mut *conn)
            .await?;
    if !is_super && !can_create_role {
        let exists: bool = sqlx::query_scalar("SELECT count(*) = 4 FROM pg_roles WHERE rolname IN ('pms_owner','pms_app','pms_maintenance','pms_readonly')")
            .fetch_one(&mut *conn)
            .await?;
        if !exists {
            return Err(MigrateError::Bootstrap(
                "the DATABASE_URL user can neither create roles nor find pms_owner, pms_app, pms_maintenance and pms_readonly: connect as a superuser for the first `pms migrate`".into(),
            ));
        }
    } else {
        conn.execute(BOOTSTRAP_SQL).await?;
    }
    let db: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut *conn)
        .await?;
    let grants = format!(
        r#"GRANT CREATE, CONNECT, TEMPORARY ON DATABASE "{db}" TO pms_owner;
           GRANT CONNECT ON DATABASE "{db}" TO pms_app, pms_maintenance, pms_readonly;"#,
        db = db.replace('"', "\"\"")
    );
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(grants)))
        .await?;
    if is_super {
        conn.execute(
            "ALTER SCHEMA public OWNER TO pms_owner;
             CREATE EXTENSION IF NOT EXISTS pgcrypto;
             CREATE EXTENSION IF NOT EXISTS btree_gin;
             GRANT pg_read_all_stats TO pms_maintenance;",
        )
        .await?;
        let have_pgss: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements')",
        )
        .fetch_one(&mut *conn)
        .await?;
        if have_pgss {
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                .await?;
        }
        crate::backend::create_timescaledb_if_wanted(conn).await?;
    }
    Ok(())
}
