//! "My dashboard": my goals, the reviews I owe, feedback received, my recent metrics, and for
//! managers their team's goals at risk. Cached 5 min per person; a write drops exactly the
//! dashboards it changes (the person's and their management chain's).

use crate::auth::Auth;
use crate::db::{Db, request_id};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use pms_cache::Key;
use pms_core::UserId;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_dashboard))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct GoalSummary {
    pub id: Uuid,
    pub title: String,
    pub status: String,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub progress: Decimal,
    #[serde(with = "crate::day")]
    pub period_end: Date,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct ReviewDue {
    pub id: Uuid,
    pub reviewee_id: Uuid,
    pub cycle_id: Uuid,
    pub review_type: String,
    pub status: String,
    #[serde(default, with = "crate::day::option")]
    pub due_date: Option<Date>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct MetricSummary {
    pub metric_name: String,
    pub average: f64,
    pub points: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DashboardResponse {
    pub user_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    /// My open goals (not completed or cancelled), soonest end first, at most 10.
    pub goals: Vec<GoalSummary>,
    pub goals_at_risk: i64,
    /// Reviews I am the reviewer of and have not submitted.
    pub reviews_due: Vec<ReviewDue>,
    /// Reviews of me shared and waiting for my acknowledgement.
    pub reviews_to_acknowledge: i64,
    /// Feedback received under its giver's name in 30 days (anonymous feedback is not counted:
    /// a count that moves would tell when, and so by whom).
    pub feedback_received_30d: i64,
    /// Averages of my performance metrics over 30 days.
    pub metrics_30d: Vec<MetricSummary>,
    /// For managers: direct and indirect reports, and their goals at risk.
    pub reports: i64,
    pub reports_goals_at_risk: i64,
}

async fn build(db: &mut Db) -> Result<DashboardResponse, ApiError> {
    let me = db.auth().user.as_uuid();
    let tenant = db.auth().tenant.as_uuid();
    let goals: Vec<GoalSummary> = sqlx::query_as(
        "SELECT id, title, status, progress, period_end FROM goals
          WHERE owner_id = $1 AND deleted_at IS NULL AND status NOT IN ('COMPLETED', 'CANCELLED')
          ORDER BY period_end, id LIMIT 10",
    )
    .bind(me)
    .fetch_all(db.conn())
    .await?;
    let goals_at_risk: i64 = sqlx::query_scalar("SELECT count(*) FROM goals WHERE owner_id = $1 AND deleted_at IS NULL AND status = 'AT_RISK'")
        .bind(me)
        .fetch_one(db.conn())
        .await?;
    let reviews_due: Vec<ReviewDue> = sqlx::query_as(
        "SELECT id, reviewee_id, cycle_id, review_type, status, due_date FROM performance_reviews
          WHERE reviewer_id = $1 AND deleted_at IS NULL AND status IN ('NOT_STARTED', 'IN_PROGRESS')
          ORDER BY due_date NULLS LAST, id LIMIT 20",
    )
    .bind(me)
    .fetch_all(db.conn())
    .await?;
    let reviews_to_acknowledge: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM performance_reviews WHERE reviewee_id = $1 AND deleted_at IS NULL AND status = 'SHARED'",
    )
    .bind(me)
    .fetch_one(db.conn())
    .await?;
    let feedback_received_30d: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM feedback WHERE recipient_id = $1 AND deleted_at IS NULL AND NOT is_anonymous
            AND feedback_type <> 'REQUEST' AND created_at > now() - interval '30 days'",
    )
    .bind(me)
    .fetch_one(db.conn())
    .await?;
    let metrics_30d: Vec<MetricSummary> = sqlx::query_as(
        "SELECT metric_name, avg(value)::float8 AS average, count(*) AS points
           FROM get_recent_performance_metrics($1, $2, 30) GROUP BY metric_name ORDER BY metric_name",
    )
    .bind(tenant)
    .bind(me)
    .fetch_all(db.conn())
    .await?;
    let (reports, reports_goals_at_risk): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM pms_my_team()),
                (SELECT count(*) FROM goals g JOIN pms_my_team() t ON g.owner_id = t.person_id
                  WHERE g.deleted_at IS NULL AND g.status = 'AT_RISK')",
    )
    .fetch_one(db.conn())
    .await?;
    Ok(DashboardResponse {
        user_id: me,
        generated_at: OffsetDateTime::now_utc(),
        goals,
        goals_at_risk,
        reviews_due,
        reviews_to_acknowledge,
        feedback_received_30d,
        metrics_30d,
        reports,
        reports_goals_at_risk,
    })
}

/// My dashboard (cached 5 min; a change to what it shows drops it at once).
#[utoipa::path(get, path = "/me/dashboard", tag = "me",
    responses((status = 200, body = DashboardResponse), (status = 401, body = ErrorBody)))]
async fn my_dashboard(
    State(state): State<AppState>,
    auth: Auth,
    rid: RequestIdOf,
) -> Result<Response, ApiError> {
    let key = dashboard_key(auth.tenant, auth.user);
    // The warm path touches no database: the session and the dashboard both come from the
    // cache, the dashboard as the JSON text it is sent as (no decoding and encoding again).
    let json = match state.cache().get::<String>(&key).await {
        Some(j) => j,
        None => {
            let mut db = Db::begin(&state, auth, rid.0.as_deref()).await?;
            let d = build(&mut db).await?;
            db.commit().await?;
            let j = serde_json::to_string(&d).map_err(ApiError::internal)?;
            state.cache().put(&key, &j).await.ok();
            j
        }
    };
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response())
}

/// A person's dashboard: dropped by writes along their chain, and by any re-organisation
/// (their reports may have changed).
fn dashboard_key(tenant: pms_core::TenantId, user: UserId) -> Key {
    Key::dashboard(tenant, user).depends_on(pms_cache::Scope::Org)
}

/// The request id, for handlers that open their transaction late.
pub(crate) struct RequestIdOf(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for RequestIdOf {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Self(request_id(parts)))
    }
}

/// Drops the dashboards of `person` and everyone above them in the management chain.
pub(crate) async fn dashboards_changed(
    state: &AppState,
    auth: &Auth,
    person: Uuid,
) -> Result<(), ApiError> {
    let mut db = Db::begin(state, auth.clone(), None).await?;
    // The person (depth 0) and everyone above them.
    let chain: Vec<Uuid> = sqlx::query_scalar(
        "SELECT ancestor_id FROM reporting_chain WHERE tenant_id = pms_current_tenant() AND descendant_id = $1",
    )
    .bind(person)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    for id in chain {
        state
            .cache()
            .invalidate_key(&Key::dashboard(auth.tenant, UserId(id)))
            .await;
    }
    Ok(())
}
