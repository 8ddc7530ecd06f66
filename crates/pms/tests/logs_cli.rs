//! Logs fit where they go: the `pms` binary, its output redirected to files, writes no ANSI
//! escape code; with `PMS_LOG_FORMAT=json` every log line is one JSON object; on a terminal
//! (a pseudo-terminal from `script`) text logs are coloured, unless `NO_COLOR` is set; a bad
//! `PMS_LOG_FORMAT` is one clear error line.

use pms_test_support::TestDb;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const ESC: u8 = 0x1b;

/// `pms migrate` on the test database, logging everything sqlx does (one line per query).
fn migrate(db: &TestDb) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pms"));
    c.arg("migrate")
        .env("DATABASE_URL", &db.urls.admin)
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .env_remove("PMS_LOG_FORMAT")
        .env_remove("NO_COLOR")
        .env("RUST_LOG", "debug");
    c
}

/// A scratch file for one test's output, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Self {
        Self(std::env::temp_dir().join(format!(
            "pms-logs-{tag}-{}.txt",
            uuid::Uuid::new_v4().simple()
        )))
    }
    fn read(&self) -> anyhow::Result<Vec<u8>> {
        Ok(std::fs::read(&self.0)?)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs `cmd` with stdout and stderr redirected to files; returns (stdout, stderr).
fn redirected(mut cmd: Command, tag: &str) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let (out, err) = (
        Scratch::new(&format!("{tag}-out")),
        Scratch::new(&format!("{tag}-err")),
    );
    let status = cmd
        .stdout(Stdio::from(std::fs::File::create(&out.0)?))
        .stderr(Stdio::from(std::fs::File::create(&err.0)?))
        .status()?;
    let (o, e) = (out.read()?, err.read()?);
    anyhow::ensure!(
        status.success(),
        "pms migrate failed: {}",
        String::from_utf8_lossy(&e)
    );
    Ok((o, e))
}

#[tokio::test]
async fn redirected_logs_have_no_escape_codes_and_json_is_one_object_per_line() -> anyhow::Result<()>
{
    let db = TestDb::new().await?;

    let (out, err) = redirected(migrate(&db), "text")?;
    let text = String::from_utf8_lossy(&err);
    assert!(
        text.lines().count() > 5 && text.contains("DEBUG"),
        "pms migrate logged too little to show anything: {text}"
    );
    assert!(
        !err.contains(&ESC),
        "escape codes in the redirected log:\n{text}"
    );
    assert!(!out.contains(&ESC), "escape codes in the redirected output");

    let mut json = migrate(&db);
    json.env("PMS_LOG_FORMAT", "json");
    let (out, err) = redirected(json, "json")?;
    assert!(!err.contains(&ESC) && !out.contains(&ESC));
    let lines: Vec<&str> = std::str::from_utf8(&err)?
        .lines()
        .filter(|l| !l.is_empty())
        .collect();
    assert!(lines.len() > 5, "{lines:?}");
    for line in &lines {
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("not one JSON object per line ({e}): {line}"))?;
        assert!(
            v.is_object()
                && v["level"].is_string()
                && v["target"].is_string()
                && v["timestamp"].is_string(),
            "{line}"
        );
    }
    // What pms prints for people stays on stdout, as plain text.
    assert!(
        String::from_utf8_lossy(&out).contains("database is up to date"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    Ok(())
}

/// `script` (util-linux) runs a command on a pseudo-terminal and copies what it wrote.
fn on_a_terminal(cmd: &Command) -> anyhow::Result<Option<Vec<u8>>> {
    if !Path::new("/usr/bin/script").exists() {
        println!("SKIPPED the terminal half: /usr/bin/script (util-linux) is not installed");
        return Ok(None);
    }
    let program = cmd.get_program().to_string_lossy().into_owned();
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut script = Command::new("/usr/bin/script");
    script
        .args(["--quiet", "--return", "--command"])
        .arg(format!("{program} {}", args.join(" ")))
        .arg("/dev/null");
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => script.env(k, v),
            None => script.env_remove(k),
        };
    }
    let out = script.stdin(Stdio::null()).output()?;
    anyhow::ensure!(
        out.status.success(),
        "pms on a terminal failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    Ok(Some(out.stdout))
}

#[tokio::test]
async fn a_terminal_gets_colours_unless_no_color_is_set() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let Some(coloured) = on_a_terminal(&migrate(&db))? else {
        return Ok(());
    };
    assert!(
        coloured.contains(&ESC),
        "no colour on a terminal: {}",
        String::from_utf8_lossy(&coloured)
    );
    let mut plain = migrate(&db);
    plain.env("NO_COLOR", "1");
    let Some(plain) = on_a_terminal(&plain)? else {
        return Ok(());
    };
    assert!(
        String::from_utf8_lossy(&plain).contains("DEBUG") && !plain.contains(&ESC),
        "NO_COLOR=1 still coloured: {}",
        String::from_utf8_lossy(&plain)
    );
    Ok(())
}

#[test]
fn a_bad_log_format_is_one_clear_error_line() -> anyhow::Result<()> {
    let out = Command::new(env!("CARGO_BIN_EXE_pms"))
        .arg("config")
        .env("PMS_LOG_FORMAT", "yaml")
        .output()?;
    assert!(!out.status.success());
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "error: configuration: PMS_LOG_FORMAT: must be `text` or `json`, not \"yaml\""
    );
    Ok(())
}
