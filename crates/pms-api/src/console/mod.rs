//! The operations console: server-rendered pages under `/console` for platform operators
//! (SUPER_ADMIN: every tier, no tenant's HR content) and tenant administrators (ADMIN and
//! HR_ADMIN: their own tenant, HR pages included). It signs in with the API's sessions, puts
//! a CSRF token in every form, loads nothing from elsewhere and runs no script (its
//! Content-Security-Policy forbids both), and draws its charts as SVG on the server.
//!
//! Tenant figures come through the tenant's own `pms_app` transaction; platform figures only
//! through [`Operations`], the audited `pms_maintenance` path.

mod audit;
mod backups;
mod chart;
mod layout;
mod ops;
mod overview;
mod people;
mod session;
mod storage;
mod tiers;
mod timeseries;

pub use ops::Operations;

use crate::state::AppState;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// What the console's pages may load: their own stylesheet and icon, nothing else; no script
/// at all, no framing, forms only to this origin.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/console", get(overview::page))
        .route("/console/login", get(session::form).post(session::login))
        .route("/console/logout", post(session::logout))
        .route("/console/storage", get(storage::page))
        .route(
            "/console/storage/maintenance",
            post(storage::run_maintenance),
        )
        .route(
            "/console/storage/verify-archive",
            post(storage::verify_archive),
        )
        .route("/console/timeseries", get(timeseries::page))
        .route("/console/audit", get(audit::page))
        .route("/console/backups", get(backups::page))
        .route("/console/people", get(people::page))
        .route("/console/assets/console.css", get(css))
        .route("/console/assets/icon.svg", get(icon))
        .route("/console/{*rest}", get(missing))
        .layer(axum::middleware::from_fn(headers))
}

async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    if !h.contains_key(header::CONTENT_TYPE) {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
    }
    resp
}

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        layout::CSS,
    )
        .into_response()
}

async fn icon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], layout::ICON).into_response()
}

async fn missing() -> Response {
    session::not_found()
}
