//! Cache keys. Every key carries its tenant as a Redis Cluster hash tag
//! (`pms:{<tenant>}:user:profile:<user>`), so two tenants with the same ids never share an
//! entry and all of one tenant's keys live in one slot (multi-key reads work on a cluster).
//! A key also names the generation counters it depends on; bumping one invalidates exactly
//! the entries that depend on it, without `KEYS` or scans.

use crate::{CacheError, Category};
use pms_core::{TenantId, UserId};
use uuid::Uuid;

/// The longest key path accepted (without the configured prefix).
pub const MAX_KEY_LEN: usize = 512;

/// What an entry depends on: invalidating a scope invalidates every entry that names it.
/// Every entry depends on its tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Tenant,
    User(UserId),
    Team(Uuid),
    Department(Uuid),
    /// One login session, by the SHA-256 of its token.
    Session([u8; 32]),
    /// One record (a goal, a review) by id: every viewer's cached copy of it.
    Entity(Uuid),
    /// The tenant's reporting lines and roles: who may see whose records. Entries cached per
    /// viewer depend on it, so a re-organisation cannot leave a stale "visible".
    Org,
}

impl Scope {
    fn gen_suffix(self) -> String {
        match self {
            Self::Tenant => "gen:tenant".into(),
            Self::User(u) => format!("gen:user:{u}"),
            Self::Team(t) => format!("gen:team:{t}"),
            Self::Department(d) => format!("gen:department:{d}"),
            Self::Session(h) => format!("gen:session:{}", hex::encode(h)),
            Self::Entity(e) => format!("gen:entity:{e}"),
            Self::Org => "gen:org".into(),
        }
    }
}

/// The path of a generation counter (`{tenant}:gen:user:<id>`), without the prefix.
pub(crate) fn gen_path(tenant: TenantId, scope: Scope) -> String {
    format!("{{{tenant}}}:{}", scope.gen_suffix())
}

/// A validated cache key: tenant, category, path and the generations it depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    tenant: TenantId,
    category: Category,
    path: String,
    gens: Vec<String>,
}

/// Refuses parts that would make keys ambiguous or unreadable.
pub(crate) fn check_part(part: &str) -> Result<(), CacheError> {
    if part.is_empty() {
        return Err(CacheError::InvalidKey("a key part is empty".into()));
    }
    if let Some(c) = part.chars().find(|c| c.is_control()) {
        return Err(CacheError::InvalidKey(format!(
            "key part {part:?} holds the control character {c:?}"
        )));
    }
    if part.len() > MAX_KEY_LEN {
        return Err(CacheError::InvalidKey(format!(
            "a key part is {} bytes; the limit is {MAX_KEY_LEN}",
            part.len()
        )));
    }
    Ok(())
}

impl Key {
    /// A key `{tenant}:<category segment>:<parts joined by ':'>` depending on its tenant only.
    pub fn new(tenant: TenantId, category: Category, parts: &[&str]) -> Result<Self, CacheError> {
        let mut path = format!("{{{tenant}}}:{}", category.segment());
        for p in parts {
            check_part(p)?;
            path.push(':');
            path.push_str(p);
        }
        if path.len() > MAX_KEY_LEN {
            return Err(CacheError::InvalidKey(format!(
                "the key is {} bytes; the limit is {MAX_KEY_LEN}",
                path.len()
            )));
        }
        Ok(Self {
            tenant,
            category,
            path,
            gens: vec![gen_path(tenant, Scope::Tenant)],
        })
    }

    /// The same key, also invalidated when `scope` is.
    pub fn depends_on(mut self, scope: Scope) -> Self {
        let g = gen_path(self.tenant, scope);
        if !self.gens.contains(&g) {
            self.gens.push(g);
        }
        self
    }

    fn known(tenant: TenantId, category: Category, parts: &[&str]) -> Self {
        // Ids are UUIDs: always valid parts. Fall back to a checked build if that ever changes.
        Self::new(tenant, category, parts).unwrap_or_else(|_| Self {
            tenant,
            category,
            path: format!("{{{tenant}}}:{}:invalid", category.segment()),
            gens: vec![gen_path(tenant, Scope::Tenant)],
        })
    }

    /// `user:profile:{user}`, invalidated with the user.
    pub fn user_profile(tenant: TenantId, user: UserId) -> Self {
        Self::known(tenant, Category::UserProfile, &[&user.to_string()])
            .depends_on(Scope::User(user))
    }

    /// `user:permissions:{user}`, invalidated with the user.
    pub fn permissions(tenant: TenantId, user: UserId) -> Self {
        Self::known(tenant, Category::Permissions, &[&user.to_string()])
            .depends_on(Scope::User(user))
    }

    /// `dashboard:{user}`, invalidated with the user.
    pub fn dashboard(tenant: TenantId, user: UserId) -> Self {
        Self::known(tenant, Category::Dashboard, &[&user.to_string()]).depends_on(Scope::User(user))
    }

    /// `ml:prediction:{user}:{type}`, invalidated with the user.
    pub fn ml_prediction(tenant: TenantId, user: UserId, kind: &str) -> Result<Self, CacheError> {
        Ok(
            Self::new(tenant, Category::MlPrediction, &[&user.to_string(), kind])?
                .depends_on(Scope::User(user)),
        )
    }

    /// `org:health:{tenant}`.
    pub fn org_health(tenant: TenantId) -> Self {
        Self::known(tenant, Category::OrgHealth, &[&tenant.to_string()])
    }

    /// `review:{review}`, invalidated with the reviewed person.
    pub fn review(tenant: TenantId, review: Uuid, subject: UserId) -> Self {
        Self::known(tenant, Category::Review, &[&review.to_string()])
            .depends_on(Scope::User(subject))
    }

    /// `goal:{goal}`, invalidated with its owner.
    pub fn goal(tenant: TenantId, goal: Uuid, owner: UserId) -> Self {
        Self::known(tenant, Category::Goal, &[&goal.to_string()]).depends_on(Scope::User(owner))
    }

    /// `team:stats:{team}`, invalidated with the team.
    pub fn team_stats(tenant: TenantId, team: Uuid) -> Self {
        Self::known(tenant, Category::TeamStats, &[&team.to_string()]).depends_on(Scope::Team(team))
    }

    /// `department:stats:{department}`, invalidated with the department.
    pub fn department_stats(tenant: TenantId, department: Uuid) -> Self {
        Self::known(
            tenant,
            Category::DepartmentStats,
            &[&department.to_string()],
        )
        .depends_on(Scope::Department(department))
    }

    /// `session:{sha256(token)}`, invalidated with the session: the token itself never
    /// appears in a key.
    pub fn session(tenant: TenantId, token_hash: &[u8; 32]) -> Self {
        Self::known(tenant, Category::Session, &[&hex::encode(token_hash)])
            .depends_on(Scope::Session(*token_hash))
    }

    /// `leaderboard:{name}`.
    pub fn leaderboard(tenant: TenantId, name: &str) -> Result<Self, CacheError> {
        Self::new(tenant, Category::Leaderboard, &[name])
    }

    /// `report:{id}`.
    pub fn report(tenant: TenantId, id: &str) -> Result<Self, CacheError> {
        Self::new(tenant, Category::Report, &[id])
    }

    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    pub fn category(&self) -> Category {
        self.category
    }

    /// The key without the configured prefix: `{tenant}:user:profile:<id>`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The generation counters this entry is stamped with (tenant first).
    pub(crate) fn gens(&self) -> &[String] {
        &self.gens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_the_tenant_as_hash_tag() {
        let t = TenantId(Uuid::nil());
        let u = UserId(Uuid::from_u128(7));
        let k = Key::user_profile(t, u);
        assert_eq!(k.path(), format!("{{{t}}}:user:profile:{u}"));
        assert_eq!(
            k.gens(),
            [
                format!("{{{t}}}:gen:tenant"),
                format!("{{{t}}}:gen:user:{u}")
            ]
        );
    }

    #[test]
    fn bad_parts_are_refused() {
        let t = TenantId(Uuid::nil());
        let e = Key::report(t, "a\nb").unwrap_err();
        assert!(e.to_string().contains("control character"), "{e}");
        assert!(Key::report(t, "").is_err());
        assert!(
            Key::report(t, &"x".repeat(600))
                .unwrap_err()
                .to_string()
                .contains("limit")
        );
        assert!(
            Key::leaderboard(t, &"x".repeat(500))
                .unwrap_err()
                .to_string()
                .contains("limit")
        );
        assert!(Key::ml_prediction(t, UserId(Uuid::nil()), "attrition").is_ok());
    }
}
