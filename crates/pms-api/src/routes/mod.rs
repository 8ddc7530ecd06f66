//! The `/api/v1` endpoints, one module per domain.

mod admin;
mod admin_audit;
mod admin_erasure;
mod admin_org;
mod calibration;
mod calibration_grid;
mod checks;
mod compensation;
mod dashboard;
mod dashboards_config;
mod development;
mod development_parts;
mod engagement;
mod feedback;
mod feedback_360;
mod goals;
mod idempotency;
mod me;
mod metrics;
mod ml;
mod notifications;
mod one_on_one_items;
mod one_on_ones;
mod org;
mod org_health;
mod people;
mod pip_parts;
mod pips;
mod promotions;
mod reports;
mod reviews;
mod succession;
mod versions;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub(crate) fn v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(crate::auth::routes::router())
        .merge(me::router())
        .merge(people::router())
        .merge(org::router())
        .merge(goals::router())
        .merge(reviews::router())
        .merge(feedback::router())
        .merge(dashboard::router())
        .merge(one_on_ones::router())
        .merge(pips::router())
        .merge(development::router())
        .merge(notifications::router())
        .merge(promotions::router())
        .merge(compensation::router())
        .merge(reports::router())
        .merge(dashboards_config::router())
        .merge(succession::router())
        .merge(org_health::router())
        .merge(ml::router())
        .merge(engagement::router())
        .merge(metrics::router())
        .merge(calibration::router())
        .merge(feedback_360::router())
        .merge(admin::router())
}

/// For `Option<Option<T>>` fields of updates: absent is `None` (unchanged), `null` is
/// `Some(None)` (cleared).
pub(crate) fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(d).map(Some)
}
