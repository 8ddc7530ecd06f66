//! `pms monitor`: one screen an operator reads, one section per concern. Each section runs in
//! its own bounded read-only transaction (statement timeout, lock timeout), so one that cannot
//! run (an extension missing, a privilege missing, no replica, a timeout) says what is missing
//! and how to enable it while the others still print. `--json` gives the same as one object
//! with a key per section.

mod activity;
mod platform;
mod render;
mod replication;
mod safety;
mod schema;

pub use render::{table, text};

use crate::sql::bounded;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// The sections, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SectionName {
    Queries,
    Statements,
    Connections,
    Cache,
    Indexes,
    Bloat,
    Disk,
    Timeseries,
    Archive,
    Backups,
    Replication,
    Security,
}

impl SectionName {
    pub const ALL: [SectionName; 12] = [
        SectionName::Queries,
        SectionName::Statements,
        SectionName::Connections,
        SectionName::Cache,
        SectionName::Indexes,
        SectionName::Bloat,
        SectionName::Disk,
        SectionName::Timeseries,
        SectionName::Archive,
        SectionName::Backups,
        SectionName::Replication,
        SectionName::Security,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionName::Queries => "queries",
            SectionName::Statements => "statements",
            SectionName::Connections => "connections",
            SectionName::Cache => "cache",
            SectionName::Indexes => "indexes",
            SectionName::Bloat => "bloat",
            SectionName::Disk => "disk",
            SectionName::Timeseries => "timeseries",
            SectionName::Archive => "archive",
            SectionName::Backups => "backups",
            SectionName::Replication => "replication",
            SectionName::Security => "security",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            SectionName::Queries => "long-running queries",
            SectionName::Statements => "slowest statements (pg_stat_statements)",
            SectionName::Connections => "connections and pools",
            SectionName::Cache => "cache hit ratios",
            SectionName::Indexes => "unused and duplicate indexes",
            SectionName::Bloat => "table bloat and maintenance",
            SectionName::Disk => "disk",
            SectionName::Timeseries => "time-series engine",
            SectionName::Archive => "archive and retention",
            SectionName::Backups => "backups",
            SectionName::Replication => "replication",
            SectionName::Security => "security events and suspicious activity",
        }
    }
}

impl FromStr for SectionName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        SectionName::ALL
            .into_iter()
            .find(|n| n.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown section `{s}`; one of: {}",
                    SectionName::ALL.map(|n| n.as_str()).join(", ")
                )
            })
    }
}

/// How a section came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Nothing to act on.
    Ok,
    /// Something an operator should look at (the summary says what).
    Warning,
    /// Could not be shown here; `notes` say what is missing and how to enable it.
    Unavailable,
    /// The section's queries failed (a timeout, say); `summary` has the error.
    Error,
}

/// One section of the screen.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub status: Status,
    pub summary: String,
    pub data: serde_json::Value,
    pub notes: Vec<String>,
    /// The text screen's lines (tables); not in the JSON, which has `data`.
    #[serde(skip)]
    pub lines: Vec<String>,
}

impl Section {
    pub fn new(status: Status, summary: impl Into<String>, data: serde_json::Value) -> Self {
        Self {
            status,
            summary: summary.into(),
            data,
            notes: Vec::new(),
            lines: Vec::new(),
        }
    }

    pub fn unavailable(summary: impl Into<String>, how: impl Into<String>) -> Self {
        let mut s = Self::new(Status::Unavailable, summary, serde_json::Value::Null);
        s.notes.push(how.into());
        s
    }

    pub fn note(mut self, n: impl Into<String>) -> Self {
        self.notes.push(n.into());
        self
    }

    pub fn lines(mut self, lines: Vec<String>) -> Self {
        self.lines = lines;
        self
    }
}

/// What the report looks at and how long each query may take.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// A query running longer than this is listed (the specification's 5 minutes).
    pub long_query: Duration,
    pub statement_timeout: Duration,
    /// Security events and findings of the last this many hours (24).
    pub security_hours: i32,
    /// See [`crate::MonitorOptions::data_dir`].
    pub data_dir: Option<PathBuf>,
    pub sections: Vec<SectionName>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            long_query: Duration::from_secs(300),
            statement_timeout: Duration::from_secs(2),
            security_hours: 24,
            data_dir: None,
            sections: SectionName::ALL.to_vec(),
        }
    }
}

/// The screen: sections by name, in screen order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub sections: BTreeMap<SectionName, Section>,
}

impl Report {
    /// One object, a key per section.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.sections
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        serde_json::to_value(v).unwrap_or_default(),
                    )
                })
                .collect(),
        )
    }
}

/// Can this login see every session's query and statistics (superuser or pg_read_all_stats)?
pub(crate) async fn reads_all_stats(c: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')
           FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut *c)
    .await
}

pub(crate) const GRANT_STATS: &str = "grant the monitoring login the pg_monitor role (GRANT pg_monitor TO <role>), or set PMS_MONITOR_DATABASE_URL to a login that has it";

async fn one(
    c: &mut PgConnection,
    name: SectionName,
    o: &ReportOptions,
) -> Result<Section, sqlx::Error> {
    match name {
        SectionName::Queries => activity::queries(c, o).await,
        SectionName::Statements => activity::statements(c).await,
        SectionName::Connections => activity::connections(c).await,
        SectionName::Cache => activity::cache(c).await,
        SectionName::Indexes => schema::indexes(c).await,
        SectionName::Bloat => schema::bloat(c).await,
        SectionName::Disk => schema::disk(c, o).await,
        SectionName::Timeseries => platform::timeseries(c).await,
        SectionName::Archive => platform::archive(c).await,
        SectionName::Backups => safety::backups(c).await,
        SectionName::Replication => replication::replication(c).await,
        SectionName::Security => safety::security(c, o).await,
    }
}

fn failed(e: &sqlx::Error, timeout: Duration) -> Section {
    let timed_out = e
        .as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "57014");
    let summary = if timed_out {
        format!(
            "timed out after {} ms (statement timeout); the rest of the report is unaffected",
            timeout.as_millis()
        )
    } else {
        format!("failed: {e}")
    };
    Section::new(Status::Error, summary, serde_json::Value::Null)
}

/// Runs the chosen sections one after the other, each in its own bounded transaction.
pub async fn run(pool: &PgPool, o: &ReportOptions) -> Report {
    let mut report = Report::default();
    for name in &o.sections {
        let result = async {
            let mut tx = bounded(pool, o.statement_timeout).await?;
            let s = one(&mut tx, *name, o).await;
            let _ = tx.rollback().await;
            s
        }
        .await;
        let section = result.unwrap_or_else(|e| failed(&e, o.statement_timeout));
        report.sections.insert(*name, section);
    }
    report
}

/// Seconds as `1h02m`, `3m05s`, `12.3s`.
pub fn human_secs(s: f64) -> String {
    if s >= 3600.0 {
        format!(
            "{}h{:02}m",
            (s / 3600.0) as u64,
            ((s % 3600.0) / 60.0) as u64
        )
    } else if s >= 60.0 {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else {
        format!("{s:.1}s")
    }
}

/// Bytes as `12.3 MB`.
pub fn human_bytes(b: f64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = b;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < units.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{v:.0} B")
    } else {
        format!("{v:.1} {}", units[i])
    }
}
