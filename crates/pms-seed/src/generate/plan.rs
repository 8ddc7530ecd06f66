//! The shape of a generated tenant: a CEO → managers → employees tree (span of control 8),
//! departments from the top two levels, a team per manager, and every row's id, all functions of
//! (tenant, seed, employee index) on a fixed calendar.

use super::options::{GenerateOptions, generated_tenant_id};
use crate::copy_text::Ids;
use crate::error::SeedError;
use time::{Date, Month};
use uuid::Uuid;

/// Direct reports per manager.
pub const SPAN: u64 = 8;

/// The fixed calendar of generated data (not "now"), so a seed gives the same rows any day.
pub fn anchor() -> Date {
    Date::from_calendar_date(2026, Month::January, 1).unwrap_or(Date::MIN)
}

/// The shape of one generated tenant.
#[derive(Debug, Clone)]
pub struct Plan {
    pub tenant: Uuid,
    pub slug: String,
    pub employees: u64,
    pub seed: u64,
    pub ids: Ids,
    pub password_hash: String,
}

impl Plan {
    pub fn parent(&self, i: u64) -> Option<u64> {
        (i > 0).then(|| (i - 1) / SPAN)
    }

    pub fn has_reports(&self, i: u64) -> bool {
        i * SPAN + 1 < self.employees
    }

    pub fn depth(&self, mut i: u64) -> u32 {
        let mut d = 0;
        while let Some(p) = self.parent(i) {
            i = p;
            d += 1;
        }
        d
    }

    /// The department of a person: EXEC for the CEO, the division (depth-1 head) for the CEO's
    /// reports, else the group of their depth-2 ancestor.
    pub fn department_key(&self, i: u64) -> u64 {
        let mut i = i;
        while self.depth(i) > 2 {
            i = self.parent(i).unwrap_or(0);
        }
        i
    }

    pub fn user(&self, i: u64) -> Uuid {
        self.ids.id("user", i, 0)
    }
    pub fn dept(&self, key: u64) -> Uuid {
        self.ids.id("dept", key, 0)
    }
    pub fn team(&self, manager: u64) -> Uuid {
        self.ids.id("team", manager, 0)
    }
    pub fn goal(&self, i: u64, sub: u64) -> Uuid {
        self.ids.id("goal", i, sub)
    }
    pub fn unit(&self, k: u64) -> Uuid {
        self.ids.id("business_unit", k % 3, 0)
    }
    pub fn cost_center(&self, k: u64) -> Uuid {
        self.ids.id("cost_center", k % 3, 0)
    }
    pub fn role(&self, code: &str) -> Uuid {
        self.ids.id(code, 0, 0)
    }
    pub fn cycle(&self, year: u64) -> Uuid {
        self.ids.id("review_cycle", year, 0)
    }
    pub fn template(&self) -> Uuid {
        self.ids.id("review_template", 0, 0)
    }

    /// The department keys that exist: EXEC (0), divisions (depth 1) and groups (depth 2).
    pub fn department_keys(&self) -> Vec<u64> {
        (0..self.employees.min(1 + SPAN + SPAN * SPAN)).collect()
    }
}

/// The plan of a run with `opts` (the same rows as the run loads, without a database).
pub(crate) fn plan_for(opts: &GenerateOptions) -> Result<Plan, SeedError> {
    let employees = opts.validate()?;
    let tenant = generated_tenant_id(&opts.slug);
    Ok(Plan {
        tenant,
        slug: opts.slug.clone(),
        employees,
        seed: opts.seed,
        ids: Ids::new(tenant),
        password_hash: crate::password::hash(crate::demo::DEMO_PASSWORD)
            .map_err(SeedError::Password)?,
    })
}
