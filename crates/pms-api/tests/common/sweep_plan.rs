//! The plan of the IDOR sweep (part 1) (`tests/idor_sweep.rs`): the tables it fingerprints, the kinds
//! of record it targets, and the requests it sends naming one record of a kind.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::sweep::{PLACEHOLDER, Req};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// The fewest requests the sweep may send (its binary asserts it).
pub const FLOOR: usize = 1200;

/// The kinds of record the sweep targets (each must get at least one target).
pub const KINDS: &[&str] = &[
    "person",
    "department",
    "team",
    "goal",
    "cycle",
    "review",
    "session",
];

pub const TABLES: &[&str] = &[
    "users",
    "departments",
    "teams",
    "goals",
    "key_results",
    "goal_progress_updates",
    "review_cycles",
    "performance_reviews",
    "calibration_ratings",
    "feedback",
    "api_idempotency_keys",
];

/// The requests that name `id` as the thing acted on or referred to.
pub fn requests(kind: &str, id: Uuid) -> Vec<Req> {
    let body = |v: Value| Some(v);
    match kind {
        "person" => vec![
            (Method::GET, format!("/api/v1/people/{id}"), None),
            (
                Method::PATCH,
                format!("/api/v1/people/{id}"),
                body(json!({"job_title": "pwned"})),
            ),
            (Method::DELETE, format!("/api/v1/people/{id}"), None),
            (Method::GET, format!("/api/v1/people/{id}/reports"), None),
            (Method::GET, format!("/api/v1/people/{id}/chain"), None),
            (Method::GET, format!("/api/v1/people?manager_id={id}"), None),
            (Method::GET, format!("/api/v1/goals?owner_id={id}"), None),
            (
                Method::GET,
                format!("/api/v1/reviews?reviewee_id={id}"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/goals".into(),
                body(
                    json!({"title": "x", "owner_id": id, "period_start": "2026-01-01", "period_end": "2026-02-01"}),
                ),
            ),
            (
                Method::POST,
                "/api/v1/feedback".into(),
                body(json!({"recipient_id": id, "body": "hello"})),
            ),
            (
                Method::POST,
                "/api/v1/feedback/requests".into(),
                body(json!({"from_id": id, "message": "please"})),
            ),
        ],
        "department" => vec![
            (Method::GET, format!("/api/v1/departments/{id}"), None),
            (
                Method::GET,
                format!("/api/v1/people?department_id={id}"),
                None,
            ),
        ],
        "team" => vec![(Method::GET, format!("/api/v1/teams/{id}"), None)],
        "goal" => vec![
            (Method::GET, format!("/api/v1/goals/{id}"), None),
            (
                Method::PATCH,
                format!("/api/v1/goals/{id}"),
                body(json!({"title": "pwned"})),
            ),
            (Method::DELETE, format!("/api/v1/goals/{id}"), None),
            (
                Method::POST,
                format!("/api/v1/goals/{id}/progress"),
                body(json!({"progress": 1})),
            ),
            (Method::GET, format!("/api/v1/goals/{id}/tree"), None),
            (
                Method::POST,
                format!("/api/v1/goals/{id}/key-results"),
                body(json!({"title": "x", "target_value": 1})),
            ),
            (
                Method::POST,
                "/api/v1/goals".into(),
                body(
                    json!({"title": "x", "parent_id": id, "period_start": "2026-01-01", "period_end": "2026-02-01"}),
                ),
            ),
        ],
        "cycle" => vec![
            (Method::GET, format!("/api/v1/review-cycles/{id}"), None),
            (
                Method::POST,
                format!("/api/v1/review-cycles/{id}/transition"),
                body(json!({"status": "CANCELLED"})),
            ),
            (Method::GET, format!("/api/v1/reviews?cycle_id={id}"), None),
        ],
        "review" => vec![
            (Method::GET, format!("/api/v1/reviews/{id}"), None),
            (
                Method::PATCH,
                format!("/api/v1/reviews/{id}"),
                body(json!({"summary": "pwned"})),
            ),
            (Method::POST, format!("/api/v1/reviews/{id}/submit"), None),
            (
                Method::POST,
                format!("/api/v1/reviews/{id}/calibrate"),
                body(json!({"session_id": id, "rating": 1, "rationale": "x"})),
            ),
            (Method::POST, format!("/api/v1/reviews/{id}/share"), None),
            (
                Method::POST,
                format!("/api/v1/reviews/{id}/acknowledge"),
                None,
            ),
        ],
        "session" => vec![(Method::DELETE, format!("/api/v1/auth/sessions/{id}"), None)],
        _ => unreachable!(),
    }
}

/// Every request the plan can send, with stand-in ids (for the coverage test).
pub fn all_requests() -> Vec<Req> {
    KINDS
        .iter()
        .flat_map(|kind| requests(kind, PLACEHOLDER))
        .collect()
}
