//! The plan of the IDOR sweep (a) (`tests/idor_sweep_a.rs`): the tables it fingerprints, the kinds
//! of record it targets, and the requests it sends naming one record of a kind.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::demo_user;
use super::sweep::{PLACEHOLDER, Req};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// The fewest requests the sweep may send (its binary asserts it).
pub const FLOOR: usize = 1100;

/// The kinds of record the sweep targets (each must get at least one target).
pub const KINDS: &[&str] = &[
    "meeting",
    "agenda",
    "action",
    "pip",
    "milestone",
    "template",
    "plan",
    "activity",
    "checkpoint",
    "career_path",
    "notification",
    "person",
];

pub const TABLES: &[&str] = &[
    "one_on_ones",
    "one_on_one_agenda_items",
    "one_on_one_action_items",
    "one_on_one_private_notes",
    "performance_improvement_plans",
    "pip_milestones",
    "pip_check_ins",
    "pip_templates",
    "development_plans",
    "development_activities",
    "development_checkpoints",
    "notifications",
    "notification_preferences",
    "api_idempotency_keys",
];

/// The requests that name `id` (a record of `kind`, or its parent and itself).
pub fn requests(kind: &str, id: Uuid, parent: Uuid) -> Vec<Req> {
    let b = |v: Value| Some(v);
    let day = "2026-08-10";
    match kind {
        "meeting" => vec![
            (Method::GET, format!("/api/v1/one-on-ones/{id}"), None),
            (
                Method::PATCH,
                format!("/api/v1/one-on-ones/{id}"),
                b(json!({"shared_notes": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/one-on-ones/{id}/complete"),
                b(json!({})),
            ),
            (
                Method::POST,
                format!("/api/v1/one-on-ones/{id}/cancel"),
                b(json!({"reason": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/one-on-ones/{id}/agenda"),
                b(json!({"topic": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/one-on-ones/{id}/action-items"),
                b(json!({"assignee_id": id, "description": "pwned"})),
            ),
            (
                Method::GET,
                format!("/api/v1/one-on-ones/{id}/private-note"),
                None,
            ),
            (
                Method::PUT,
                format!("/api/v1/one-on-ones/{id}/private-note"),
                b(json!({"body": "pwned"})),
            ),
            (
                Method::DELETE,
                format!("/api/v1/one-on-ones/{id}/private-note"),
                None,
            ),
        ],
        "agenda" => vec![
            (
                Method::PATCH,
                format!("/api/v1/one-on-ones/{parent}/agenda/{id}"),
                b(json!({"topic": "pwned"})),
            ),
            (
                Method::DELETE,
                format!("/api/v1/one-on-ones/{parent}/agenda/{id}"),
                None,
            ),
        ],
        "action" => vec![(
            Method::PATCH,
            format!("/api/v1/one-on-ones/{parent}/action-items/{id}"),
            b(json!({"done": true})),
        )],
        "pip" => vec![
            (Method::GET, format!("/api/v1/pips/{id}"), None),
            (
                Method::PATCH,
                format!("/api/v1/pips/{id}"),
                b(json!({"reason": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/pips/{id}/transition"),
                b(json!({"status": "CANCELLED", "note": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/pips/{id}/milestones"),
                b(json!({"description": "pwned", "due_date": day})),
            ),
            (
                Method::POST,
                format!("/api/v1/pips/{id}/check-ins"),
                b(json!({"check_in_date": day, "progress_rating": "ON_TRACK"})),
            ),
        ],
        "milestone" => vec![(
            Method::PATCH,
            format!("/api/v1/pips/{parent}/milestones/{id}"),
            b(json!({"status": "WAIVED"})),
        )],
        "template" => vec![
            (Method::GET, format!("/api/v1/pip-templates/{id}"), None),
            (
                Method::POST,
                "/api/v1/pips".into(),
                b(
                    json!({"employee_id": demo_user("employee"), "template_id": id, "reason": "x", "starts_on": day}),
                ),
            ),
        ],
        "plan" => vec![
            (Method::GET, format!("/api/v1/development-plans/{id}"), None),
            (
                Method::PATCH,
                format!("/api/v1/development-plans/{id}"),
                b(json!({"title": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/development-plans/{id}/activities"),
                b(json!({"title": "pwned"})),
            ),
            (
                Method::POST,
                format!("/api/v1/development-plans/{id}/checkpoints"),
                b(json!({"scheduled_on": day})),
            ),
        ],
        "activity" => vec![(
            Method::PATCH,
            format!("/api/v1/development-plans/{parent}/activities/{id}"),
            b(json!({"status": "DONE"})),
        )],
        "checkpoint" => vec![(
            Method::POST,
            format!("/api/v1/development-plans/{parent}/checkpoints/{id}/complete"),
            b(json!({"notes": "pwned"})),
        )],
        "career_path" => vec![(
            Method::POST,
            "/api/v1/development-plans".into(),
            b(json!({"title": "x", "career_path_id": id, "starts_on": day})),
        )],
        "notification" => vec![
            (Method::GET, format!("/api/v1/notifications/{id}"), None),
            (
                Method::POST,
                format!("/api/v1/notifications/{id}/read"),
                None,
            ),
        ],
        "person" => vec![
            (
                Method::GET,
                format!("/api/v1/people/{id}/career-suggestions"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/one-on-ones?person_id={id}"),
                None,
            ),
            (Method::GET, format!("/api/v1/pips?employee_id={id}"), None),
            (
                Method::GET,
                format!("/api/v1/development-plans?employee_id={id}"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/one-on-ones".into(),
                b(json!({"employee_id": id, "scheduled_at": "2026-09-01T10:00:00Z"})),
            ),
            (
                Method::POST,
                "/api/v1/pips".into(),
                b(
                    json!({"employee_id": id, "reason": "x", "starts_on": day, "ends_on": "2026-10-01"}),
                ),
            ),
            (
                Method::POST,
                "/api/v1/development-plans".into(),
                b(json!({"employee_id": id, "title": "x", "starts_on": day})),
            ),
        ],
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
