//! The walk of the audit-every-write test: a sequence of requests, each naming the OpenAPI
//! operation it exercises, who sends it and how its ids are found, and what it must leave
//! behind (an audit entry naming the caller, or for the few operations outside the audit trail
//! by design, a security event of the caller).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::Api;
use reqwest::Method;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// What a step must leave behind, beyond its 2xx answer.
#[derive(Clone, Debug)]
pub enum Leaves {
    /// At least one new `audit_log` row of the tenant whose `actor_user_id` is the caller.
    Audit,
    /// Outside the audit trail by design (the reason is printed with the exempt list): a new
    /// `security_events` row of this type for the caller instead.
    SecurityEvent {
        event_type: &'static str,
        reason: &'static str,
    },
}

/// How the step's request is authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Session {
    /// The caller's session opened at the start of the walk.
    Shared,
    /// A session of its own, opened just before the step (for steps that end sessions).
    Fresh,
    /// No session (signing in).
    None,
}

/// One request of the walk. Paths are written without `/api/v1` and may hold `{name}`
/// placeholders: a person of the demo company (`{jane}`), `{tenant}`, or a value found by an
/// earlier `find` or `keep`. A body string that is exactly `"{name}"` becomes that value (a
/// number stays a number).
#[derive(Clone, Debug)]
pub struct Step {
    pub method: Method,
    pub path: String,
    pub who: &'static str,
    pub body: Option<Value>,
    pub raw: Option<(&'static str, String)>,
    pub sets: Vec<(&'static str, Value)>,
    pub finds: Vec<(&'static str, String)>,
    pub keeps: Vec<(&'static str, &'static str)>,
    pub session: Session,
    pub leaves: Leaves,
    /// Security events of the caller the step must record besides (signing in, a new password).
    pub events: Vec<&'static str>,
}

pub fn step(method: &str, path: &str, who: &'static str) -> Step {
    Step {
        method: Method::from_bytes(method.as_bytes()).unwrap(),
        path: path.to_string(),
        who,
        body: None,
        raw: None,
        sets: Vec::new(),
        finds: Vec::new(),
        keeps: Vec::new(),
        session: Session::Shared,
        leaves: Leaves::Audit,
        events: Vec::new(),
    }
}

impl Step {
    pub fn body(mut self, v: Value) -> Self {
        self.body = Some(v);
        self
    }

    /// A body that is not JSON (placeholders are filled in as text).
    pub fn raw(mut self, content_type: &'static str, text: &str) -> Self {
        self.raw = Some((content_type, text.to_string()));
        self
    }

    /// Before the request: `name` := `value` (a path parameter that is a word, not an id).
    pub fn set(mut self, name: &'static str, value: &str) -> Self {
        self.sets.push((name, Value::String(value.to_string())));
        self
    }

    /// Before the request: `name` := the first column of the first row of `sql` (run as the
    /// maintenance role, placeholders filled in; say `tenant_id = '{tenant}'`).
    pub fn find(mut self, name: &'static str, sql: &str) -> Self {
        self.finds.push((name, sql.to_string()));
        self
    }

    /// After the request: `name` := the answer's value at the JSON pointer `pointer`.
    pub fn keep(mut self, name: &'static str, pointer: &'static str) -> Self {
        self.keeps.push((name, pointer));
        self
    }

    pub fn fresh_session(mut self) -> Self {
        self.session = Session::Fresh;
        self
    }

    pub fn no_session(mut self) -> Self {
        self.session = Session::None;
        self
    }

    /// A security event of this type for the caller, besides the audit entry.
    pub fn and_event(mut self, event_type: &'static str) -> Self {
        self.events.push(event_type);
        self
    }

    pub fn instead(mut self, event_type: &'static str, reason: &'static str) -> Self {
        self.leaves = Leaves::SecurityEvent { event_type, reason };
        self
    }

    /// `METHOD /path/{}`: the operation, with every path parameter written `{}`.
    pub fn operation(&self) -> String {
        format!("{} {}", self.method, normalize(&self.path))
    }
}

/// `/goals/{goal}/progress` and `/api/v1/goals/{id}/progress` are both `/goals/{}/progress`.
pub fn normalize(path: &str) -> String {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The write operations of the OpenAPI document: normalized operation -> as documented.
pub fn write_operations(doc: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            let m = method.to_uppercase();
            if ["POST", "PUT", "PATCH", "DELETE"].contains(&m.as_str()) {
                out.insert(
                    format!("{m} {}", normalize(path)),
                    format!("{m} {}", path.strip_prefix("/api/v1").unwrap_or(path)),
                );
            }
        }
    }
    out
}

/// Operations of the document without a step, and steps whose operation is not in it.
pub fn coverage(doc: &BTreeMap<String, String>, steps: &[Step]) -> (Vec<String>, Vec<String>) {
    let walked: BTreeSet<String> = steps.iter().map(Step::operation).collect();
    let missing = doc
        .iter()
        .filter(|(k, _)| !walked.contains(*k))
        .map(|(_, v)| v.clone())
        .collect();
    let stale = walked
        .iter()
        .filter(|k| !doc.contains_key(*k))
        .cloned()
        .collect();
    (missing, stale)
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The walk's state: named values, the sessions of each person, the tenant.
pub struct Walk<'a> {
    pub api: &'a Api,
    pub tenant: Uuid,
    pub vars: BTreeMap<String, Value>,
    tokens: BTreeMap<&'static str, String>,
    admin: sqlx::PgConnection,
    /// Tables outside the audit trail that steps may write (the test's list, with reasons).
    unaudited: BTreeSet<String>,
    audited: BTreeSet<String>,
    /// One query: per tenant table, its row count and newest row version of the tenant.
    states_sql: String,
}

impl<'a> Walk<'a> {
    /// `people`: the demo persons the steps may name as callers or as `{placeholders}`.
    /// `unaudited`: the tables outside the audit trail that a step may write (by design).
    pub async fn new(
        api: &'a Api,
        tenant: Uuid,
        people: &[(&str, Uuid)],
        unaudited: &[&str],
    ) -> Self {
        let mut admin = api.db.admin().await.expect("admin connection");
        let audited: BTreeSet<String> =
            sqlx::query_scalar("SELECT table_name FROM pms_meta.audited_tables")
                .fetch_all(&mut admin)
                .await
                .unwrap()
                .into_iter()
                .collect();
        // Every table of the tenant but the trail itself (partitions through their parent).
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                AND c.relname NOT IN ('audit_log', 'security_events', 'audit_chain_heads')
                AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                             AND a.attname = 'tenant_id' AND NOT a.attisdropped)
              ORDER BY 1",
        )
        .fetch_all(&mut admin)
        .await
        .unwrap();
        for t in unaudited {
            assert!(
                tables.iter().any(|x| x == t),
                "{t} is listed as written outside the audit trail but is no table of the tenant"
            );
            assert!(
                !audited.contains(*t),
                "{t} is listed as unaudited but is audited"
            );
        }
        let states_sql = tables
            .iter()
            .map(|t| {
                format!(
                    "SELECT '{t}'::text, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text
                       FROM public.{t} WHERE tenant_id = $1"
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let mut vars = BTreeMap::new();
        vars.insert("tenant".to_string(), Value::String(tenant.to_string()));
        for (name, id) in people {
            vars.insert(name.to_string(), Value::String(id.to_string()));
        }
        Self {
            api,
            tenant,
            vars,
            tokens: BTreeMap::new(),
            admin,
            unaudited: unaudited.iter().map(|t| t.to_string()).collect(),
            audited,
            states_sql,
        }
    }

    /// Per tenant table: its row count and newest row version (any write changes one).
    async fn states(&mut self) -> BTreeMap<String, String> {
        sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(self.states_sql.clone()))
            .bind(self.tenant)
            .fetch_all(&mut self.admin)
            .await
            .unwrap()
            .into_iter()
            .collect()
    }

    pub fn fill(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (k, v) in &self.vars {
            out = out.replace(&format!("{{{k}}}"), &text_of(v));
        }
        out
    }

    fn fill_value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => {
                if let Some(name) = s.strip_prefix('{').and_then(|r| r.strip_suffix('}'))
                    && let Some(found) = self.vars.get(name)
                {
                    return found.clone();
                }
                Value::String(self.fill(s))
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.fill_value(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), self.fill_value(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn person(&self, who: &str) -> Uuid {
        text_of(
            self.vars
                .get(who)
                .unwrap_or_else(|| panic!("{who} is not a person of the walk")),
        )
        .parse()
        .unwrap()
    }

    async fn sign_in(&self, who: &str) -> String {
        self.api.login(who).await
    }

    async fn token(&mut self, who: &'static str) -> String {
        if let Some(t) = self.tokens.get(who) {
            return t.clone();
        }
        let t = self.sign_in(who).await;
        self.tokens.insert(who, t.clone());
        t
    }

    /// The highest sequence number of the tenant's audit trail and security events.
    async fn heads(&mut self) -> (i64, i64) {
        sqlx::query_as(
            "SELECT (SELECT coalesce(max(seq), 0) FROM audit_log WHERE tenant_id = $1),
                    (SELECT coalesce(max(seq), 0) FROM security_events WHERE tenant_id = $1)",
        )
        .bind(self.tenant)
        .fetch_one(&mut self.admin)
        .await
        .unwrap()
    }

    /// Security events of `event_type` for `actor` after sequence number `after`.
    async fn new_events(&mut self, after: i64, actor: Uuid, event_type: &str) -> i64 {
        sqlx::query_scalar(
            "SELECT count(*) FROM security_events
              WHERE tenant_id = $1 AND seq > $2 AND user_id = $3 AND event_type = $4",
        )
        .bind(self.tenant)
        .bind(after)
        .bind(actor)
        .bind(event_type)
        .fetch_one(&mut self.admin)
        .await
        .unwrap()
    }

    /// Runs one step: the tables its audit entries name, or the failure, in words, if it did
    /// not do what it must.
    pub async fn run(&mut self, s: &Step) -> Result<Vec<String>, String> {
        let label = format!("{} (as {})", s.operation(), s.who);
        for (name, v) in &s.sets {
            self.vars.insert(name.to_string(), v.clone());
        }
        for (name, sql) in &s.finds {
            let sql = self.fill(sql);
            let found: Option<Value> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT (SELECT to_jsonb(q) FROM ({sql}) q LIMIT 1)"
            )))
            .fetch_one(&self.api.db.maintenance)
            .await
            .map_err(|e| format!("{label}: finding {name}: {e}"))?;
            let value = found
                .as_ref()
                .and_then(Value::as_object)
                .and_then(|o| o.values().next().cloned())
                .filter(|v| !v.is_null())
                .ok_or_else(|| format!("{label}: nothing found for {name} by {sql}"))?;
            self.vars.insert(name.to_string(), value);
        }
        let token = match s.session {
            Session::Shared => Some(self.token(s.who).await),
            Session::Fresh => Some(self.sign_in(s.who).await),
            Session::None => None,
        };
        let path = format!("/api/v1{}", self.fill(&s.path));
        let actor = self.person(s.who);
        let (audit_before, events_before) = self.heads().await;
        let tables_before = self.states().await;
        let mut req = self
            .api
            .client
            .request(s.method.clone(), format!("{}{path}", self.api.base));
        if let Some(t) = &token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = &s.body {
            req = req.json(&self.fill_value(b));
        } else if let Some((ct, text)) = &s.raw {
            req = req
                .header("content-type", *ct)
                .body(self.fill(text).into_bytes());
        }
        let resp = req
            .send()
            .await
            .map_err(|e| format!("{label}: {path}: {e}"))?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(format!("{label}: {path} answered {status}: {text}"));
        }
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        for (name, pointer) in &s.keeps {
            let v = body
                .pointer(pointer)
                .filter(|v| !v.is_null())
                .cloned()
                .ok_or_else(|| format!("{label}: no {pointer} in the answer {text}"))?;
            self.vars.insert(name.to_string(), v);
        }
        let (_, events_after) = self.heads().await;
        let tables_after = self.states().await;
        let outside: Vec<&String> = tables_after
            .iter()
            .filter(|(t, v)| tables_before.get(*t) != Some(*v))
            .map(|(t, _)| t)
            .filter(|t| !self.audited.contains(*t) && !self.unaudited.contains(*t))
            .collect();
        if !outside.is_empty() {
            return Err(format!(
                "{label}: {status}, but it wrote {outside:?}, which the audit trail does not cover"
            ));
        }
        for event_type in &s.events {
            if self.new_events(events_before, actor, event_type).await == 0 {
                return Err(format!(
                    "{label}: {status}, but no {event_type} security event of {actor}"
                ));
            }
        }
        match &s.leaves {
            Leaves::Audit => {
                let (new, by_actor): (i64, i64) = sqlx::query_as(
                    "SELECT count(*), count(*) FILTER (WHERE actor_user_id = $3)
                       FROM audit_log WHERE tenant_id = $1 AND seq > $2",
                )
                .bind(self.tenant)
                .bind(audit_before)
                .bind(actor)
                .fetch_one(&mut self.admin)
                .await
                .unwrap();
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT DISTINCT table_name || CASE WHEN actor_user_id = $3 THEN '' ELSE ' (by '
                            || coalesce(actor_user_id::text, 'nobody') || ')' END
                       FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY 1",
                )
                .bind(self.tenant)
                .bind(audit_before)
                .bind(actor)
                .fetch_all(&mut self.admin)
                .await
                .unwrap();
                if by_actor == 0 {
                    return Err(format!(
                        "{label}: {status}, but no audit entry names {actor} ({new} new entries{}{})",
                        if tables.is_empty() { "" } else { ": " },
                        tables.join(", ")
                    ));
                }
                Ok(tables)
            }
            Leaves::SecurityEvent { event_type, .. } => {
                if self.new_events(events_before, actor, event_type).await == 0 {
                    return Err(format!(
                        "{label}: {status}, but no {event_type} security event of {actor} ({} new events)",
                        events_after - events_before
                    ));
                }
                Ok(vec![format!("security_events {event_type}")])
            }
        }
    }
}
