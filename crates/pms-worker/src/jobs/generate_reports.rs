//! Generates reports: queues a run for every report schedule that is due (as of the context's
//! instant) and computes every queued run. A run is computed in a tenant transaction *as its
//! requester* on the application pool (`pms_app`, under row-level security), by the SQL
//! function `pms_report_content`, so a manager's report holds only what that manager may see;
//! a scheduled run's requester is the report's owner. Idempotent: a schedule is claimed by
//! moving its `next_run_at` past the instant (in the transaction that queues its run), and a
//! run is computed once (`QUEUED` to `SUCCEEDED` or `FAILED`).

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use sqlx::PgPool;
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// Rows taken per run, of each kind (due schedules, queued runs); the rest wait a minute.
const BATCH: i64 = 200;

/// The request id the job's writes carry in the audit trail.
const REQUEST_ID: &str = "job:generate_reports";

pub struct GenerateReports;

impl Job for GenerateReports {
    fn name(&self) -> &'static str {
        "generate_reports"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let Some(app) = &ctx.app else {
                return Ok(serde_json::json!({ "skipped": "no application pool" }));
            };
            let at: OffsetDateTime = match ctx.at {
                Some(at) => at,
                None => sqlx::query_scalar("SELECT now()")
                    .fetch_one(&ctx.maintenance)
                    .await
                    .doing("reading the database's clock")?,
            };
            let scheduled = queue_due_schedules(&ctx.maintenance, app, at).await?;
            let (generated, failed) = compute_queued(&ctx.maintenance, app, at).await?;
            Ok(serde_json::json!({
                "at": at.unix_timestamp(),
                "scheduled": scheduled,
                "generated": generated,
                "failed": failed,
            }))
        })
    }
}

type DueSchedule = (Uuid, Uuid, Option<Uuid>, OffsetDateTime);

/// Queues one run of each due schedule, as the report's owner. A schedule whose report has no
/// active owner is moved on without a run (there is nobody to compute it as).
async fn queue_due_schedules(
    maintenance: &PgPool,
    app: &PgPool,
    at: OffsetDateTime,
) -> crate::JobResult<u64> {
    let due: Vec<DueSchedule> = sqlx::query_as(
        "SELECT s.tenant_id, s.id, d.owner_id, s.next_run_at
           FROM report_schedules s
           JOIN report_definitions d ON d.tenant_id = s.tenant_id AND d.id = s.report_id
          WHERE s.is_active AND s.next_run_at <= $1
          ORDER BY s.next_run_at, s.id LIMIT $2",
    )
    .bind(at)
    .bind(BATCH)
    .fetch_all(maintenance)
    .await
    .doing("listing due report schedules")?;
    let mut queued = 0;
    for (tenant, schedule, owner, due_at) in due {
        let ran = match owner {
            Some(owner) => queue_as_owner(app, tenant, owner, schedule, due_at, at).await?,
            None => false,
        };
        if ran {
            queued += 1;
        } else {
            // No owner to run as (gone, disabled, the report deleted): the schedule moves on.
            sqlx::query(
                "UPDATE report_schedules SET last_run_at = $3, next_run_at = pms_cron_next(cron, $3)
                  WHERE tenant_id = $1 AND id = $2 AND next_run_at = $4",
            )
            .bind(tenant)
            .bind(schedule)
            .bind(at)
            .bind(due_at)
            .execute(maintenance)
            .await
            .doing("moving on a schedule without an owner")?;
        }
    }
    Ok(queued)
}

/// In one transaction as the owner: claims the schedule and queues its run. False when the
/// owner may not (any more) run it.
async fn queue_as_owner(
    app: &PgPool,
    tenant: Uuid,
    owner: Uuid,
    schedule: Uuid,
    due_at: OffsetDateTime,
    at: OffsetDateTime,
) -> crate::JobResult<bool> {
    let mut tx = TenantTx::begin_with_request(
        app,
        TenantId::from(tenant),
        Some(UserId::from(owner)),
        Some(REQUEST_ID),
    )
    .await
    .doing("beginning a transaction as a report's owner")?;
    let claimed: Option<Uuid> = sqlx::query_scalar(
        "UPDATE report_schedules SET last_run_at = $2, next_run_at = pms_cron_next(cron, $2)
          WHERE id = $1 AND next_run_at = $3 AND is_active
            AND EXISTS (SELECT 1 FROM report_definitions d WHERE d.id = report_id AND d.deleted_at IS NULL)
          RETURNING id",
    )
    .bind(schedule)
    .bind(at)
    .bind(due_at)
    .fetch_optional(&mut **tx)
    .await
    .doing("claiming a due report schedule")?;
    if claimed.is_none() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO generated_reports (tenant_id, report_id, schedule_id, requested_by, status, format, period_start, period_end)
         SELECT s.tenant_id, s.report_id, s.id, $2, 'QUEUED', CASE WHEN s.format = 'JSON' THEN 'JSON' ELSE 'CSV' END,
                p.period_start, p.period_end
           FROM report_schedules s
           JOIN report_definitions d ON d.tenant_id = s.tenant_id AND d.id = s.report_id
          CROSS JOIN LATERAL pms_report_period(d.report_type, ($3 AT TIME ZONE 'UTC')::date, d.definition ->> 'period') p
          WHERE s.id = $1",
    )
    .bind(schedule)
    .bind(owner)
    .bind(at)
    .execute(&mut **tx)
    .await
    .doing("queuing a scheduled report run")?;
    tx.commit().await.doing("committing a scheduled run")?;
    Ok(true)
}

type QueuedRun = (Uuid, Uuid, Option<Uuid>);

/// Computes every queued run as its requester: (generated, failed).
async fn compute_queued(
    maintenance: &PgPool,
    app: &PgPool,
    at: OffsetDateTime,
) -> crate::JobResult<(u64, u64)> {
    let queued: Vec<QueuedRun> = sqlx::query_as(
        "SELECT tenant_id, id, requested_by FROM generated_reports
          WHERE status IN ('QUEUED', 'RUNNING') ORDER BY created_at, id LIMIT $1",
    )
    .bind(BATCH)
    .fetch_all(maintenance)
    .await
    .doing("listing queued report runs")?;
    let (mut generated, mut failed) = (0, 0);
    for (tenant, run, requester) in queued {
        let outcome = match requester {
            Some(r) => compute_as(app, tenant, r, run, at).await?,
            None => Outcome::Failed("the run has no requester to compute it as".into()),
        };
        match outcome {
            Outcome::Done => generated += 1,
            Outcome::Failed(why) => {
                failed += 1;
                // Recorded by the platform: the requester may be unable to write it any more.
                sqlx::query(
                    "UPDATE generated_reports SET status = 'FAILED', error = left($3, 2000), started_at = coalesce(started_at, $4),
                            finished_at = $4, content = NULL, row_count = NULL
                      WHERE tenant_id = $1 AND id = $2 AND status IN ('QUEUED', 'RUNNING')",
                )
                .bind(tenant)
                .bind(run)
                .bind(&why)
                .bind(at)
                .execute(maintenance)
                .await
                .doing("recording a failed report run")?;
            }
        }
    }
    Ok((generated, failed))
}

enum Outcome {
    Done,
    Failed(String),
}

type RunRow = (
    String,
    serde_json::Value,
    Option<time::Date>,
    Option<time::Date>,
);

/// One run, in a transaction as its requester. A database error of the computation (a report
/// type the platform does not generate, say) fails the run; a lost connection fails the job.
async fn compute_as(
    app: &PgPool,
    tenant: Uuid,
    requester: Uuid,
    run: Uuid,
    at: OffsetDateTime,
) -> crate::JobResult<Outcome> {
    let mut tx = TenantTx::begin_with_request(
        app,
        TenantId::from(tenant),
        Some(UserId::from(requester)),
        Some(REQUEST_ID),
    )
    .await
    .doing("beginning a transaction as a report's requester")?;
    let row: Option<RunRow> = sqlx::query_as(
        "SELECT d.report_type, d.definition, g.period_start, g.period_end
           FROM generated_reports g
           JOIN report_definitions d ON d.tenant_id = g.tenant_id AND d.id = g.report_id AND d.deleted_at IS NULL
          WHERE g.id = $1 AND g.status IN ('QUEUED', 'RUNNING')
            FOR UPDATE OF g",
    )
    .bind(run)
    .fetch_optional(&mut **tx)
    .await
    .doing("reading a queued report run")?;
    let Some((kind, definition, start, end)) = row else {
        return Ok(Outcome::Failed(
            "the requester may no longer see the run or its report".into(),
        ));
    };
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        _ => {
            let p: (time::Date, time::Date) = sqlx::query_as(
                "SELECT period_start, period_end FROM pms_report_period($1, ($2 AT TIME ZONE 'UTC')::date, $3)",
            )
            .bind(&kind)
            .bind(at)
            .bind(definition.get("period").and_then(|v| v.as_str()))
            .fetch_one(&mut **tx)
            .await
            .doing("computing a report's period")?;
            p
        }
    };
    let content: Result<serde_json::Value, sqlx::Error> =
        sqlx::query_scalar("SELECT pms_report_content($1, $2, $3, $4)")
            .bind(&kind)
            .bind(start)
            .bind(end)
            .bind(&definition)
            .fetch_one(&mut **tx)
            .await;
    let content = match content {
        Ok(c) => c,
        Err(sqlx::Error::Database(e)) => return Ok(Outcome::Failed(e.message().to_string())),
        Err(e) => return Err(e).doing("computing a report"),
    };
    let rows = content
        .get("rows")
        .and_then(|r| r.as_array())
        .map_or(0, |r| r.len());
    sqlx::query(
        "UPDATE generated_reports SET status = 'SUCCEEDED', content = $2, row_count = $3, period_start = $4, period_end = $5,
                started_at = $6, finished_at = $6, error = NULL
          WHERE id = $1",
    )
    .bind(run)
    .bind(&content)
    .bind(i32::try_from(rows).unwrap_or(i32::MAX))
    .bind(start)
    .bind(end)
    .bind(at)
    .execute(&mut **tx)
    .await
    .doing("writing a generated report")?;
    tx.commit().await.doing("committing a generated report")?;
    Ok(Outcome::Done)
}
