//! The application API behind `pms serve`: sessions, roles and scopes, one tenant transaction
//! per request as `pms_app`, visibility decided by PostgreSQL's policies, and the cache used
//! for profiles, goals, reviews and dashboards.
//!
//! Handlers reach the database only through [`db::Db`], which exists only for an
//! authenticated request and sets `app.tenant_id` and `app.user_id` from its session.

pub mod auth;
pub mod bench;
pub mod bench_mixed;
pub mod config;
pub mod console;
pub mod db;
pub mod erasure;
pub mod error;
mod extract;
mod middleware;
pub mod openapi;
mod pagination;
mod routes;
mod server;
mod state;

pub use config::ApiConfig;
pub use error::ApiError;
pub use server::{router, serve};
pub use state::AppState;

// Calendar dates travel as `2026-01-31` (ISO 8601), both ways.
time::serde::format_description!(pub day, Date, "[year]-[month]-[day]");
