//! The page chrome: one stylesheet and icon served by the console itself, a navigation that
//! lists only what the viewer may open, and small helpers for figures. Markup goes through
//! maud, which escapes every interpolated value.

use super::session::{Scope, Viewer, csrf_field};
use maud::{DOCTYPE, Markup, html};

/// A console page in the chrome (`active` is the page's path).
pub(crate) fn page(viewer: &Viewer, active: &str, title: &str, body: Markup) -> Markup {
    let links: &[(&str, &str)] = match viewer.scope {
        Scope::Platform => &[
            ("/console", "Overview"),
            ("/console/storage", "Storage and retention"),
            ("/console/timeseries", "Time-series"),
            ("/console/audit", "Audit and security"),
            ("/console/backups", "Backups and cache"),
        ],
        Scope::Tenant => &[
            ("/console", "Overview"),
            ("/console/storage", "Storage and retention"),
            ("/console/timeseries", "Time-series"),
            ("/console/audit", "Audit and security"),
            ("/console/people", "People and organisation"),
        ],
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(title)) }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="top" {
                    span class="brand" { "pms console" }
                    span class="who" {
                        (viewer.name) " · " (viewer.tenant_name) " · "
                        @if viewer.scope == Scope::Platform { "platform operator" } @else { "tenant administrator" }
                    }
                    form class="logout" method="post" action="/console/logout" {
                        (csrf_field(&viewer.csrf))
                        button type="submit" { "Sign out" }
                    }
                }
                nav aria-label="Console pages" {
                    ul {
                        @for (href, label) in links {
                            li {
                                @if *href == active {
                                    a href=(href) aria-current="page" { (label) }
                                } @else {
                                    a href=(href) { (label) }
                                }
                            }
                        }
                    }
                }
                main id="main" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page without the chrome (login, errors).
pub(crate) fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(title)) }
            body { main id="main" { (body) } }
        }
    }
}

fn head(title: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { (title) " · pms console" }
        link rel="stylesheet" href="/console/assets/console.css";
        link rel="icon" href="/console/assets/icon.svg" type="image/svg+xml";
    }
}

/// A status word with its colour class (`ok`, `warning`, `failing`, `unavailable`).
pub(crate) fn badge(status: &str) -> Markup {
    html! { span class={ "badge " (status) } { (status) } }
}

/// A section whose figures could not be read: says which and why, the rest of the page renders.
pub(crate) fn unavailable(what: &str, why: &str) -> Markup {
    html! {
        p class="problem" role="status" {
            strong { (what) } " could not be shown: " (why)
        }
    }
}

/// Bytes as `12.3 MB`.
pub(crate) fn bytes(b: i64) -> String {
    pms_monitor::report::human_bytes(b.max(0) as f64)
}

/// Seconds as `12.3s`, `3m05s`, `1h02m`, or whole days past two.
pub(crate) fn secs(s: f64) -> String {
    let s = s.max(0.0);
    if s >= 2.0 * 86_400.0 {
        format!("{} days", (s / 86_400.0) as u64)
    } else {
        pms_monitor::report::human_secs(s)
    }
}

/// A time as `2026-01-31 12:00 UTC`.
pub(crate) fn when(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute()
    )
}

pub(crate) fn opt_when(t: Option<time::OffsetDateTime>) -> String {
    t.map(when).unwrap_or_else(|| "never".into())
}

/// The stylesheet (served at `/console/assets/console.css`; no inline styles, so the CSP can
/// forbid them).
pub(crate) const CSS: &str = include_str!("console.css");

/// The tab icon, so that the browser does not ask for a missing `/favicon.ico`.
pub(crate) const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d4e89"/><path d="M3 12V4h4a2.5 2.5 0 0 1 0 5H5" stroke="#fff" stroke-width="1.6" fill="none"/></svg>"##;
