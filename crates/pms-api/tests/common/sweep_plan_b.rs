//! The plan of the IDOR sweep (b) (`tests/idor_sweep_b.rs`): the tables it fingerprints, the kinds
//! of record it targets, and the requests it sends naming one record of a kind.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::sweep::{PLACEHOLDER, Req};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// The fewest requests the sweep may send (its binary asserts it).
pub const FLOOR: usize = 1650;

/// The kinds of record the sweep targets (each must get at least one target).
pub const KINDS: &[&str] = &[
    "person",
    "recommendation",
    "decision",
    "plan",
    "department",
    "team",
    "survey",
    "model",
    "tenant",
];

pub const TABLES: &[&str] = &[
    "promotion_recommendations",
    "promotion_decisions",
    "succession_plans",
    "succession_candidates",
    "ml_models",
    "ml_model_predictions",
    "organizational_health_metrics",
    "department_health_metrics",
    "engagement_surveys",
    "survey_questions",
    "survey_responses",
    "survey_participations",
    "pulse_responses",
    "engagement_scores",
    "metric_ingestions",
    "performance_metrics_ts",
    "engagement_metrics_ts",
];

pub struct Ctx {
    pub me: Uuid,
    pub model: Uuid,
    /// A person of each candidate list, for the successor requests.
    pub any_candidate: Uuid,
}

pub fn requests(kind: &str, id: Uuid, c: &Ctx) -> Vec<Req> {
    let b = |v: Value| Some(v);
    match kind {
        "person" => vec![
            (
                Method::GET,
                format!("/api/v1/people/{id}/promotion-score?as_of=2026-06-01"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/people/{id}/predictions"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/people/{id}/predictions/ATTRITION_RISK"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/people/{id}/metrics/recent"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/people/{id}/engagement/trend"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/metrics/rollups?rollup=daily&grain=user&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/engagement/scores?grain=user&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/promotion-recommendations?user_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/promotion-decisions?employee_id={id}"),
                None,
            ),
            (
                Method::POST,
                "/api/v1/promotion-recommendations".into(),
                b(json!({"user_id": id})),
            ),
            (
                Method::POST,
                "/api/v1/promotion-decisions".into(),
                b(
                    json!({"employee_id": id, "to_level": 19, "to_title": "pwned", "effective_date": "2026-09-01"}),
                ),
            ),
            (
                Method::POST,
                "/api/v1/ml/predictions".into(),
                b(
                    json!({"user_id": id, "model_id": c.model, "prediction_type": "ATTRITION_RISK", "score": 0.99}),
                ),
            ),
        ],
        "recommendation" => vec![(
            Method::GET,
            format!("/api/v1/promotion-recommendations/{id}"),
            None,
        )],
        "decision" => vec![
            (
                Method::GET,
                format!("/api/v1/promotion-decisions/{id}"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/promotion-decisions/{id}/transition"),
                b(json!({"status": "APPROVED"})),
            ),
            (
                Method::POST,
                format!("/api/v1/promotion-decisions/{id}/transition"),
                b(json!({"status": "REJECTED"})),
            ),
            (
                Method::POST,
                format!("/api/v1/promotion-decisions/{id}/transition"),
                b(json!({"status": "EFFECTIVE"})),
            ),
        ],
        "plan" => vec![
            (Method::GET, format!("/api/v1/succession-plans/{id}"), None),
            (
                Method::POST,
                format!("/api/v1/succession-plans/{id}/successors"),
                b(json!({"candidate_id": c.me, "readiness": "READY_NOW"})),
            ),
            (
                Method::DELETE,
                format!(
                    "/api/v1/succession-plans/{id}/successors/{}",
                    c.any_candidate
                ),
                None,
            ),
        ],
        "department" => vec![
            (
                Method::GET,
                format!("/api/v1/departments/{id}/health"),
                None,
            ),
            (
                Method::PUT,
                format!("/api/v1/departments/{id}/health/inputs"),
                b(json!({"period_start": "2026-01-01", "values": {"culture": 1}})),
            ),
            (
                Method::GET,
                format!("/api/v1/metrics/rollups?rollup=daily&grain=department&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/engagement/scores?grain=department&subject_id={id}"),
                None,
            ),
        ],
        "team" => vec![
            (
                Method::GET,
                format!("/api/v1/metrics/rollups?rollup=monthly&grain=team&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/engagement/scores?grain=team&subject_id={id}"),
                None,
            ),
        ],
        "survey" => vec![
            (Method::GET, format!("/api/v1/surveys/{id}"), None),
            (Method::GET, format!("/api/v1/surveys/{id}/results"), None),
            (
                Method::GET,
                format!("/api/v1/surveys/{id}/results?by=department"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/surveys/{id}/transition"),
                b(json!({"status": "CLOSED"})),
            ),
            (
                Method::POST,
                format!("/api/v1/surveys/{id}/responses"),
                b(json!({"answers": [{"question_id": id, "rating": 1}]})),
            ),
            (
                Method::POST,
                "/api/v1/pulse".into(),
                b(json!({"survey_id": id, "mood": 1})),
            ),
        ],
        "model" => vec![(
            Method::POST,
            "/api/v1/ml/predictions".into(),
            b(
                json!({"user_id": c.me, "model_id": id, "prediction_type": "ATTRITION_RISK", "score": 0.5}),
            ),
        )],
        "tenant" => vec![
            (
                Method::GET,
                format!("/api/v1/metrics/rollups?rollup=monthly&grain=tenant&subject_id={id}"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/engagement/scores?grain=tenant&subject_id={id}"),
                None,
            ),
        ],
        _ => unreachable!(),
    }
}

/// Every request the plan can send, with stand-in ids (for the coverage test).
pub fn all_requests() -> Vec<Req> {
    KINDS
        .iter()
        .flat_map(|kind| {
            requests(
                kind,
                PLACEHOLDER,
                &Ctx {
                    me: PLACEHOLDER,
                    model: PLACEHOLDER,
                    any_candidate: PLACEHOLDER,
                },
            )
        })
        .collect()
}
