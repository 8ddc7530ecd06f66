//! The people directory on the demo tenant: paging walks everyone once in name order, and the
//! `q` search returns exactly the people whose first name, last name or email starts with each
//! word of the query, in any case (checked against every demo person, computed here from their
//! rows), with wildcards and other odd characters taken literally.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Api;
use pms_seed::demo_tenants::{DEMO_COMPANY, tenant_id};
use reqwest::StatusCode;
use std::collections::BTreeSet;
use uuid::Uuid;

struct Person {
    id: Uuid,
    /// What the search looks in, lowercased: first name, last name, email.
    fields: [String; 3],
}

async fn everyone(api: &Api) -> Vec<Person> {
    let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
        "SELECT id, first_name, last_name, email FROM users
          WHERE tenant_id = $1 AND deleted_at IS NULL",
    )
    .bind(tenant_id(&DEMO_COMPANY))
    .fetch_all(&api.db.maintenance)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(id, f, l, e)| Person {
            id,
            fields: [f.to_lowercase(), l.to_lowercase(), e],
        })
        .collect()
}

/// Every id the directory returns for `query` (all pages of `limit`).
async fn walk(api: &Api, token: &str, query: &str, limit: usize) -> Vec<Uuid> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = reqwest::Url::parse("http://x/api/v1/people").unwrap();
        url.query_pairs_mut()
            .append_pair("limit", &limit.to_string());
        if !query.is_empty() {
            url.query_pairs_mut().append_pair("q", query);
        }
        if let Some(c) = &cursor {
            url.query_pairs_mut().append_pair("cursor", c);
        }
        let path = format!("{}?{}", url.path(), url.query().unwrap());
        let r = api.get(&path, token).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        let items = r.body["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        out.extend(
            items
                .iter()
                .map(|p| p["id"].as_str().unwrap().parse::<Uuid>().unwrap()),
        );
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

#[tokio::test]
async fn the_directory_pages_through_everyone_once_in_name_order() -> anyhow::Result<()> {
    let api = Api::start().await?;
    let token = api.login("employee").await;
    let expected: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM users WHERE tenant_id = $1 AND deleted_at IS NULL
          ORDER BY lower(last_name || ' ' || first_name) COLLATE \"C\", id",
    )
    .bind(tenant_id(&DEMO_COMPANY))
    .fetch_all(&api.db.maintenance)
    .await?;
    assert!(expected.len() > 5, "the demo tenant has {}", expected.len());
    for limit in [1, 7, 200] {
        assert_eq!(
            walk(&api, &token, "", limit).await,
            expected,
            "limit {limit}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn search_finds_exactly_the_people_whose_first_name_last_name_or_email_starts_with_each_word()
-> anyhow::Result<()> {
    let api = Api::start().await?;
    let token = api.login("employee").await;
    let people = everyone(&api).await;

    // Queries taken from the data: prefixes of first names, last names and emails, two words
    // together, other case, and words that start nothing.
    let mut queries: Vec<String> = Vec::new();
    for p in &people {
        let [first, last, email] = &p.fields;
        queries.push(first.chars().take(2).collect());
        queries.push(last.chars().take(3).collect());
        queries.push(email.chars().take(4).collect());
        queries.push(format!("{} {last}", first.chars().next().unwrap()));
        queries.push(format!("{} {}", &email[..3], last.to_uppercase()));
        queries.push(first.to_uppercase());
        // Inside a name, not at its start: matches only where another field starts so.
        queries.push(last.chars().skip(1).take(3).collect());
    }
    queries.extend(
        [
            "zzqx", "@", ".", "%", "_", "\\", "a%", "a_", "'", "\"", "e  a",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut matched_some = 0;
    for q in &queries {
        let words: Vec<String> = q.split_whitespace().map(|w| w.to_lowercase()).collect();
        let expected: BTreeSet<Uuid> = people
            .iter()
            .filter(|p| {
                words
                    .iter()
                    .all(|w| p.fields.iter().any(|f| f.starts_with(w.as_str())))
            })
            .map(|p| p.id)
            .collect();
        let got = walk(&api, &token, q, 50).await;
        let got_set: BTreeSet<Uuid> = got.iter().copied().collect();
        assert_eq!(got.len(), got_set.len(), "{q:?}: someone twice");
        assert_eq!(got_set, expected, "q = {q:?}");
        if !expected.is_empty() {
            matched_some += 1;
        }
    }
    // Six of the seven queries per person start one of their fields.
    assert!(
        matched_some >= people.len() * 6,
        "only {matched_some} of {} queries matched anyone: the check would prove little",
        queries.len()
    );
    // Paging inside a search keeps the order and loses no one.
    let q = &queries[0];
    let all = walk(&api, &token, q, 200).await;
    assert_eq!(walk(&api, &token, q, 1).await, all);
    Ok(())
}
