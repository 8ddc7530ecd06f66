//! Logs to stderr, as text or JSON (`PMS_LOG_FORMAT`), filtered by `RUST_LOG`.
//!
//! Text is coloured only when stderr is a terminal (and `NO_COLOR` is unset): a redirected
//! `pms up 2> pms.log` gets plain lines, not escape codes. JSON is one object per line and
//! never coloured, so a log shipper can parse every line.

use pms_core::{Config, LogFormat};
use std::io::IsTerminal as _;
use tracing_subscriber::EnvFilter;

pub fn init(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
        LogFormat::Text => builder
            .compact()
            .with_ansi(colour(std::io::stderr().is_terminal()))
            .try_init(),
    };
}

/// Whether text logs are coloured: on a terminal, unless `NO_COLOR` asks otherwise
/// (<https://no-color.org>: set and not empty).
fn colour(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
