//! The plan of the IDOR sweep (c) (`tests/idor_sweep_c.rs`): the tables it fingerprints, the kinds
//! of record it targets, and the requests it sends naming one record of a kind.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::sweep::{PLACEHOLDER, Req};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// The fewest requests the sweep may send (its binary asserts it).
pub const FLOOR: usize = 900;

/// The kinds of record the sweep targets (each must get at least one target).
pub const KINDS: &[&str] = &["session", "cycle", "person", "department", "team", "hold"];

pub const TABLES: &[&str] = &[
    "review_cycles",
    "performance_reviews",
    "calibration_sessions",
    "calibration_participants",
    "calibration_ratings",
    "users",
    "user_roles",
    "departments",
    "teams",
    "legal_holds",
    "retention_policy_overrides",
    "api_idempotency_keys",
];

/// The requests that name `id`, a record of `kind` (`other` is a second id of the same tenant).
pub fn requests(kind: &str, id: Uuid, other: Uuid) -> Vec<Req> {
    let b = |v: Value| Some(v);
    match kind {
        "session" => vec![
            (
                Method::GET,
                format!("/api/v1/calibration/sessions/{id}"),
                None,
            ),
            (
                Method::PATCH,
                format!("/api/v1/calibration/sessions/{id}"),
                b(json!({"name": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/calibration/sessions/{id}/transition"),
                b(json!({"status": "CANCELLED"})),
            ),
            (
                Method::GET,
                format!("/api/v1/calibration/sessions/{id}/participants"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/calibration/sessions/{id}/participants"),
                b(json!({"user_id": other})),
            ),
            (
                Method::DELETE,
                format!("/api/v1/calibration/sessions/{id}/participants/{other}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/calibration/sessions/{id}/ratings"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/calibration/sessions/{id}/ratings"),
                b(json!({"review_id": other, "rating": 1, "rationale": "pwned"})),
            ),
            (
                Method::GET,
                format!("/api/v1/calibration/sessions/{id}/distribution"),
                None,
            ),
        ],
        "cycle" => vec![
            (
                Method::GET,
                format!("/api/v1/review-cycles/{id}/calibration-grid"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/review-cycles/{id}/calibration/finalize"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/calibration/sessions".into(),
                b(json!({"cycle_id": id, "name": "pwned"})),
            ),
            (
                Method::GET,
                format!("/api/v1/calibration/sessions?cycle_id={id}"),
                None,
            ),
        ],
        "person" => vec![
            (
                Method::POST,
                format!("/api/v1/admin/users/{id}/disable"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/admin/users/{id}/enable"),
                None,
            ),
            (
                Method::PUT,
                format!("/api/v1/admin/users/{id}/manager"),
                b(json!({"manager_id": null})),
            ),
            (
                Method::PUT,
                format!("/api/v1/admin/users/{id}/department"),
                b(json!({"department_id": null})),
            ),
            (Method::GET, format!("/api/v1/admin/users/{id}/roles"), None),
            (
                Method::POST,
                format!("/api/v1/admin/users/{id}/roles"),
                b(json!({"role": "MANAGER"})),
            ),
            (
                Method::DELETE,
                format!("/api/v1/admin/users/{id}/roles/EMPLOYEE"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/admin/users/{id}/erasure-request"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/admin/users/{id}/erasure"),
                b(json!({"confirmation": "00"})),
            ),
            (
                Method::GET,
                format!("/api/v1/admin/audit/people/{id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/admin/audit/entities/User/{id}"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/admin/legal-holds".into(),
                b(json!({"scope": "PERSON", "person_id": id, "reason": "pwned"})),
            ),
        ],
        "department" => vec![
            (
                Method::PATCH,
                format!("/api/v1/admin/departments/{id}"),
                b(json!({"name": "pwned"})),
            ),
            (
                Method::POST,
                "/api/v1/admin/teams".into(),
                b(json!({"code": "PWN", "name": "pwned", "department_id": id})),
            ),
        ],
        "team" => vec![(
            Method::PATCH,
            format!("/api/v1/admin/teams/{id}"),
            b(json!({"name": "pwned"})),
        )],
        "hold" => vec![(
            Method::POST,
            format!("/api/v1/admin/legal-holds/{id}/release"),
            None,
        )],
        _ => unreachable!(),
    }
}

/// Every request the plan can send, with stand-in ids (for the coverage test).
pub fn all_requests() -> Vec<Req> {
    KINDS
        .iter()
        .flat_map(|kind| requests(kind, PLACEHOLDER, PLACEHOLDER))
        .collect()
}
