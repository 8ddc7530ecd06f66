//! Backups and cache (platform operators only): the backup sets pms recorded with their
//! restore drills, the recovery point now, and the cache's hit ratios and breaker.

use super::layout::{self, badge, unavailable};
use super::ops::{self, NO_OPERATIONS};
use super::session::{Scope, Viewer, not_found};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use pms_backup::BackupConfig;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One backup set as the console shows it.
pub(crate) struct BackupRow {
    pub label: String,
    pub kind: String,
    pub repo: u32,
    pub taken_at: Option<OffsetDateTime>,
    pub age_secs: Option<f64>,
    pub duration_ms: u64,
    pub verified: bool,
    pub drills: Vec<pms_backup::records::Verification>,
}

fn parse(t: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(t, &Rfc3339).ok()
}

/// The recorded backup sets, newest first.
pub(crate) fn records(cfg: &BackupConfig) -> Result<Vec<BackupRow>, String> {
    let now = OffsetDateTime::now_utc();
    let mut rows: Vec<BackupRow> = pms_backup::records::all(cfg)
        .map_err(|e| format!("cannot read the backup records: {e}"))?
        .into_iter()
        .map(|r| {
            let taken_at = parse(&r.manifest.restore_point_time);
            BackupRow {
                verified: r.verified(),
                age_secs: taken_at.map(|t| (now - t).as_seconds_f64()),
                taken_at,
                label: r.label,
                kind: r.kind,
                repo: r.repo,
                duration_ms: r.duration_ms,
                drills: r.verifications,
            }
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.taken_at));
    Ok(rows)
}

/// `GET /console/backups`.
pub(crate) async fn page(State(state): State<AppState>, viewer: Viewer) -> Response {
    if viewer.scope != Scope::Platform {
        return not_found();
    }
    let ops = match ops::audited(&state, &viewer, "backups").await {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let backups = match ops {
        None => Err(NO_OPERATIONS.to_string()),
        Some(o) => match &o.backup {
            None => Err("no backup repository configured (pms backup init)".to_string()),
            Some(cfg) => records(cfg),
        },
    };
    // The recovery point: the last WAL segment archived, else the newest backup.
    let archived: Option<(Option<OffsetDateTime>, Option<f64>)> = match ops {
        Some(o) => sqlx::query_as(
            "SELECT last_archived_time, extract(epoch FROM now() - last_archived_time)::float8 FROM pg_stat_archiver",
        )
        .fetch_optional(&o.pool)
        .await
        .ok()
        .flatten(),
        None => None,
    };
    let rpo = match (&archived, &backups) {
        (Some((Some(t), Some(age))), _) => Some(format!(
            "{} (last WAL segment archived {})",
            layout::secs(*age),
            layout::when(*t)
        )),
        (_, Ok(rows)) => rows.first().and_then(|r| r.age_secs).map(|a| {
            format!(
                "{} (the newest backup; WAL archiving has not run)",
                layout::secs(a)
            )
        }),
        _ => None,
    };
    let cache = state.cache();
    let stats = cache.stats();
    let body = html! {
        h2 { "Backups" }
        p { "Recovery point now: " strong id="rpo" { (rpo.clone().unwrap_or_else(|| "unknown: no backup and no archived WAL".into())) } }
        @match &backups {
            Err(why) => { (unavailable("The backups", why)) }
            Ok(rows) if rows.is_empty() => { p class="note" { "No backup has been taken yet (pms backup create)." } }
            Ok(rows) => {
                div class="scroll" { table id="backups" {
                    caption class="note" { (rows.len()) " backup sets, newest first" }
                    thead { tr { th scope="col" { "Label" } th scope="col" { "Kind" } th scope="col" { "Repository" }
                        th scope="col" { "Restore point" } th scope="col" class="num" { "Took" } th scope="col" { "Last restore drill" } } }
                    tbody { @for r in rows { tr {
                        td { (r.label) } td { (r.kind) } td class="num" { (r.repo) }
                        td { (layout::opt_when(r.taken_at)) }
                        td class="num" { (layout::secs(r.duration_ms as f64 / 1000.0)) }
                        td { @match r.drills.last() {
                            None => { (badge("warning")) " never verified" }
                            Some(v) => { (badge(if v.ok { "ok" } else { "failing" })) " " (v.at)
                                @if !v.problems.is_empty() { ": " (v.problems.join("; ")) } }
                        } }
                    } } }
                } }
                h2 { "Restore drills" }
                div class="scroll" { table id="drills" {
                    thead { tr { th scope="col" { "Backup" } th scope="col" { "When" } th scope="col" { "Result" }
                        th scope="col" class="num" { "Restore" } th scope="col" class="num" { "Tables" } th scope="col" class="num" { "Tenants" } } }
                    tbody { @for r in rows { @for v in &r.drills { tr {
                        td { (r.label) } td { (v.at) } td { (badge(if v.ok { "ok" } else { "failing" })) }
                        td class="num" { (layout::secs(v.restore_ms as f64 / 1000.0)) }
                        td class="num" { (v.tables_checked) } td class="num" { (v.tenants_checked) }
                    } } } }
                } }
            }
        }
        h2 { "Cache" }
        ul class="figures" {
            li { "Backend" span class="v" id="cache-backend" { (cache.backend()) } }
            li { "Breaker" span class="v" id="cache-breaker" { (format!("{:?}", cache.breaker_state()).to_lowercase()) } }
            li { "Breaker opened" span class="v" { (cache.breaker_opened_total()) } }
            li { "Invalidations pending" span class="v" { (cache.pending_invalidations()) } }
        }
        div class="scroll" { table id="cache-stats" {
            caption class="note" { "Since this server started" }
            thead { tr { th scope="col" { "Category" } th scope="col" class="num" { "Hits" } th scope="col" class="num" { "Misses" }
                th scope="col" class="num" { "Hit ratio" } th scope="col" class="num" { "Errors" } } }
            tbody { @for s in &stats { @if s.hits + s.misses + s.errors > 0 { tr {
                th scope="row" { (s.category.label()) }
                td class="num" { (s.hits) } td class="num" { (s.misses) }
                td class="num" { (format!("{:.1} %", 100.0 * s.hits as f64 / (s.hits + s.misses).max(1) as f64)) }
                td class="num" { (s.errors) }
            } } } }
        } }
    };
    layout::page(&viewer, "/console/backups", "Backups and cache", body).into_response()
}
