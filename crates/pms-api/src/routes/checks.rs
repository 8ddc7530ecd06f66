//! Input checks and the translation of workflow refusals shared by the one-on-one, PIP,
//! development and notification modules. The state machines live in PostgreSQL
//! (`076_api_a_workflows.sql`): a refused move raises P0001 with a HINT naming the reason,
//! which becomes a 409 with that code here; the transaction rolls back, so nothing changes.

use crate::error::{ApiError, FieldError};
use sqlx::postgres::PgDatabaseError;
use time::{Date, OffsetDateTime};

/// The reasons the workflow triggers give (their HINT), as the API's error codes.
const WORKFLOW_CODES: [&str; 4] = [
    "invalid_transition",
    "record_closed",
    "outcome_required",
    "out_of_range",
];

/// A database error of a workflow write: a trigger's refusal is a 409 with its reason's code;
/// anything else as [`ApiError::from`] says.
pub(crate) fn workflow(e: sqlx::Error) -> ApiError {
    if let sqlx::Error::Database(db) = &e
        && db.code().as_deref() == Some("P0001")
        && let Some(pg) = db.try_downcast_ref::<PgDatabaseError>()
        && let Some(code) = WORKFLOW_CODES
            .iter()
            .find(|c| pg.hint() == Some(**c))
            .copied()
    {
        return ApiError::conflict(code, pg.message().to_string());
    }
    ApiError::from(e)
}

/// Collects field errors, then fails with all of them at once.
#[derive(Default)]
pub(crate) struct Checks(Vec<FieldError>);

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, path: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(path, message));
    }

    /// Text of 1 to `max` characters, not blank, without NUL (PostgreSQL refuses it).
    pub fn text(&mut self, path: &str, v: &str, max: usize) {
        if v.trim().is_empty() || v.chars().count() > max || v.contains('\0') {
            self.push(path, format!("1 to {max} characters, not blank"));
        }
    }

    pub fn opt_text(&mut self, path: &str, v: Option<&str>, max: usize) {
        if let Some(v) = v {
            self.text(path, v, max);
        }
    }

    pub fn one_of(&mut self, path: &str, v: Option<&str>, allowed: &[&str]) {
        if let Some(v) = v
            && !allowed.contains(&v)
        {
            self.push(path, format!("one of {}", allowed.join(", ")));
        }
    }

    pub fn range(&mut self, path: &str, v: Option<i64>, lo: i64, hi: i64) {
        if let Some(v) = v
            && !(lo..=hi).contains(&v)
        {
            self.push(path, format!("from {lo} to {hi}"));
        }
    }

    pub fn date(&mut self, path: &str, v: Option<Date>) {
        if let Some(d) = v
            && !(1900..=2200).contains(&d.year())
        {
            self.push(path, "a date between 1900 and 2200");
        }
    }

    pub fn instant(&mut self, path: &str, v: Option<OffsetDateTime>) {
        if let Some(t) = v
            && !(1900..=2200).contains(&t.year())
        {
            self.push(path, "a time between 1900 and 2200");
        }
    }

    pub fn done(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(self.0))
        }
    }
}

/// A list filter's value that must be one of `allowed`: a 400 naming the parameter.
pub(crate) fn query_one_of(name: &str, v: Option<&str>, allowed: &[&str]) -> Result<(), ApiError> {
    match v {
        Some(v) if !allowed.contains(&v) => Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("{name} must be one of {}", allowed.join(", ")),
            fields: vec![FieldError::new(name, "unknown value")],
        }),
        _ => Ok(()),
    }
}

/// Whether a person exists in the caller's tenant (every member of a tenant may see who its
/// people are; another tenant's are invisible, so they do not exist here).
pub(crate) async fn person_exists(
    conn: &mut sqlx::PgConnection,
    id: uuid::Uuid,
) -> Result<bool, ApiError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL AND status <> 'TERMINATED')",
    )
    .bind(id)
    .fetch_one(conn)
    .await?)
}
