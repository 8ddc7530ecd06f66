//! Helpers of the reports, dashboards and compensation tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::Api;
use serde_json::Value;

impl Api {
    /// The worker's `generate_reports` job, once, as of `at` (RFC 3339), on this test's
    /// database: its report.
    pub async fn run_report_job(&self, at: &str) -> Value {
        let at = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .unwrap();
        let ctx = pms_worker::JobContext::new(self.db.maintenance.clone())
            .as_of(at)
            .with_app(self.db.app.clone());
        pms_worker::Scheduler::run_once(&ctx, &pms_worker::jobs::generate_reports::GenerateReports)
            .await
            .unwrap()
            .expect("the job ran")
    }

    /// A download: (status, content type, body text).
    pub async fn download(
        &self,
        path: &str,
        token: &str,
        accept: Option<&str>,
    ) -> (reqwest::StatusCode, String, String) {
        let mut req = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (status, ct, resp.text().await.unwrap())
    }

    /// A row's (status, updated_at in microseconds) as the maintenance role: what a refused
    /// change must leave as it was.
    pub async fn row_state(&self, table: &str, id: &str) -> (String, i64) {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT coalesce(to_jsonb(t) ->> 'status', ''), (extract(epoch FROM t.updated_at) * 1000000)::bigint FROM {table} t WHERE t.id = '{id}'"
        )))
        .fetch_one(&self.db.maintenance)
        .await
        .unwrap()
    }
}
