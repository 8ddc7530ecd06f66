//! The four hypertables of the SQL contract.

use std::fmt;
use std::str::FromStr;

/// A time-series table; its name is public API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hypertable {
    PerformanceMetrics,
    EngagementMetrics,
    GoalProgress,
    FeedbackActivity,
}

impl Hypertable {
    pub const ALL: [Hypertable; 4] = [
        Self::PerformanceMetrics,
        Self::EngagementMetrics,
        Self::GoalProgress,
        Self::FeedbackActivity,
    ];

    /// The table's name in schema `public`.
    pub fn table(self) -> &'static str {
        match self {
            Self::PerformanceMetrics => "performance_metrics_ts",
            Self::EngagementMetrics => "engagement_metrics_ts",
            Self::GoalProgress => "goal_progress_ts",
            Self::FeedbackActivity => "feedback_activity_ts",
        }
    }
}

impl fmt::Display for Hypertable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.table())
    }
}

impl FromStr for Hypertable {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|h| h.table() == s)
            .ok_or_else(|| format!("unknown hypertable {s:?} (expected one of performance_metrics_ts, engagement_metrics_ts, goal_progress_ts, feedback_activity_ts)"))
    }
}
