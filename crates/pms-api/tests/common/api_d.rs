//! Helpers of the 360 feedback tests: a published questionnaire on two demo competencies, a
//! launched cycle, nominations, and counts as `pms_app` acting as a person.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::{Api, Resp};
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

/// The questions of the test questionnaire.
pub struct Questions {
    pub id: Uuid,
    /// RATING, Collaboration, required.
    pub collab: Uuid,
    /// RATING, Technical depth, required.
    pub tech: Uuid,
    /// TEXT, optional.
    pub open: Uuid,
}

impl Api {
    /// A demo competency's id by code.
    pub async fn competency(&self, code: &str) -> Uuid {
        sqlx::query_scalar("SELECT id FROM competencies WHERE tenant_id = $1 AND code = $2")
            .bind(tenant_id(&DEMO_COMPANY))
            .bind(code)
            .fetch_one(&self.db.maintenance)
            .await
            .unwrap()
    }

    /// A published questionnaire: two required RATING questions (Collaboration, Technical
    /// depth) and one optional TEXT question.
    pub async fn f360_questionnaire(&self, hr: &str, name: &str) -> Questions {
        let collab = self.competency("COLLABORATION").await;
        let tech = self.competency("TECH_DEPTH").await;
        let r = self
            .post(
                "/api/v1/feedback-360/questionnaires",
                hr,
                json!({"name": name, "questions": [
                    {"prompt": "Collaborates across teams", "competency_id": collab},
                    {"prompt": "Technical judgement", "competency_id": tech},
                    {"prompt": "What should they keep doing?", "answer_type": "TEXT", "is_required": false}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.id();
        let q = |i: usize| -> Uuid {
            r.body["questions"][i]["id"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap()
        };
        let (c, t, o) = (q(0), q(1), q(2));
        let p = self
            .post(
                &format!("/api/v1/feedback-360/questionnaires/{id}/transition"),
                hr,
                json!({"status": "PUBLISHED"}),
            )
            .await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        Questions {
            id,
            collab: c,
            tech: t,
            open: o,
        }
    }

    /// A DRAFT cycle of the questionnaire.
    pub async fn f360_draft(&self, hr: &str, q: Uuid, min: i16, forbid: bool) -> Uuid {
        let r = self
            .post(
                "/api/v1/feedback-360/cycles",
                hr,
                json!({"name": "360 test round", "questionnaire_id": q, "min_respondents": min,
                       "forbid_rating_managers": forbid, "opens_on": "2026-09-01", "closes_on": "2026-09-30"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["status"], "DRAFT");
        r.id()
    }

    /// Moves a cycle, expecting success.
    pub async fn f360_move(&self, hr: &str, cycle: Uuid, status: &str) {
        let r = self
            .post(
                &format!("/api/v1/feedback-360/cycles/{cycle}/transition"),
                hr,
                json!({ "status": status }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "to {status}: {}", r.body);
    }

    /// A launched (NOMINATING) cycle.
    pub async fn f360_cycle(&self, hr: &str, q: Uuid, min: i16, forbid: bool) -> Uuid {
        let id = self.f360_draft(hr, q, min, forbid).await;
        self.f360_move(hr, id, "NOMINATING").await;
        id
    }

    pub async fn f360_nominate(
        &self,
        token: &str,
        cycle: Uuid,
        subject: Uuid,
        nominee: Uuid,
        relationship: &str,
    ) -> Resp {
        self.post(
            &format!("/api/v1/feedback-360/cycles/{cycle}/nominations"),
            token,
            json!({"subject_id": subject, "nominee_id": nominee, "relationship": relationship}),
        )
        .await
    }

    /// A count as `pms_app` in a demo-company transaction acting as `user` (what the
    /// database's policies let them see).
    pub async fn count_as(&self, user: Uuid, sql: &str) -> i64 {
        let mut tx = pms_db::TenantTx::begin(
            &self.db.app,
            pms_core::TenantId(tenant_id(&DEMO_COMPANY)),
            Some(pms_core::UserId(user)),
        )
        .await
        .unwrap();
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&mut **tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        n
    }
}
