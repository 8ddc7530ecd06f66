//! The reports over the star (`sql/replaceable/080_warehouse_07_reports.sql`): one SQL function
//! each, run as the caller so forced RLS scopes them to the session's tenant. This module names
//! them, checks their parameters and runs one for one tenant, returning its rows both as text
//! (for tables and CSV) and as JSON objects with the SQL types kept.

use crate::error::{Doing as _, Result, WarehouseError};
use sqlx::{Column as _, Executor as _, PgConnection, SqlSafeStr as _};
use uuid::Uuid;

/// A report's name, as `pms warehouse report NAME` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    RatingDistribution,
    EngagementTrend,
    FeedbackMonthly,
    GoalCompletion,
}

impl Report {
    pub const ALL: [Report; 4] = [
        Report::RatingDistribution,
        Report::EngagementTrend,
        Report::FeedbackMonthly,
        Report::GoalCompletion,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Report::RatingDistribution => "rating-distribution",
            Report::EngagementTrend => "engagement-trend",
            Report::FeedbackMonthly => "feedback-monthly",
            Report::GoalCompletion => "goal-completion",
        }
    }

    /// The SQL function behind the report.
    pub fn function(self) -> &'static str {
        match self {
            Report::RatingDistribution => "warehouse.report_rating_distribution",
            Report::EngagementTrend => "warehouse.report_engagement_trend",
            Report::FeedbackMonthly => "warehouse.report_feedback_monthly",
            Report::GoalCompletion => "warehouse.report_goal_completion",
        }
    }

    /// One line on what the report answers.
    pub fn about(self) -> &'static str {
        match self {
            Report::RatingDistribution => {
                "reviews per department, cycle and half-point rating band, original against calibrated"
            }
            Report::EngagementTrend => {
                "mean engagement score per department and week or month, per source and metric"
            }
            Report::FeedbackMonthly => "feedback items and their sentiment per month",
            Report::GoalCompletion => {
                "goals, completed goals and mean progress per team and quarter"
            }
        }
    }

    /// The report of a name, or an error that lists the valid names.
    pub fn parse(name: &str) -> Result<Report> {
        Report::ALL
            .into_iter()
            .find(|r| r.name() == name)
            .ok_or_else(|| {
                WarehouseError::BadInput(format!(
                    "no report named {name:?}; the reports are: {}",
                    Report::ALL.map(Report::name).join(", ")
                ))
            })
    }
}

/// Week or month, for the engagement trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grain {
    Week,
    #[default]
    Month,
}

impl Grain {
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Week => "week",
            Grain::Month => "month",
        }
    }
}

/// The parameters a report takes (dates bound the fact's UTC day, both inclusive).
#[derive(Debug, Clone, Default)]
pub struct ReportParams {
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    /// Only for the engagement trend; `None` is monthly.
    pub grain: Option<Grain>,
}

/// A report's result: column names, each row's values as text (NULL as `None`), and each row as
/// one JSON object (numbers stay numbers) in column order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
    pub json: Vec<String>,
}

/// Runs `report` in the caller's transaction, which must have set `app.tenant_id` (RLS) to
/// `tenant`; `tenant` also names the rows explicitly so a mismatch returns nothing.
pub async fn run(
    conn: &mut PgConnection,
    tenant: Uuid,
    report: Report,
    params: &ReportParams,
) -> Result<ReportRows> {
    if let (Some(f), Some(t)) = (params.from, params.to)
        && f > t
    {
        return Err(WarehouseError::BadInput(format!(
            "--from {f} is after --to {t}: an empty period"
        )));
    }
    if params.grain.is_some() && report != Report::EngagementTrend {
        return Err(WarehouseError::BadInput(format!(
            "--grain applies to {} only, not {}",
            Report::EngagementTrend.name(),
            report.name()
        )));
    }
    let call = match report {
        Report::EngagementTrend => format!("{}($3, $1, $2)", report.function()),
        _ => format!("{}($1, $2)", report.function()),
    };
    let sql = format!(
        "SELECT array(SELECT v FROM json_each_text(row_to_json(r)) e (k, v)) AS vals, row_to_json(r)::text AS js
           FROM {call} r WHERE $4::uuid = warehouse.report_tenant()"
    );
    let described = conn
        .describe(sqlx::AssertSqlSafe(format!("SELECT * FROM {call} r")).into_sql_str())
        .await
        .doing(format!("describing the report {}", report.name()))?;
    let columns = described
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let grain = params.grain.unwrap_or_default().as_str();
    let found: Vec<(Vec<Option<String>>, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(params.from)
        .bind(params.to)
        .bind(grain)
        .bind(tenant)
        .fetch_all(&mut *conn)
        .await
        .doing(format!("running the report {}", report.name()))?;
    let (rows, json) = found.into_iter().unzip();
    Ok(ReportRows {
        columns,
        rows,
        json,
    })
}
