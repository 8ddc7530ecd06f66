//! Verifies every tenant's audit hash chains (`verify_audit_chain`) and leaves the verdict on
//! `/metrics`: `pms_audit_chain_broken_streams` (streams with a broken link; the
//! `PmsAuditChainBroken` alert) and `pms_audit_chain_verified_timestamp_seconds`. A broken chain
//! is a finding, not a failure of the job: the job fails only when it cannot verify.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub struct AuditChainVerify;

impl Job for AuditChainVerify {
    fn name(&self) -> &'static str {
        "audit_chain_verify"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(6 * 60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let rows: Vec<(uuid::Uuid, String, bool, Option<String>)> = sqlx::query_as(
                "SELECT t.id, v.stream, v.ok, v.problem
                   FROM tenants t CROSS JOIN LATERAL verify_audit_chain(t.id) v ORDER BY t.id, v.stream",
            )
            .fetch_all(&ctx.maintenance)
            .await
            .doing("verify_audit_chain()")?;
            let broken: Vec<_> = rows.iter().filter(|r| !r.2).collect();
            for stream in ["audit", "security"] {
                let n = broken.iter().filter(|r| r.1 == stream).count();
                metrics::gauge!("pms_audit_chain_broken_streams", "stream" => stream).set(n as f64);
            }
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0);
            metrics::gauge!("pms_audit_chain_verified_timestamp_seconds").set(now);
            for b in &broken {
                tracing::error!(tenant.id = %b.0, stream = %b.1, problem = ?b.3, "audit chain broken");
            }
            Ok(serde_json::json!({
                "streams": rows.len(),
                "broken": broken.iter().map(|b| serde_json::json!({"tenant": b.0, "stream": b.1, "problem": b.3})).collect::<Vec<_>>(),
            }))
        })
    }
}
