//! The router and the server loop: routes under `/api/v1`, `/health`, `/ready`,
//! `/api/openapi.json`, the layers, and graceful shutdown.

use crate::error::{ApiError, error_response};
use crate::extract::BodyLimit;
use crate::middleware::{self as mw, REQUEST_ID};
use crate::state::AppState;
use crate::{openapi, routes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::json;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa_axum::router::OpenApiRouter;

/// The whole HTTP application for `state`.
pub fn router(state: AppState) -> Router {
    let (api, doc) = OpenApiRouter::with_openapi(openapi::base())
        .nest("/api/v1", routes::v1())
        .split_for_parts();
    let doc = Arc::new(doc);
    let config = state.config().clone();
    let mut app = Router::new()
        .merge(api)
        .merge(crate::console::router())
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(Extension(BodyLimit(config.max_body_bytes)))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|req: &Request<_>| {
                            let rid = req
                                .headers()
                                .get(REQUEST_ID)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("");
                            tracing::info_span!("http", request.id = %rid, http.method = %req.method(), url.path = %req.uri().path())
                        })
                        .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Millis)),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(axum::middleware::from_fn(mw::security_headers))
                .layer(axum::middleware::from_fn(mw::error_bodies))
                .layer(CatchPanicLayer::custom(panic_response))
                .layer(axum::middleware::from_fn(mw::record_metrics))
                .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, config.request_timeout)),
        );
    if let Some(cors) = mw::cors(&config.cors_origins) {
        app = app.layer(cors);
    }
    app
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "internal error; the request id identifies it in the logs",
    )
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// Liveness: the process answers.
async fn health() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: the database and the cache answer.
async fn ready(State(state): State<AppState>) -> Response {
    // In a transaction, like every query of the API (behind PgBouncer's transaction pooling a
    // statement outside one may meet a reset connection).
    let probe = async {
        let mut tx = state.pool().begin().await?;
        sqlx::query_scalar::<_, i32>("SELECT 1")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await
    };
    let db = if probe.await.is_ok() {
        "ok"
    } else {
        "unreachable"
    };
    let cache = if state.cache().breaker_state() == pms_cache::BreakerState::Open {
        "unreachable"
    } else {
        "ok"
    };
    let status = if db == "ok" && cache == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({"database": db, "cache": cache, "cache_backend": state.cache().backend()})),
    )
        .into_response()
}

/// Serves `app` on `listener` until `shutdown` resolves; requests in flight then finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
