//! Who is looking: the API's own session (the `pms_session` cookie, `HttpOnly; SameSite=Strict`,
//! `Secure` under TLS), the login form that opens one, logout, and the CSRF tokens that every
//! form carries. A session token is derived per session (SHA-256 of the session's secret under
//! a label), so it needs no storage and dies with the session; the login form, which has no
//! session yet, pairs a random cookie with its hidden field.

use super::layout;
use crate::auth::routes::{ClientAddr, LoginRequest, security_event, session_cookie, sign_in};
use crate::auth::{Auth, Role};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use pms_audit::events::{NewSecurityEvent, SecurityEventKind};
use pms_db::TenantTx;
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The login form's CSRF cookie (only for `/console/login`).
const LOGIN_CSRF_COOKIE: &str = "pms_console_login";

/// What the viewer may see: the platform's operations, or one tenant's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// SUPER_ADMIN: every tier across tenants, no tenant's HR content.
    Platform,
    /// ADMIN or HR_ADMIN: their own tenant, HR pages included.
    Tenant,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Platform => "platform",
            Scope::Tenant => "tenant",
        }
    }
}

/// A signed-in console user with a console role.
pub(crate) struct Viewer {
    pub auth: Auth,
    pub scope: Scope,
    pub csrf: String,
    pub name: String,
    pub tenant_name: String,
}

/// Where an unauthenticated request goes (303: a form POST becomes a GET).
fn to_login() -> Response {
    Redirect::to("/console/login").into_response()
}

/// The console's 404: the same for a page that does not exist and one this role may not see.
pub(crate) fn not_found() -> Response {
    let body = layout::bare(
        "Not found",
        html! {
            h1 { "Not found" }
            p { "There is no such page here. " a href="/console" { "Back to the console" } }
        },
    );
    (StatusCode::NOT_FOUND, body).into_response()
}

pub(crate) fn csrf_for(auth: &Auth) -> String {
    let mut h = Sha256::new();
    h.update(b"pms console csrf\0");
    h.update(auth.token.text.as_bytes());
    hex::encode(h.finalize())
}

/// Equal in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let auth = match Auth::from_request_parts(parts, state).await {
            Ok(a) => a,
            Err(e) if e.status() == StatusCode::UNAUTHORIZED => return Err(to_login()),
            Err(e) => return Err(e.into_response()),
        };
        let scope = if auth.has(Role::SuperAdmin) {
            Scope::Platform
        } else if auth.is_hr() {
            Scope::Tenant
        } else {
            return Err(not_found());
        };
        let names = async {
            let mut tx = TenantTx::begin(state.pool(), auth.tenant, Some(auth.user)).await?;
            let row: (String, String) = sqlx::query_as(
                "SELECT u.first_name || ' ' || u.last_name, t.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1",
            )
            .bind(auth.user.as_uuid())
            .fetch_one(&mut **tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(row)
        };
        let (name, tenant_name) = names.await.map_err(|e| ApiError::from(e).into_response())?;
        Ok(Viewer {
            csrf: csrf_for(&auth),
            auth,
            scope,
            name,
            tenant_name,
        })
    }
}

/// A form's hidden CSRF field.
pub(crate) fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// Refuses a POST whose CSRF field does not match the session (recorded as a denial).
pub(crate) async fn check_csrf(
    state: &AppState,
    viewer: &Viewer,
    sent: Option<&str>,
    action: &str,
) -> Result<(), Response> {
    if sent.is_some_and(|s| same(s, &viewer.csrf)) {
        return Ok(());
    }
    let mut e = NewSecurityEvent::new(SecurityEventKind::PermissionDenied);
    e.user = Some(viewer.auth.user);
    e.resource_type = Some(super::ops::ACTION_RESOURCE.into());
    e.details = serde_json::json!({"action": action, "reason": "missing or wrong CSRF token"});
    security_event(state, viewer.auth.tenant, Some(viewer.auth.user), e).await;
    Err(csrf_refused())
}

fn csrf_refused() -> Response {
    let body = layout::bare(
        "Refused",
        html! {
            h1 { "Refused" }
            p { "This form was not sent from a page of this console (its security token is missing or stale). "
                a href="/console" { "Open the console" } " and try again." }
        },
    );
    (StatusCode::FORBIDDEN, body).into_response()
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn login_page(token: &str, tenant: &str, email: &str, problem: Option<&str>) -> Markup {
    layout::bare(
        "Sign in",
        html! {
            main class="login" {
                h1 { "pms operations console" }
                @if let Some(p) = problem {
                    p class="problem" role="alert" { (p) }
                }
                form method="post" action="/console/login" {
                    (csrf_field(token))
                    label for="tenant" { "Organisation (tenant slug)" }
                    input id="tenant" name="tenant" type="text" required autocomplete="organization" value=(tenant);
                    label for="email" { "Email" }
                    input id="email" name="email" type="email" required autocomplete="username" value=(email);
                    label for="password" { "Password" }
                    input id="password" name="password" type="password" required autocomplete="current-password";
                    button type="submit" { "Sign in" }
                }
            }
        },
    )
}

fn login_cookie(state: &AppState, value: &str) -> Option<HeaderValue> {
    let secure = if state.config().cookie_secure {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{LOGIN_CSRF_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/console/login; Max-Age=3600{secure}"
    ))
    .ok()
}

fn fresh_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn form_response(state: &AppState, status: StatusCode, markup: Markup, token: &str) -> Response {
    let mut resp = (status, markup).into_response();
    if let Some(c) = login_cookie(state, token) {
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    resp
}

/// `GET /console/login`.
pub(crate) async fn form(State(state): State<AppState>) -> Response {
    let token = fresh_token();
    form_response(
        &state,
        StatusCode::OK,
        login_page(&token, "", "", None),
        &token,
    )
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /console/login`: the API's login, then the session cookie and the overview.
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let expected = cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    let next = fresh_token();
    if expected.is_empty() || !same(expected, &f.csrf) {
        return csrf_refused();
    }
    let req = LoginRequest {
        tenant: f.tenant.trim().to_string(),
        email: f.email.clone(),
        password: f.password,
    };
    match sign_in(&state, addr, &headers, req).await {
        Ok((token, _, max_age)) => {
            let mut resp = Redirect::to("/console").into_response();
            if let Some(c) = session_cookie(&state, &token, max_age) {
                resp.headers_mut().append(header::SET_COOKIE, c);
            }
            resp
        }
        Err(e) => {
            let status = e.status();
            let problem = match status {
                StatusCode::UNPROCESSABLE_ENTITY => {
                    "Enter the organisation's slug (a-z, 0-9, -), an email address and a password."
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    "Too many attempts: wait a few minutes and try again."
                }
                StatusCode::UNAUTHORIZED => "The organisation, email or password is wrong.",
                _ => "Signing in is not possible right now; try again shortly.",
            };
            form_response(
                &state,
                status,
                login_page(&next, &f.tenant, &f.email, Some(problem)),
                &next,
            )
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    pub csrf: Option<String>,
}

/// `POST /console/logout`: ends the session and clears its cookie.
pub(crate) async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    ClientAddr(addr): ClientAddr,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = check_csrf(&state, &viewer, f.csrf.as_deref(), "logout").await {
        return r;
    }
    if let Err(e) = state
        .sessions()
        .revoke(viewer.auth.tenant, &viewer.auth.token.text)
        .await
    {
        return ApiError::from(e).into_response();
    }
    let mut e = NewSecurityEvent::new(SecurityEventKind::Logout);
    e.user = Some(viewer.auth.user);
    e.ip = Some(addr);
    security_event(&state, viewer.auth.tenant, Some(viewer.auth.user), e).await;
    let mut resp = Redirect::to("/console/login").into_response();
    if let Some(c) = session_cookie(&state, "", 0) {
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    resp
}
