//! 360-degree feedback (issue 20, item 3): questionnaires and cycles run by HR
//! (`feedback_360/questionnaires.rs`, `cycles.rs`), nominations of raters with the
//! conflict-of-interest check and their approval (`nominations.rs`), the raters' requests and
//! answers (`requests.rs`), and the aggregated report with its anonymity threshold and the gap
//! analysis (`report.rs`).
//!
//! Who sees what is PostgreSQL's decision (`079_api_d_00_visibility.sql`): a rater sees their
//! own requests and answers only; the subject, their chain and HR read the aggregated report,
//! never one person's answers. The state machines and the checks are triggers
//! (`079_api_d_01_workflows.sql`): a refusal raises a HINT that becomes the error's code here.

mod cycles;
mod nominations;
mod questionnaires;
mod report;
mod requests;

use crate::error::ApiError;
use crate::state::AppState;
use sqlx::postgres::PgDatabaseError;
use utoipa_axum::router::OpenApiRouter;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(questionnaires::router())
        .merge(cycles::router())
        .merge(nominations::router())
        .merge(requests::router())
        .merge(report::router())
}

/// The rater groups of a nomination (and of the aggregation, which adds ALL).
pub(crate) const RELATIONSHIPS: [&str; 6] = [
    "MANAGER",
    "PEER",
    "DIRECT_REPORT",
    "SELF",
    "EXTERNAL",
    "OTHER",
];

/// The reasons the 360 triggers give (their HINT) that are a 409.
const CONFLICT_CODES: [&str; 5] = [
    "invalid_transition",
    "record_closed",
    "cycle_phase",
    "questionnaire_not_ready",
    "conflict_of_interest",
];

/// A database error of a 360 write: a trigger's refusal becomes its code (409 for the state of
/// things, 403 for who may not, 422 for what is wrong with the request); anything else as
/// [`ApiError::from`] says. The transaction rolls back, so nothing changes.
pub(crate) fn refused(e: sqlx::Error) -> ApiError {
    if let sqlx::Error::Database(db) = &e
        && db.code().as_deref() == Some("P0001")
        && let Some(pg) = db.try_downcast_ref::<PgDatabaseError>()
        && let Some(hint) = pg.hint()
    {
        let message = pg.message().to_string();
        if let Some(code) = CONFLICT_CODES.iter().find(|c| **c == hint).copied() {
            return ApiError::conflict(code, message);
        }
        match hint {
            "not_approver" | "not_rater" => return ApiError::Forbidden(message),
            "self_as_rater" => {
                return ApiError::Unprocessable {
                    code: "self_as_rater",
                    fields: vec![crate::error::FieldError::new("relationship", &message)],
                    message,
                };
            }
            "answers_missing" => {
                return ApiError::Unprocessable {
                    code: "answers_missing",
                    message,
                    fields: Vec::new(),
                };
            }
            _ => {}
        }
    }
    ApiError::from(e)
}
