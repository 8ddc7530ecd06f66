//! `/health` (is the database reachable?) and `/metrics` (Prometheus text format).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::PrometheusHandle;
use pms_cache::Cache;
use sqlx::PgPool;

#[derive(Clone)]
struct AppState {
    pool: PgPool,
    metrics: PrometheusHandle,
    component: &'static str,
    cache: Option<Cache>,
}

/// The health and metrics router of a long-running process.
pub fn router(pool: PgPool, metrics: PrometheusHandle, component: &'static str) -> Router {
    router_with_cache(pool, metrics, component, None)
}

/// As [`router`], for a process that holds the platform's cache: its gauges (breaker state,
/// pending invalidations) are set before each render, next to its counters.
pub fn router_with_cache(
    pool: PgPool,
    metrics: PrometheusHandle,
    component: &'static str,
    cache: Option<Cache>,
) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(render_metrics))
        .with_state(AppState {
            pool,
            metrics,
            component,
            cache,
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
    if let Some(cache) = &s.cache {
        cache.record_gauges();
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        s.metrics.render(),
    )
}
