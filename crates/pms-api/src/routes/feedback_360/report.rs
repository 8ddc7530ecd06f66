//! The 360 report of a subject in a closed cycle: scores per rater group and competency, the
//! gap analysis (self against others) and the written comments, for the subject, their chain
//! (FEEDBACK delegates too) and HR; 404 for anyone else. The aggregation
//! (`pms_feedback_360_aggregate`, run when the cycle closes) withholds every group with fewer
//! respondents than the cycle's minimum: the subject does not see such a group at all (the
//! policy of `feedback_360_aggregations`), the chain and HR see it marked `withheld` with no
//! score; its comments are nobody's to read. No answer names its rater.

use super::cycles::fetch_cycle;
use super::refused;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page};
use crate::state::AppState;
use axum::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_report))
        .routes(routes!(list_reports))
        .routes(routes!(aggregate))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360GroupScore {
    /// The rater group: MANAGER, PEER, DIRECT_REPORT, SELF, EXTERNAL, OTHER, or ALL (everyone
    /// but the subject, over the groups that are shown).
    pub relationship: String,
    /// The competency rated; absent: every rating question.
    pub competency_id: Option<Uuid>,
    pub competency_name: Option<String>,
    pub respondent_count: i16,
    /// Absent when withheld (never zero for "no score").
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub average_rating: Option<Decimal>,
    /// Fewer respondents than the cycle's minimum: no score, no comments.
    pub withheld: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub computed_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360Gap {
    pub competency_id: Uuid,
    pub competency_name: String,
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub self_rating: Option<Decimal>,
    /// Everyone else's average, over the groups that are shown.
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub others_rating: Option<Decimal>,
    /// self − others.
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub gap: Option<Decimal>,
    /// BLIND_SPOT (self ≥ others + 0.5), HIDDEN_STRENGTH (self ≤ others − 0.5), ALIGNED.
    pub classification: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360Comment {
    pub relationship: String,
    pub question_id: Uuid,
    pub prompt: String,
    pub answer_text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Feedback360ReportResponse {
    pub cycle_id: Uuid,
    pub subject_id: Uuid,
    pub min_respondents: i16,
    pub groups: Vec<Feedback360GroupScore>,
    pub gaps: Vec<Feedback360Gap>,
    pub comments: Vec<Feedback360Comment>,
}

/// The report of one subject in a closed cycle.
#[utoipa::path(get, path = "/feedback-360/cycles/{id}/reports/{subject_id}", tag = "feedback-360",
    params(("id" = Uuid, Path), ("subject_id" = Uuid, Path)),
    responses((status = 200, body = Feedback360ReportResponse), (status = 404, body = ErrorBody),
              (status = 409, description = "cycle_phase: the cycle is not closed yet", body = ErrorBody)))]
async fn get_report(
    mut db: Db,
    ApiPath((cycle, subject)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<Feedback360ReportResponse>, ApiError> {
    let c = fetch_cycle(db.conn(), cycle)
        .await?
        .ok_or(ApiError::NotFound)?;
    let visible: bool = sqlx::query_scalar("SELECT pms_feedback_360_can_see_report($1)")
        .bind(subject)
        .fetch_one(db.conn())
        .await?;
    if !visible {
        return Err(ApiError::NotFound);
    }
    if c.status != "CLOSED" {
        return Err(ApiError::conflict(
            "cycle_phase",
            format!(
                "the cycle is {}: its reports exist once it is CLOSED",
                c.status
            ),
        ));
    }
    let groups: Vec<Feedback360GroupScore> = sqlx::query_as(
        "SELECT a.relationship, a.competency_id, k.name AS competency_name, a.respondent_count,
                CASE WHEN a.is_suppressed THEN NULL ELSE a.average_rating END AS average_rating,
                a.is_suppressed AS withheld, a.computed_at
           FROM feedback_360_aggregations a
           LEFT JOIN competencies k ON k.tenant_id = a.tenant_id AND k.id = a.competency_id
          WHERE a.cycle_id = $1 AND a.subject_id = $2
          ORDER BY a.relationship, k.name NULLS FIRST, a.competency_id",
    )
    .bind(cycle)
    .bind(subject)
    .fetch_all(db.conn())
    .await?;
    let gaps: Vec<Feedback360Gap> = sqlx::query_as(
        "SELECT g.competency_id, k.name AS competency_name, g.self_rating, g.others_rating, g.gap, g.classification
           FROM feedback_360_gap_analyses g JOIN competencies k ON k.tenant_id = g.tenant_id AND k.id = g.competency_id
          WHERE g.cycle_id = $1 AND g.subject_id = $2 ORDER BY k.name, g.competency_id",
    )
    .bind(cycle)
    .bind(subject)
    .fetch_all(db.conn())
    .await?;
    let comments: Vec<Feedback360Comment> = sqlx::query_as(
        "SELECT relationship, question_id, prompt, answer_text FROM pms_feedback_360_comments($1, $2)",
    )
    .bind(cycle)
    .bind(subject)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(Feedback360ReportResponse {
        cycle_id: cycle,
        subject_id: subject,
        min_respondents: c.min_respondents,
        groups,
        gaps,
        comments,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Feedback360ReportQuery {
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// One subject's report in the list of a cycle's reports: the scores of every rater group
/// over all rating questions (per competency: the subject's report).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Feedback360ReportSummary {
    pub subject_id: Uuid,
    pub subject_name: String,
    /// Per rater group, over every rating question (`competency_id` absent), as in the
    /// subject's report: a withheld group has no score, and the subject does not see it.
    pub groups: Vec<Feedback360GroupScore>,
    /// How many of the groups are withheld (0 for the subject, who does not see them).
    pub withheld_groups: i32,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    subject_id: Uuid,
    subject_name: String,
    relationship: String,
    respondent_count: i16,
    average_rating: Option<Decimal>,
    withheld: bool,
    computed_at: OffsetDateTime,
}

/// The reports of a closed cycle that I may read (mine, those of the people below me and of
/// whom I am a FEEDBACK delegate; HR: all), by subject, paged.
#[utoipa::path(get, path = "/feedback-360/cycles/{id}/reports", tag = "feedback-360",
    params(("id" = Uuid, Path), Feedback360ReportQuery),
    responses((status = 200, body = Page<Feedback360ReportSummary>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "cycle_phase: the cycle is not closed yet", body = ErrorBody)))]
async fn list_reports(
    mut db: Db,
    ApiPath(cycle): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<Feedback360ReportQuery>,
) -> Result<Json<Page<Feedback360ReportSummary>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = p.after()?.map(|(_, id)| id);
    let c = fetch_cycle(db.conn(), cycle)
        .await?
        .ok_or(ApiError::NotFound)?;
    if c.status != "CLOSED" {
        return Err(ApiError::conflict(
            "cycle_phase",
            format!(
                "the cycle is {}: its reports exist once it is CLOSED",
                c.status
            ),
        ));
    }
    // The rows of feedback_360_aggregations are those the policy shows me (a subject does not
    // see their own withheld groups); pms_feedback_360_can_see_report is the report's rule.
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "WITH subjects AS (
             SELECT DISTINCT a.subject_id FROM feedback_360_aggregations a
              WHERE a.cycle_id = $1 AND a.competency_id IS NULL AND ($2::uuid IS NULL OR a.subject_id > $2)
                AND pms_feedback_360_can_see_report(a.subject_id)
              ORDER BY a.subject_id LIMIT $3)
         SELECT a.subject_id, coalesce(u.display_name, u.first_name || ' ' || u.last_name) AS subject_name,
                a.relationship, a.respondent_count,
                CASE WHEN a.is_suppressed THEN NULL ELSE a.average_rating END AS average_rating,
                a.is_suppressed AS withheld, a.computed_at
           FROM subjects s
           JOIN feedback_360_aggregations a ON a.subject_id = s.subject_id AND a.cycle_id = $1 AND a.competency_id IS NULL
           JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.subject_id
          ORDER BY a.subject_id, a.relationship",
    )
    .bind(cycle)
    .bind(after)
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    let mut items: Vec<Feedback360ReportSummary> = Vec::new();
    for r in rows {
        if items.last().is_none_or(|s| s.subject_id != r.subject_id) {
            items.push(Feedback360ReportSummary {
                subject_id: r.subject_id,
                subject_name: r.subject_name,
                groups: Vec::new(),
                withheld_groups: 0,
            });
        }
        if let Some(s) = items.last_mut() {
            s.withheld_groups += i32::from(r.withheld);
            s.groups.push(Feedback360GroupScore {
                relationship: r.relationship,
                competency_id: None,
                competency_name: None,
                respondent_count: r.respondent_count,
                average_rating: r.average_rating,
                withheld: r.withheld,
                computed_at: r.computed_at,
            });
        }
    }
    Ok(Json(page(items, limit, |s: &Feedback360ReportSummary| {
        (String::new(), s.subject_id)
    })))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Feedback360AggregateResponse {
    pub cycle_id: Uuid,
    /// Aggregation rows written (groups × competencies, ALL included).
    pub rows: i32,
}

/// Aggregates a closed cycle again (HR), replacing its aggregations and gap analyses.
#[utoipa::path(post, path = "/feedback-360/cycles/{id}/aggregate", tag = "feedback-360", params(("id" = Uuid, Path)),
    responses((status = 200, body = Feedback360AggregateResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "cycle_phase: the cycle is not closed", body = ErrorBody)))]
async fn aggregate(
    mut db: Db,
    ApiPath(cycle): ApiPath<Uuid>,
) -> Result<Json<Feedback360AggregateResponse>, ApiError> {
    fetch_cycle(db.conn(), cycle)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.auth().require_hr()?;
    let rows: i32 = sqlx::query_scalar("SELECT pms_feedback_360_aggregate($1, now())")
        .bind(cycle)
        .fetch_one(db.conn())
        .await
        .map_err(refused)?;
    db.commit().await?;
    Ok(Json(Feedback360AggregateResponse {
        cycle_id: cycle,
        rows,
    }))
}
