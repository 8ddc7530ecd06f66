//! The operations console over plain HTTP (no browser): CSRF on every form, the security
//! headers, who may open which page (404 otherwise), expired sessions, bad filters, and a
//! failing tier that still renders.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::console::{Console, OPERATOR_EMAIL, PLATFORM_SLUG, csrf_of};
use reqwest::StatusCode;

const PAGES: [&str; 6] = [
    "/console",
    "/console/storage",
    "/console/timeseries",
    "/console/audit",
    "/console/backups",
    "/console/people",
];

fn demo(local: &str) -> String {
    format!("{local}@demo.pms-platform.local")
}

#[tokio::test]
async fn forms_need_their_token_and_pages_are_locked_down() -> anyhow::Result<()> {
    let c = Console::start().await?;
    let op = c.sign_in(PLATFORM_SLUG, OPERATOR_EMAIL).await;
    let storage = c.get("/console/storage", Some(&op)).await;
    assert_eq!(storage.status, StatusCode::OK, "{}", storage.body);
    let token = csrf_of(&storage.body);

    // Every page: a strict CSP, no script, nothing from another origin.
    for path in ["/console/login", "/console", "/console/storage"] {
        let p = c.get(path, Some(&op)).await;
        let csp = p.headers["content-security-policy"].to_str()?;
        for part in [
            "default-src 'self'",
            "script-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!p.body.contains("<script"), "{path} has a script");
        assert!(!p.body.contains("style=\""), "{path} has an inline style");
        assert!(
            !p.body.contains("http://") && !p.body.contains("https://"),
            "{path} links elsewhere"
        );
    }

    // Without the token, or with another one, an action is refused and nothing runs.
    let actions = "SELECT count(*) FROM security_events WHERE resource_type = 'ConsoleAction' AND event_type = 'SENSITIVE_READ'";
    for body in [
        vec![],
        vec![("csrf", "0".repeat(64))],
        vec![("csrf", token[..63].to_string())],
    ] {
        let pairs: Vec<(&str, &str)> = body.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for path in [
            "/console/storage/maintenance",
            "/console/storage/verify-archive",
            "/console/logout",
        ] {
            let r = c.post(path, Some(&op), &pairs).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} {pairs:?}");
        }
    }
    assert_eq!(c.scalar_i64(actions).await, 0, "no refused action ran");
    let denied = c
        .scalar_i64("SELECT count(*) FROM security_events WHERE event_type = 'PERMISSION_DENIED' AND resource_type = 'ConsoleAction'")
        .await;
    assert_eq!(denied, 9, "each refusal is recorded");
    assert_eq!(
        c.get("/console", Some(&op)).await.status,
        StatusCode::OK,
        "a refused logout ends nothing"
    );

    // With it, the action runs and is recorded.
    let r = c
        .post(
            "/console/storage/verify-archive",
            Some(&op),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.scalar_i64(actions).await, 1);

    // The login form has its own token, paired with a cookie.
    let r = c
        .post(
            "/console/login",
            None,
            &[
                ("tenant", "demo-company"),
                ("email", &demo("admin")),
                ("password", "demo123"),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a login without the form's cookie"
    );

    // The session cookie: HttpOnly and SameSite=Strict (Secure is on unless PMS_COOKIE_INSECURE).
    let form_page = c
        .http
        .get(format!("{}/console/login", c.base))
        .send()
        .await?;
    let set = form_page.headers()["set-cookie"].to_str()?.to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );

    // Logout with the token ends the session: the next page is the login form.
    let r = c
        .post("/console/logout", Some(&op), &[("csrf", &token)])
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/console/login")
    );
    let r = c.get("/console", Some(&op)).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/console/login")
    );
    Ok(())
}

#[tokio::test]
async fn roles_sessions_bad_input_and_a_failing_tier() -> anyhow::Result<()> {
    let c = Console::start().await?;
    // No session, a made-up one, an expired one: the login page.
    let r = c.get("/console/audit", None).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/console/login")
    );
    let r = c.get("/console", Some("pms1.nonsense")).await;
    assert_eq!(r.location(), "/console/login");
    let admin = c.sign_in("demo-company", &demo("admin")).await;
    assert_eq!(c.get("/console", Some(&admin)).await.status, StatusCode::OK);
    sqlx::query("UPDATE sessions SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE revoked_at IS NULL")
        .execute(&c.db.maintenance)
        .await?;
    c.state
        .cache()
        .invalidate_tenant(pms_core::TenantId(pms_seed::demo_tenants::tenant_id(
            &pms_seed::demo_tenants::DEMO_COMPANY,
        )))
        .await;
    let r = c.get("/console/storage", Some(&admin)).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/console/login"),
        "an expired session"
    );

    // A role without console access: 404 on every page, like a page that does not exist.
    for who in ["employee", "manager"] {
        let s = c.sign_in("demo-company", &demo(who)).await;
        for p in PAGES {
            assert_eq!(
                c.get(p, Some(&s)).await.status,
                StatusCode::NOT_FOUND,
                "{who} {p}"
            );
        }
    }
    let admin = c.sign_in("demo-company", &demo("admin")).await;
    let op = c.sign_in(PLATFORM_SLUG, OPERATOR_EMAIL).await;
    assert_eq!(
        c.get("/console/no-such-page", Some(&admin)).await.status,
        StatusCode::NOT_FOUND
    );
    // The operator sees no tenant's HR page; a tenant admin no platform page or action.
    assert_eq!(
        c.get("/console/people", Some(&op)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/console/backups", Some(&admin)).await.status,
        StatusCode::NOT_FOUND
    );
    let token = csrf_of(&c.get("/console", Some(&admin)).await.body);
    let r = c
        .post(
            "/console/storage/maintenance",
            Some(&admin),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        !c.get("/console/storage", Some(&admin))
            .await
            .body
            .contains("Run maintenance now")
    );

    // Bad filters: a clear message, status 422, the page still renders.
    let r = c
        .get("/console/audit?days=0&severity=LOUD", Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("days must be a whole number from 1 to 365"),
        "{}",
        r.body
    );
    assert!(r.body.contains("unknown severity"));
    let r = c
        .get(
            "/console/audit?entity_type=Nonsense&entity_id=00000000-0000-0000-0000-000000000001",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("unknown entity type"), "{}", r.body);
    assert!(
        r.body.contains("Security events of this organisation"),
        "the rest still shows"
    );

    // Backups: a recorded set shows; a corrupt record makes the tier fail, named, with why,
    // while the page and the other tiers render.
    c.record_backup("20260101-000000F", "2026-01-01T00:00:00Z");
    let b = c.get("/console/backups", Some(&op)).await;
    assert!(b.body.contains("20260101-000000F"), "{}", b.body);
    std::fs::write(c.backup.records_dir().join("1-broken.json"), b"{ not json")?;
    let o = c.get("/console", Some(&op)).await;
    assert_eq!(o.status, StatusCode::OK);
    assert!(o.body.contains("Failing: Backups"), "{}", o.body);
    assert!(
        o.body.contains("cannot read the backup records"),
        "{}",
        o.body
    );
    for tier in ["Database", "Time-series", "Cache", "Archive", "Warehouse"] {
        assert!(
            o.body
                .contains(&format!("id=\"tier-{}\"", tier.to_lowercase())),
            "{tier}"
        );
    }
    Ok(())
}
