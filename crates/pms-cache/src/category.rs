//! Cache categories: what kind of data a key holds, its key segment and its time to live.

use std::time::Duration;

/// A kind of cached data. Each category has a fixed key segment (`user:profile`) and a TTL
/// chosen by how stale that data may be before a person notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// A login session (looked up by a hash of the token, never the token). 24 h.
    Session,
    /// A person's profile. 1 h.
    UserProfile,
    /// A person's effective permissions. 15 min: role changes must bite soon.
    Permissions,
    /// A performance review. 30 min.
    Review,
    /// A goal or OKR. 15 min.
    Goal,
    /// A person's dashboard. 5 min.
    Dashboard,
    /// An ML prediction for a person and a prediction type. 24 h.
    MlPrediction,
    /// The tenant's organisation health. 1 h.
    OrgHealth,
    /// Statistics of a team. 15 min.
    TeamStats,
    /// Statistics of a department. 15 min.
    DepartmentStats,
    /// A leaderboard. 5 min.
    Leaderboard,
    /// A generated report. 1 h.
    Report,
    /// Sliding-window rate-limit state. Its TTL is the window itself.
    RateLimit,
}

impl Category {
    /// Every category, for stats and metrics.
    pub const ALL: [Category; 13] = [
        Self::Session,
        Self::UserProfile,
        Self::Permissions,
        Self::Review,
        Self::Goal,
        Self::Dashboard,
        Self::MlPrediction,
        Self::OrgHealth,
        Self::TeamStats,
        Self::DepartmentStats,
        Self::Leaderboard,
        Self::Report,
        Self::RateLimit,
    ];

    /// The key segment after the tenant, e.g. `user:profile`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::UserProfile => "user:profile",
            Self::Permissions => "user:permissions",
            Self::Review => "review",
            Self::Goal => "goal",
            Self::Dashboard => "dashboard",
            Self::MlPrediction => "ml:prediction",
            Self::OrgHealth => "org:health",
            Self::TeamStats => "team:stats",
            Self::DepartmentStats => "department:stats",
            Self::Leaderboard => "leaderboard",
            Self::Report => "report",
            Self::RateLimit => "ratelimit",
        }
    }

    /// A label for metrics: snake case, stable.
    pub fn label(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::UserProfile => "user_profile",
            Self::Permissions => "permissions",
            Self::Review => "review",
            Self::Goal => "goal",
            Self::Dashboard => "dashboard",
            Self::MlPrediction => "ml_prediction",
            Self::OrgHealth => "org_health",
            Self::TeamStats => "team_stats",
            Self::DepartmentStats => "department_stats",
            Self::Leaderboard => "leaderboard",
            Self::Report => "report",
            Self::RateLimit => "rate_limit",
        }
    }

    /// How long an entry of this category lives.
    pub fn ttl(self) -> Duration {
        const MIN: u64 = 60;
        Duration::from_secs(match self {
            Self::Session => 24 * 60 * MIN,
            Self::UserProfile => 60 * MIN,
            Self::Permissions => 15 * MIN,
            Self::Review => 30 * MIN,
            Self::Goal => 15 * MIN,
            Self::Dashboard => 5 * MIN,
            Self::MlPrediction => 24 * 60 * MIN,
            Self::OrgHealth => 60 * MIN,
            Self::TeamStats => 15 * MIN,
            Self::DepartmentStats => 15 * MIN,
            Self::Leaderboard => 5 * MIN,
            Self::Report => 60 * MIN,
            Self::RateLimit => 15 * MIN,
        })
    }

    /// The category whose segment starts a key's path, for `pms cache stats`.
    pub fn of_path(path: &str) -> Option<Category> {
        // Longest segment first, so `user:profile` wins over a shorter prefix.
        let mut all = Self::ALL;
        all.sort_by_key(|c| std::cmp::Reverse(c.segment().len()));
        all.into_iter()
            .find(|c| path == c.segment() || path.starts_with(&format!("{}:", c.segment())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specification_ttls() {
        assert_eq!(Category::Session.ttl(), Duration::from_secs(86_400));
        assert_eq!(Category::UserProfile.ttl(), Duration::from_secs(3_600));
        assert_eq!(Category::Review.ttl(), Duration::from_secs(1_800));
        assert_eq!(Category::Goal.ttl(), Duration::from_secs(900));
        assert_eq!(Category::Dashboard.ttl(), Duration::from_secs(300));
        assert_eq!(Category::MlPrediction.ttl(), Duration::from_secs(86_400));
        assert_eq!(Category::OrgHealth.ttl(), Duration::from_secs(3_600));
    }

    #[test]
    fn path_to_category() {
        assert_eq!(
            Category::of_path("user:profile:42"),
            Some(Category::UserProfile)
        );
        assert_eq!(
            Category::of_path("ml:prediction:42:attrition"),
            Some(Category::MlPrediction)
        );
        assert_eq!(Category::of_path("gen:user:42"), None);
    }
}
