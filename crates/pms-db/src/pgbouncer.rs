//! PgBouncer in front of the platform's PostgreSQL: the configuration pms writes
//! (`pms pgbouncer config`, `pms up --pgbouncer`, the tests) and what the platform's own
//! connections must do behind it.
//!
//! PgBouncer 1.18 (Debian 12) in **transaction** pooling gives a client a server connection for
//! one transaction at a time, and knows nothing of prepared statements. sqlx 0.9 prepares every
//! query with binds as a *named* statement (`sqlx_s_N`, numbered per client connection), caches
//! it, and runs it in two protocol round trips (Parse/Describe/Sync, then Bind/Execute/Sync).
//! Behind a transaction pooler that breaks three ways: a cached statement is missing on the
//! next server connection ("prepared statement sqlx_s_3 does not exist"), two clients' numbers
//! collide on one server ("already exists"), and outside an explicit transaction the two round
//! trips may reach different servers. What pms does about it (measured in
//! `crates/pms-db/tests/pgbouncer_sqlx.rs`):
//!
//! - the pooled roles' connections turn sqlx's statement cache off
//!   ([`crate::connect::DbUrls::options`]), so no statement is expected to outlive its query;
//! - sqlx still names (and never closes) those statements, so PgBouncer runs
//!   `server_reset_query = DISCARD ALL` after **every** transaction
//!   (`server_reset_query_always = 1`): each server connection goes back to the pool with no
//!   statements, no session settings, no advisory locks and no temporary tables, whatever the
//!   client did;
//! - with that reset, a parameterised query outside an explicit transaction fails loudly
//!   ("prepared statement ... does not exist") instead of meeting another client's statement:
//!   application work runs in transactions ([`crate::TenantTx`]), which it does anyway because
//!   the tenant is set per transaction with `set_config(..., true)`;
//! - sqlx sends `extra_float_digits` at start-up, which PgBouncer 1.18 rejects unless told to
//!   ignore it (`ignore_startup_parameters`); the pooled connections also stop sending it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The specification's pool settings (transaction pooling, 1000 clients, 25 server
/// connections per database and role, 5 more in reserve).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    pub max_client_conn: u32,
    pub default_pool_size: u32,
    pub reserve_pool_size: u32,
    /// Seconds a client waits before the reserve pool opens for it.
    pub reserve_pool_timeout: u32,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_client_conn: 1000,
            default_pool_size: 25,
            reserve_pool_size: 5,
            reserve_pool_timeout: 3,
        }
    }
}

/// How PgBouncer authenticates clients: as the server does. Roles without a password (trust
/// authentication on loopback, as on the private cluster) get `trust`; roles with SCRAM (or
/// MD5) verifiers have them copied into `userlist.txt`, which lets PgBouncer log in to the
/// server with the same verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    Trust(Vec<String>),
    Password(Vec<(String, String)>),
}

/// The platform's login roles, all listed in `userlist.txt`. The platform itself sends only
/// `pms_app` and `pms_readonly` through PgBouncer ([`crate::connect::DbUrls::url_for`]): the
/// maintenance jobs take session advisory locks and migrations run as the administrator, both
/// directly on the server.
pub const POOLED_ROLES: [&str; 4] = ["pms_app", "pms_readonly", "pms_maintenance", "pms_owner"];

/// Everything `pgbouncer.ini` and `userlist.txt` say.
#[derive(Debug, Clone)]
pub struct PgBouncerConfig {
    /// Folder of the configuration, pid file, log and Unix socket.
    pub dir: PathBuf,
    pub listen_addr: String,
    pub listen_port: u16,
    pub server_host: String,
    pub server_port: u16,
    /// Databases with an entry of their own.
    pub databases: Vec<String>,
    /// Adds the `* =` fallback entry: any database name is passed to the server (tests use it
    /// for their per-test databases).
    pub any_database: bool,
    pub pool: PoolSettings,
    pub auth: Auth,
    /// Users of PgBouncer's admin console (`SHOW POOLS` on the `pgbouncer` database).
    pub admin_users: Vec<String>,
}

/// Why a PgBouncer configuration could not be made or a PgBouncer could not run.
#[derive(Debug, thiserror::Error)]
pub enum PgBouncerError {
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("reading the roles from the server: {0}")]
    Database(#[from] sqlx::Error),
    #[error("`{command}` failed: {detail}")]
    Command { command: String, detail: String },
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> PgBouncerError + '_ {
    move |source| PgBouncerError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Quotes a value for `pgbouncer.ini`'s connection strings (libpq style).
fn conninfo_value(v: &str) -> String {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
    {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

impl PgBouncerConfig {
    /// A configuration for the server at `server_host:server_port` and `database`, with the
    /// specification's pool settings.
    pub fn new(dir: &Path, listen_port: u16, server_host: &str, server_port: u16) -> Self {
        Self {
            dir: dir.to_path_buf(),
            listen_addr: "127.0.0.1".into(),
            listen_port,
            server_host: server_host.to_string(),
            server_port,
            databases: Vec::new(),
            any_database: false,
            pool: PoolSettings::default(),
            auth: Auth::Trust(POOLED_ROLES.iter().map(|r| r.to_string()).collect()),
            admin_users: Vec::new(),
        }
    }

    pub fn ini_path(&self) -> PathBuf {
        self.dir.join("pgbouncer.ini")
    }

    pub fn userlist_path(&self) -> PathBuf {
        self.dir.join("userlist.txt")
    }

    pub fn pid_path(&self) -> PathBuf {
        self.dir.join("pgbouncer.pid")
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.join("pgbouncer.log")
    }

    /// The URL of `database` through this PgBouncer as `role` (no password: trust, or the
    /// role's `~/.pgpass` entry).
    pub fn url_for(&self, role: &str, database: &str) -> String {
        format!(
            "postgresql://{role}@{}:{}/{database}",
            self.listen_addr, self.listen_port
        )
    }

    fn check(&self) -> Result<(), PgBouncerError> {
        if self.databases.is_empty() && !self.any_database {
            return Err(PgBouncerError::Invalid(
                "no database to pool: name one, or allow any database".into(),
            ));
        }
        if self.pool.default_pool_size == 0 || self.pool.max_client_conn == 0 {
            return Err(PgBouncerError::Invalid(
                "default_pool_size and max_client_conn must be at least 1".into(),
            ));
        }
        // PgBouncer 1.18's ini parser takes no quoting: plain names only.
        let plain = |n: &String| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        for name in self.databases.iter().chain(self.admin_users.iter()) {
            if !plain(name) {
                return Err(PgBouncerError::Invalid(format!(
                    "{name:?} cannot be written into pgbouncer.ini (letters, digits, _ and - only)"
                )));
            }
        }
        Ok(())
    }

    /// The text of `pgbouncer.ini`.
    pub fn render_ini(&self) -> Result<String, PgBouncerError> {
        self.check()?;
        let host = conninfo_value(&self.server_host);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "; written by `pms pgbouncer config`; run as the postgres user: pgbouncer -d {}",
            self.ini_path().display()
        );
        s.push_str("[databases]\n");
        for db in &self.databases {
            let _ = writeln!(
                s,
                "{db} = host={host} port={} dbname={}",
                self.server_port,
                conninfo_value(db)
            );
        }
        if self.any_database {
            let _ = writeln!(s, "* = host={host} port={}", self.server_port);
        }
        let auth_type = match &self.auth {
            Auth::Trust(_) => "trust",
            Auth::Password(users) if users.iter().all(|(_, v)| v.starts_with("SCRAM-SHA-256$")) => {
                "scram-sha-256"
            }
            Auth::Password(_) => "md5",
        };
        let p = &self.pool;
        let _ = write!(
            s,
            "\n[pgbouncer]\n\
             listen_addr = {listen}\n\
             listen_port = {port}\n\
             unix_socket_dir = {dir}\n\
             pidfile = {pid}\n\
             logfile = {log}\n\
             auth_type = {auth_type}\n\
             auth_file = {userlist}\n\
             admin_users = {admins}\n\
             stats_users = {admins}\n\
             ; one server connection per transaction; tenant context is per transaction too\n\
             pool_mode = transaction\n\
             max_client_conn = {max_client}\n\
             default_pool_size = {pool_size}\n\
             reserve_pool_size = {reserve}\n\
             reserve_pool_timeout = {reserve_timeout}\n\
             ; sqlx leaves its (uncached) named statements behind: reset after every transaction\n\
             server_reset_query = DISCARD ALL\n\
             server_reset_query_always = 1\n\
             ; sqlx sends it at start-up; PgBouncer 1.18 refuses unknown start-up parameters\n\
             ignore_startup_parameters = extra_float_digits\n\
             server_check_query = select 1\n\
             server_idle_timeout = 60\n\
             log_connections = 0\n\
             log_disconnections = 0\n",
            listen = self.listen_addr,
            port = self.listen_port,
            dir = self.dir.display(),
            pid = self.pid_path().display(),
            log = self.log_path().display(),
            userlist = self.userlist_path().display(),
            admins = self.admin_users.join(","),
            max_client = p.max_client_conn,
            pool_size = p.default_pool_size,
            reserve = p.reserve_pool_size,
            reserve_timeout = p.reserve_pool_timeout,
        );
        Ok(s)
    }

    /// The text of `userlist.txt`: every pooled role and admin user, with its verifier when
    /// the server has one.
    pub fn render_userlist(&self) -> String {
        let quote = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
        let mut s = String::new();
        match &self.auth {
            Auth::Trust(users) => {
                let mut seen = std::collections::BTreeSet::new();
                for u in users.iter().chain(self.admin_users.iter()) {
                    if seen.insert(u) {
                        let _ = writeln!(s, "{} \"\"", quote(u));
                    }
                }
            }
            Auth::Password(users) => {
                for (u, v) in users {
                    let _ = writeln!(s, "{} {}", quote(u), quote(v));
                }
            }
        }
        s
    }

    /// Writes `pgbouncer.ini` and `userlist.txt` (mode 600: it may hold verifiers) into
    /// [`PgBouncerConfig::dir`]; returns the ini's path.
    pub fn write(&self) -> Result<PathBuf, PgBouncerError> {
        use std::os::unix::fs::PermissionsExt;
        fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        let ini = self.ini_path();
        fs::write(&ini, self.render_ini()?).map_err(io_err(&ini))?;
        let users = self.userlist_path();
        fs::write(&users, self.render_userlist()).map_err(io_err(&users))?;
        fs::set_permissions(&users, fs::Permissions::from_mode(0o600)).map_err(io_err(&users))?;
        Ok(ini)
    }
}

/// Reads how the server authenticates `roles` (and `admin_users`): their password verifiers
/// from `pg_authid` (superuser only). No verifier for any of them means trust; otherwise the
/// roles that have one, and the names of those that do not (which cannot log in through
/// PgBouncer until they get a password).
pub async fn auth_from_server(
    conn: &mut sqlx::PgConnection,
    roles: &[String],
) -> Result<(Auth, Vec<String>), PgBouncerError> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT r, a.rolpassword FROM unnest($1::text[]) r LEFT JOIN pg_authid a ON a.rolname = r",
    )
    .bind(roles)
    .fetch_all(&mut *conn)
    .await?;
    if rows.iter().all(|(_, v)| v.is_none()) {
        return Ok((Auth::Trust(roles.to_vec()), Vec::new()));
    }
    let without: Vec<String> = rows
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(r, _)| r.clone())
        .collect();
    let with = rows
        .into_iter()
        .filter_map(|(r, v)| v.map(|v| (r, v)))
        .collect();
    Ok((Auth::Password(with), without))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ini_has_the_specified_pool_and_the_reset() {
        let mut c = PgBouncerConfig::new(Path::new("/tmp/pgb"), 6432, "127.0.0.1", 5432);
        c.databases.push("pms".into());
        c.admin_users.push("postgres".into());
        let ini = c.render_ini().unwrap();
        for line in [
            "pms = host=127.0.0.1 port=5432 dbname=pms",
            "pool_mode = transaction",
            "max_client_conn = 1000",
            "default_pool_size = 25",
            "reserve_pool_size = 5",
            "server_reset_query = DISCARD ALL",
            "server_reset_query_always = 1",
            "ignore_startup_parameters = extra_float_digits",
            "auth_type = trust",
            "listen_port = 6432",
        ] {
            assert!(ini.lines().any(|l| l == line), "missing {line:?} in\n{ini}");
        }
        assert!(!ini.contains("* ="));
        let users = c.render_userlist();
        assert!(users.contains("\"pms_app\" \"\""), "{users}");
        assert!(users.contains("\"postgres\" \"\""), "{users}");
    }

    #[test]
    fn verifiers_choose_the_auth_type_and_odd_names_are_refused() {
        let mut c = PgBouncerConfig::new(Path::new("/tmp/pgb"), 6432, "db host", 5432);
        c.any_database = true;
        c.auth = Auth::Password(vec![("pms_app".into(), "SCRAM-SHA-256$4096:x".into())]);
        let ini = c.render_ini().unwrap();
        assert!(ini.contains("auth_type = scram-sha-256"), "{ini}");
        assert!(ini.contains("* = host='db host' port=5432"), "{ini}");
        assert_eq!(
            c.render_userlist(),
            "\"pms_app\" \"SCRAM-SHA-256$4096:x\"\n"
        );
        c.auth = Auth::Password(vec![("pms_app".into(), "md5abc".into())]);
        assert!(c.render_ini().unwrap().contains("auth_type = md5"));
        c.databases.push("bad\"name".into());
        assert!(c.render_ini().is_err());
        c.databases.clear();
        c.any_database = false;
        assert!(c.render_ini().is_err());
    }
}
