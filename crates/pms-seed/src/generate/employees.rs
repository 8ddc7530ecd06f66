//! The rows of a generated tenant's people, batch by batch: each person of the tree (see
//! [`super::plan`]) with roles, reporting line and team, goals and key results, two review cycles
//! with self and manager reviews, feedback and one-on-ones. Everything is a pure function of
//! (tenant, seed, employee index), so a batch rebuilt after an interruption is byte-for-byte the
//! batch that was lost.

use super::names::{FEEDBACK, FIRST, GOAL_TOPICS, LAST};
use super::plan::{Plan, SPAN, anchor};
use crate::copy_text::{CopyBuf, Rng};
use time::{Date, Duration};
use uuid::Uuid;

/// The COPY payloads of one batch, in load order.
pub struct Batch {
    pub tables: Vec<(&'static str, &'static str, CopyBuf)>,
}

fn ts(day: Date, hour: i64) -> String {
    format!("{day} {:02}:00:00+00", hour.clamp(0, 23))
}

/// Builds the people-and-activity rows of employees `from..to`.
pub fn employee_batch(plan: &Plan, from: u64, to: u64) -> Batch {
    let t = plan.tenant;
    let a = anchor();
    let mut users = CopyBuf::new();
    let mut user_roles = CopyBuf::new();
    let mut lines = CopyBuf::new();
    let mut teams = CopyBuf::new();
    let mut members = CopyBuf::new();
    let mut goals = CopyBuf::new();
    let mut krs = CopyBuf::new();
    let mut reviews = CopyBuf::new();
    let mut feedback = CopyBuf::new();
    let mut meetings = CopyBuf::new();
    for i in from..to {
        let mut r = Rng::stream(plan.seed, "employee", i);
        let uid = plan.user(i);
        let (first, last) = (*r.pick(FIRST), *r.pick(LAST));
        let depth = plan.depth(i);
        let manager = plan.parent(i);
        let leads = plan.has_reports(i);
        let level: i64 = match depth {
            0 => 12,
            1 => 10,
            2 => 9,
            _ if leads => r.range(6, 8),
            _ => r.range(2, 6),
        };
        let title = match (depth, leads) {
            (0, _) => "Chief Executive Officer",
            (1, _) => "Vice President",
            (2, _) => "Director",
            (_, true) => "Manager",
            _ => *r.pick(&[
                "Software Engineer",
                "Analyst",
                "Account Executive",
                "Designer",
                "Specialist",
            ]),
        };
        let dk = plan.department_key(i);
        let hire = a - Duration::days(r.range(30, 3650));
        users.raw(t).raw(uid).text(&format!(
            "{}.{}.{i}@{}.example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            plan.slug
        ));
        users
            .text(first)
            .text(last)
            .text(&format!("{first} {last}"))
            .text(&plan.password_hash)
            .text(title);
        users
            .text(&format!("G{i:07}"))
            .raw(plan.dept(dk))
            .raw(plan.unit(dk))
            .raw(plan.cost_center(dk))
            .opt(manager.map(|m| plan.user(m)));
        users
            .raw(level)
            .text(if r.chance(0.05) {
                "CONTRACTOR"
            } else {
                "FULL_TIME"
            })
            .text("ACTIVE")
            .raw(hire);
        users.end_row();
        let role = |code: &str, user_roles: &mut CopyBuf| {
            user_roles
                .raw(t)
                .raw(plan.ids.id("user_role", i, u64::from(code.as_bytes()[0])))
                .raw(uid)
                .raw(plan.role(code));
            user_roles.end_row();
        };
        role("EMPLOYEE", &mut user_roles);
        if leads {
            role("MANAGER", &mut user_roles);
            teams
                .raw(t)
                .raw(plan.team(i))
                .text(&format!("T{i}"))
                .text(&format!("{first} {last}'s team"))
                .raw(plan.dept(dk))
                .raw(uid);
            teams.end_row();
        }
        if let Some(m) = manager {
            lines
                .raw(t)
                .raw(plan.ids.id("line", i, 0))
                .raw(uid)
                .raw(plan.user(m))
                .raw(hire);
            lines.end_row();
            members
                .raw(t)
                .raw(plan.ids.id("team_member", i, 0))
                .raw(plan.team(m))
                .raw(uid)
                .raw(hire);
            members.end_row();
        }
        // Goals: two individual goals (H1, H2) under the manager's team goal; managers also own
        // a team goal (the CEO's is the company objective).
        if leads {
            let gid = plan.goal(i, 2);
            let kind = if depth == 0 { "COMPANY" } else { "TEAM" };
            goals
                .raw(t)
                .raw(gid)
                .raw(uid)
                .raw(plan.team(i))
                .raw(plan.dept(dk))
                .opt(manager.map(|m| plan.goal(m, 2)));
            goals
                .text(kind)
                .text("ACTIVE")
                .text(&format!("{} ({kind})", r.pick(GOAL_TOPICS)))
                .raw(a)
                .raw(a + Duration::days(364))
                .raw(r.range(10, 80));
            goals.end_row();
            key_results(&mut krs, plan, &mut r, (i, 2), uid, a + Duration::days(364));
        }
        for (sub, start, end) in [
            (0, a, a + Duration::days(180)),
            (1, a + Duration::days(181), a + Duration::days(364)),
        ] {
            let gid = plan.goal(i, sub);
            let status = *r.pick(&["ACTIVE", "ACTIVE", "AT_RISK", "COMPLETED", "DRAFT"]);
            let progress = if status == "COMPLETED" {
                100
            } else {
                r.range(0, 95)
            };
            goals
                .raw(t)
                .raw(gid)
                .raw(uid)
                .opt(manager.map(|m| plan.team(m)))
                .raw(plan.dept(dk));
            goals
                .opt(manager.map(|m| plan.goal(m, 2)))
                .text("INDIVIDUAL")
                .text(status)
                .text(r.pick::<&str>(GOAL_TOPICS))
                .raw(start)
                .raw(end)
                .raw(progress);
            goals.end_row();
            key_results(&mut krs, plan, &mut r, (i, sub), uid, end);
        }
        // Reviews: 2025 (completed, shared) and 2026 mid-year (in progress).
        let self_rating = r.range(25, 50) as f64 / 10.0;
        review(
            &mut reviews,
            plan,
            i,
            0,
            plan.cycle(2025),
            uid,
            Some(uid),
            "SELF",
            "SHARED",
            Some(self_rating),
        );
        if let Some(m) = manager {
            let rating = (self_rating + r.range(-8, 5) as f64 / 10.0).clamp(1.0, 5.0);
            review(
                &mut reviews,
                plan,
                i,
                1,
                plan.cycle(2025),
                uid,
                Some(plan.user(m)),
                "MANAGER",
                "SHARED",
                Some(rating),
            );
            review(
                &mut reviews,
                plan,
                i,
                3,
                plan.cycle(2026),
                uid,
                Some(plan.user(m)),
                "MANAGER",
                "NOT_STARTED",
                None,
            );
        }
        let submitted = r.chance(0.6);
        review(
            &mut reviews,
            plan,
            i,
            2,
            plan.cycle(2026),
            uid,
            Some(uid),
            "SELF",
            if submitted {
                "SUBMITTED"
            } else {
                "IN_PROGRESS"
            },
            submitted.then_some(self_rating),
        );
        // Feedback from the manager or a peer; one-on-ones with the manager every two weeks.
        if let Some(m) = manager {
            for k in 0..3u64 {
                let peer_first = m * SPAN + 1;
                let peer = peer_first + r.below(SPAN);
                // A peer loaded before this person in the same batch, so the foreign key holds
                // even while the previous batch is still loading on another connection.
                let giver = if k == 0 || peer >= i || peer < from {
                    m
                } else {
                    peer
                };
                let (kind, body) = *r.pick(FEEDBACK);
                let anonymous = kind == "CONSTRUCTIVE" && r.chance(0.3);
                let visibility = if anonymous {
                    "PRIVATE"
                } else if kind == "RECOGNITION" {
                    "PUBLIC"
                } else {
                    "MANAGER"
                };
                feedback
                    .raw(t)
                    .raw(plan.ids.id("feedback", i, k))
                    .opt((!anonymous).then(|| plan.user(giver)))
                    .raw(uid);
                feedback
                    .text(kind)
                    .text(visibility)
                    .raw(anonymous)
                    .text(body)
                    .raw(ts(a + Duration::days(r.range(0, 180)), r.range(8, 18)));
                feedback.end_row();
            }
            for k in 0..4u64 {
                let day = a + Duration::days(14 * k as i64 + (i % 10) as i64);
                let done = k < 3;
                meetings
                    .raw(t)
                    .raw(plan.ids.id("one_on_one", i, k))
                    .raw(plan.user(m))
                    .raw(uid)
                    .raw(ts(day, 9 + (i % 8) as i64));
                meetings
                    .text(if done { "COMPLETED" } else { "SCHEDULED" })
                    .text("BIWEEKLY");
                if done {
                    meetings.text("Progress on goals, blockers, growth.")
                } else {
                    meetings.null()
                };
                meetings.end_row();
            }
        }
    }
    Batch {
        tables: vec![
            (
                "users",
                "users (tenant_id, id, email, first_name, last_name, display_name, password_hash, job_title, employee_number, department_id, business_unit_id, cost_center_id, manager_id, level, employment_type, status, hire_date)",
                users,
            ),
            (
                "user_roles",
                "user_roles (tenant_id, id, user_id, role_id)",
                user_roles,
            ),
            (
                "reporting_lines",
                "reporting_lines (tenant_id, id, employee_id, manager_id, starts_on)",
                lines,
            ),
            (
                "teams",
                "teams (tenant_id, id, code, name, department_id, lead_id)",
                teams,
            ),
            (
                "team_members",
                "team_members (tenant_id, id, team_id, user_id, joined_on)",
                members,
            ),
            (
                "goals",
                "goals (tenant_id, id, owner_id, team_id, department_id, parent_id, goal_type, status, title, period_start, period_end, progress)",
                goals,
            ),
            (
                "key_results",
                "key_results (tenant_id, id, goal_id, owner_id, title, metric_type, target_value, current_value, status, due_date)",
                krs,
            ),
            (
                "performance_reviews",
                "performance_reviews (tenant_id, id, cycle_id, reviewee_id, reviewer_id, template_id, review_type, status, overall_rating)",
                reviews,
            ),
            (
                "feedback",
                "feedback (tenant_id, id, giver_id, recipient_id, feedback_type, visibility, is_anonymous, body, created_at)",
                feedback,
            ),
            (
                "one_on_ones",
                "one_on_ones (tenant_id, id, manager_id, employee_id, scheduled_at, status, recurrence, shared_notes)",
                meetings,
            ),
        ],
    }
}

/// Two key results of the goal `(person, goal number)`.
fn key_results(
    b: &mut CopyBuf,
    plan: &Plan,
    r: &mut Rng,
    (i, sub): (u64, u64),
    owner: Uuid,
    due: Date,
) {
    let goal = plan.goal(i, sub);
    for k in 0..2u64 {
        let target = r.range(5, 100);
        let current = r.range(0, target);
        let status = if current * 10 >= target * 7 {
            "ON_TRACK"
        } else if current * 10 >= target * 4 {
            "AT_RISK"
        } else {
            "OFF_TRACK"
        };
        b.raw(plan.tenant)
            .raw(plan.ids.id("key_result", i * 4 + sub, k))
            .raw(goal)
            .raw(owner);
        b.text(if k == 0 {
            "Milestones delivered"
        } else {
            "Adoption reached"
        })
        .text("NUMBER")
        .raw(target)
        .raw(current)
        .text(status)
        .raw(due);
        b.end_row();
    }
}

#[allow(clippy::too_many_arguments)]
fn review(
    b: &mut CopyBuf,
    plan: &Plan,
    i: u64,
    sub: u64,
    cycle: Uuid,
    reviewee: Uuid,
    reviewer: Option<Uuid>,
    kind: &str,
    status: &str,
    rating: Option<f64>,
) {
    b.raw(plan.tenant)
        .raw(plan.ids.id("review", i, sub))
        .raw(cycle)
        .raw(reviewee)
        .opt(reviewer)
        .raw(plan.template());
    b.text(kind)
        .text(status)
        .opt(rating.map(|x| format!("{x:.1}")));
    b.end_row();
}
