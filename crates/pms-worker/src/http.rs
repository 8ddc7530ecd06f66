//! `/health` (is the database reachable?) and `/metrics` (Prometheus text format, from the
//! process's `pms_monitor::Registry`: it never fails, and answers `pms_database_up 0` while the
//! database is down).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use pms_monitor::Registry;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
struct AppState {
    pool: PgPool,
    metrics: Arc<Registry>,
    component: &'static str,
}

/// The health and metrics router of a long-running process.
pub fn router(pool: PgPool, metrics: Arc<Registry>, component: &'static str) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(render_metrics))
        .with_state(AppState {
            pool,
            metrics,
            component,
        })
}

async fn health(State(s): State<AppState>) -> impl IntoResponse {
    let db = sqlx::query_scalar::<_, i32>("SELECT 1")
        .fetch_one(&s.pool)
        .await;
    match db {
        Ok(_) => (
            StatusCode::OK,
            Json(serde_json::json!({"status": "ok", "component": s.component, "database": "ok"})),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    serde_json::json!({"status": "degraded", "component": s.component, "database": "unreachable"}),
                ),
            )
        }
    }
}

async fn render_metrics(State(s): State<AppState>) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        s.metrics.render().await,
    )
}
