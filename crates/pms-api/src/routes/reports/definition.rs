//! One report definition: reading it, changing it and deleting it. Who may is PostgreSQL's
//! (`079_api_e_01_visibility.sql`): a definition is read by its owner, HR and — when shared —
//! everyone in the tenant, and changed by its owner only (403 for a reader who is not the
//! owner, 404 for anyone else). What a deletion takes with it is the database's too
//! (`081_api_f_01_reports.sql`): its schedules and every run of it go in the same transaction.

use super::{
    ReportDefinitionResponse, ReportParameters, check_department, check_parameters, check_text,
    fetch_definition,
};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::routes::promotions::{check_one_of, done};
use crate::routes::versions::{IfMatch, etag_header, version_matches};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(
        get_definition,
        update_definition,
        delete_definition
    ))
}

/// One report definition.
#[utoipa::path(get, path = "/reports/definitions/{id}", tag = "reports", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReportDefinitionResponse), (status = 404, body = ErrorBody)))]
async fn get_definition(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let d = fetch_definition(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(d.updated_at)], Json(d)).into_response())
}

/// The definition, when the caller owns it: 404 when they may not see it, 403 when they see it
/// (shared, or HR) without owning it.
async fn owned(db: &mut Db, id: Uuid, what: &str) -> Result<ReportDefinitionResponse, ApiError> {
    let d = fetch_definition(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if d.owner_id != Some(db.auth().user.as_uuid()) {
        return Err(ApiError::Forbidden(format!(
            "only the owner of a report {what} it"
        )));
    }
    Ok(d)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReportDefinitionRequest {
    /// 1 to 200 characters, unique among my reports.
    pub name: Option<String>,
    /// Any type of `POST /reports/definitions`; the parameters are checked against it.
    pub report_type: Option<String>,
    /// Replaces the parameters (absent: kept, and checked against a new type).
    pub definition: Option<ReportParameters>,
    pub is_shared: Option<bool>,
}

/// Changes a report definition of mine: its name, type, parameters and sharing. Runs made
/// before keep what they computed. Honors `If-Match`.
#[utoipa::path(patch, path = "/reports/definitions/{id}", tag = "reports", request_body = UpdateReportDefinitionRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = ReportDefinitionResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn update_definition(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateReportDefinitionRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if let Some(n) = &req.name {
        check_text(&mut f, "name", n, 200);
    }
    check_one_of(
        &mut f,
        "report_type",
        req.report_type.as_deref(),
        &super::REPORT_KINDS,
    );
    done(f)?;
    let current = owned(&mut db, id, "changes").await?;
    let kind = req.report_type.as_deref().unwrap_or(&current.report_type);
    let params: ReportParameters = match &req.definition {
        Some(p) => p.clone(),
        // Kept parameters of an older shape are kept as they are, unless the type changes.
        None => match serde_json::from_value(current.definition.clone()) {
            Ok(p) => p,
            Err(_) if req.report_type.is_none() => ReportParameters::default(),
            Err(_) => {
                return Err(ApiError::field(
                    "definition",
                    "the kept parameters do not fit the new type: send new ones",
                ));
            }
        },
    };
    let mut f = Vec::new();
    check_parameters(&mut f, kind, &params);
    done(f)?;
    check_department(db.conn(), &params).await?;
    if let Some(n) = &req.name {
        let taken: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM report_definitions
                             WHERE owner_id = pms_current_user_id() AND name = $1 AND id <> $2 AND deleted_at IS NULL)",
        )
        .bind(n.trim())
        .bind(id)
        .fetch_one(db.conn())
        .await?;
        if taken {
            return Err(ApiError::conflict(
                "already_exists",
                "I already have a report of that name",
            ));
        }
    }
    let definition = match &req.definition {
        Some(p) => Some(serde_json::to_value(p).map_err(ApiError::internal)?),
        None => None,
    };
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE report_definitions SET name = coalesce($2, name), report_type = coalesce($3, report_type),
                definition = coalesce($4, definition), is_shared = coalesce($5, is_shared)
          WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(6)
    )))
    .bind(id)
    .bind(req.name.as_deref().map(str::trim))
    .bind(req.report_type.as_deref())
    .bind(definition)
    .bind(req.is_shared)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let d = fetch_definition(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(d.updated_at)], Json(d)).into_response())
}

/// Deletes a report definition of mine. Its schedules and every run of it — mine and, for a
/// shared report, the others' — are deleted with it, by the database. Honors `If-Match`.
#[utoipa::path(delete, path = "/reports/definitions/{id}", tag = "reports",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 412, body = ErrorBody)))]
async fn delete_definition(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    owned(&mut db, id, "deletes").await?;
    let deleted: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE report_definitions SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(2)
    )))
    .bind(id)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    deleted.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
