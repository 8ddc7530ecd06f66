//! Checks of the data itself, for tests of operations that rewrite many tables (erasure,
//! restores): every CHECK and foreign key holds for every row; a tenant's rows as digests, so a
//! test can tell which rows an operation changed and whether each change is explained (the row
//! named the subject, or depends through a foreign key on a row that changed); and a
//! data-only `pg_dump`, to search what an operator would search.

use anyhow::Context as _;
use sqlx::PgConnection;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Rows that break a CHECK or a foreign key (MATCH SIMPLE), as `table constraint: n rows`, in
/// every table of the database (run as a superuser: RLS would hide rows).
pub async fn constraint_violations(conn: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    let constraints: Vec<(String, String, String)> = sqlx::query_as(
        r#"SELECT k.conrelid::regclass::text, k.conname::text,
                  CASE k.contype
                  WHEN 'c' THEN format('SELECT count(*) FROM %s t WHERE NOT (%s)', k.conrelid::regclass,
                                       regexp_replace(pg_get_constraintdef(k.oid), '^CHECK (.*?)( NO INHERIT)?$', '\1'))
                  ELSE format('SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
                              k.conrelid::regclass,
                              (SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ')
                                 FROM unnest(k.conkey) u(n) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n),
                              k.confrelid::regclass,
                              (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')
                                 FROM unnest(k.conkey, k.confkey) u(c, p)
                                 JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.c
                                 JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.p))
                  END
           FROM pg_constraint k
           JOIN pg_class c ON c.oid = k.conrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE k.contype IN ('c', 'f') AND k.conparentid = 0 AND NOT c.relispartition
             AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           ORDER BY 1, 2"#,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (table, name, sql) in constraints {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_one(&mut *conn)
            .await
            .with_context(|| format!("checking {table} {name}: {sql}"))?;
        if n > 0 {
            out.push(format!("{table} {name}: {n} rows"));
        }
    }
    Ok(out)
}

/// One row (or, in a table without a primary key, one group of rows of the same person).
#[derive(Debug, Clone, PartialEq)]
pub struct RowState {
    /// md5 of the row as JSON (a group: its row count and the sum of its rows' hashes).
    pub digest: String,
    /// The row as JSON (a group: its person's id), to search.
    pub text: String,
    /// Keys of the rows it references by foreign key.
    pub parents: Vec<String>,
}

/// A tenant's rows in every tenant table of `public` and `timeseries`, by `table|key`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TenantRows {
    pub rows: BTreeMap<String, RowState>,
    /// `table|col=value;...` of each referenced key of a row, to its row key.
    refs: HashMap<String, String>,
}

fn ref_key(table: &str, cols: &[String], row: &serde_json::Value) -> Option<String> {
    let mut parts = Vec::new();
    for c in cols {
        match row.get(c) {
            None | Some(serde_json::Value::Null) => return None,
            Some(v) => parts.push(format!("{c}={v}")),
        }
    }
    Some(format!("{table}|{}", parts.join(";")))
}

impl TenantRows {
    /// Reads every row of `tenant` (superuser connection).
    pub async fn capture(conn: &mut PgConnection, tenant: uuid::Uuid) -> anyhow::Result<Self> {
        // Tables, their primary key, and the foreign keys among them (referencing column ->
        // referenced column, paired by position and then sorted by the referenced name).
        let tables: Vec<(String, Vec<String>, Option<String>)> = sqlx::query_as(
            r#"SELECT c.oid::regclass::text,
                      coalesce((SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_index i
                                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
                                WHERE i.indrelid = c.oid AND i.indisprimary), '{}'),
                      (SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND NOT a.attisdropped
                         AND a.attname IN ('user_id', 'subject_id') ORDER BY a.attname LIMIT 1)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname IN ('public', 'timeseries') AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                 AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
               ORDER BY 1"#,
        )
        .fetch_all(&mut *conn)
        .await?;
        let fks: Vec<(String, String, Vec<String>, Vec<String>)> = sqlx::query_as(
            r#"SELECT k.conrelid::regclass::text, k.confrelid::regclass::text,
                      (SELECT array_agg(ca.attname::text ORDER BY pa.attname) FROM unnest(k.conkey, k.confkey) u(c, p)
                       JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.c
                       JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.p),
                      (SELECT array_agg(pa.attname::text ORDER BY pa.attname) FROM unnest(k.confkey) u(p)
                       JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.p)
               FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
               WHERE k.contype = 'f' AND k.conparentid = 0 AND NOT c.relispartition"#,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut out = TenantRows::default();
        for (table, pk, person) in &tables {
            let own: BTreeSet<Vec<String>> = fks
                .iter()
                .filter(|f| &f.1 == table)
                .map(|f| f.3.clone())
                .collect();
            let mine: Vec<&(String, String, Vec<String>, Vec<String>)> =
                fks.iter().filter(|f| &f.0 == table).collect();
            if pk.is_empty() {
                let group = person
                    .as_deref()
                    .map_or("''".to_string(), |p| format!("t.{p}::text"));
                let sql = format!(
                    "SELECT coalesce({group}, ''), count(*) || ':' || sum(hashtextextended(t::text, 0))
                     FROM {table} t WHERE t.tenant_id = $1 GROUP BY 1"
                );
                let groups: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(tenant)
                    .fetch_all(&mut *conn)
                    .await?;
                for (g, digest) in groups {
                    out.rows.insert(
                        format!("{table}|group={g}"),
                        RowState {
                            digest,
                            text: g,
                            parents: Vec::new(),
                        },
                    );
                }
                continue;
            }
            let sql = format!(
                "SELECT md5(to_jsonb(t)::text), to_jsonb(t) FROM {table} t WHERE t.tenant_id = $1"
            );
            let rows: Vec<(String, serde_json::Value)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(tenant)
                .fetch_all(&mut *conn)
                .await?;
            for (digest, row) in rows {
                let key = ref_key(table, pk, &row).context("a primary key column is NULL")?;
                for cols in &own {
                    if let Some(r) = ref_key(table, cols, &row) {
                        out.refs.insert(r, key.clone());
                    }
                }
                let parents = mine
                    .iter()
                    .filter_map(|(_, parent, child_cols, parent_cols)| {
                        let vals: Option<Vec<String>> = child_cols
                            .iter()
                            .map(|c| row.get(c).filter(|v| !v.is_null()).map(|v| v.to_string()))
                            .collect();
                        vals.map(|v| {
                            let parts: Vec<String> = parent_cols
                                .iter()
                                .zip(v)
                                .map(|(c, v)| format!("{c}={v}"))
                                .collect();
                            format!("{parent}|{}", parts.join(";"))
                        })
                    })
                    .collect();
                out.rows.insert(
                    key,
                    RowState {
                        digest,
                        text: row.to_string(),
                        parents,
                    },
                );
            }
        }
        Ok(out)
    }

    /// Rows that `after` has and this has not.
    pub fn added<'a>(&self, after: &'a TenantRows) -> Vec<&'a str> {
        after
            .rows
            .keys()
            .filter(|k| !self.rows.contains_key(*k))
            .map(String::as_str)
            .collect()
    }

    /// Rows changed or gone in `after` (tables starting with one of `skip` aside) that neither
    /// `named` the subject before (by their text) nor reference, through foreign keys, a row
    /// whose change is explained. Empty when every change is explained.
    pub fn unexplained_changes(
        &self,
        after: &TenantRows,
        skip: &[&str],
        named: &dyn Fn(&str) -> bool,
    ) -> Vec<String> {
        let changed: BTreeSet<&str> = self
            .rows
            .iter()
            .filter(|(k, _)| !skip.iter().any(|s| k.starts_with(&format!("{s}|"))))
            .filter(|(k, v)| after.rows.get(*k).is_none_or(|a| a.digest != v.digest))
            .map(|(k, _)| k.as_str())
            .collect();
        let mut explained: BTreeSet<&str> = changed
            .iter()
            .copied()
            .filter(|k| named(&self.rows[*k].text))
            .collect();
        loop {
            let more: Vec<&str> = changed
                .iter()
                .copied()
                .filter(|k| !explained.contains(k))
                .filter(|k| {
                    self.rows[*k].parents.iter().any(|p| {
                        self.refs
                            .get(p)
                            .is_some_and(|parent| explained.contains(parent.as_str()))
                    })
                })
                .collect();
            if more.is_empty() {
                break;
            }
            explained.extend(more);
        }
        changed
            .into_iter()
            .filter(|k| !explained.contains(k))
            .map(|k| {
                let how = if after.rows.contains_key(k) {
                    "changed"
                } else {
                    "gone"
                };
                format!("{k} ({how}): {}", self.rows[k].text)
            })
            .collect()
    }
}

/// The pg_dump binary: `PMS_PG_DUMP`, else PostgreSQL 15's, else the one on PATH.
pub fn pg_dump_binary() -> String {
    if let Ok(p) = std::env::var("PMS_PG_DUMP") {
        return p;
    }
    let v15 = "/usr/lib/postgresql/15/bin/pg_dump";
    if std::path::Path::new(v15).is_file() {
        v15.to_string()
    } else {
        "pg_dump".to_string()
    }
}

/// `pg_dump --data-only` of the database at `url` (an administrative URL).
pub fn data_dump(url: &str) -> anyhow::Result<String> {
    let out = std::process::Command::new(pg_dump_binary())
        .args(["--data-only", "--no-owner", "--dbname", url])
        .output()
        .context("running pg_dump (set PMS_PG_DUMP to its path)")?;
    anyhow::ensure!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

/// True when `needle` occurs in `haystack` as a whole word (case-insensitive, ASCII): "Jan" is
/// not found in "Janet", nor "Jane" in "Mary-Jane", nor "manager@x.io" in "sales.manager@x.io"
/// (a word joined on by `.`, `+`, `-` or `@` belongs to it), nor "E0002" in "1e0002f"; "Doe."
/// at the end of a sentence is found. The rule of `pms_retention.scrub_text`.
pub fn contains_word(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.to_ascii_lowercase(), needle.to_ascii_lowercase());
    if n.is_empty() {
        return false;
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let joiner = |c: Option<char>| matches!(c, Some('.' | '+' | '-' | '@'));
    h.match_indices(&n).any(|(i, _)| {
        let mut before = h[..i].chars().rev();
        let mut after = h[i + n.len()..].chars();
        let (b1, b2) = (before.next(), before.next());
        let (a1, a2) = (after.next(), after.next());
        let joined = |c1, c2| word(c1) || (joiner(c1) && word(c2));
        !joined(b1, b2) && !joined(a1, a2)
    })
}

#[cfg(test)]
mod tests {
    use super::contains_word;

    #[test]
    fn whole_words_only() {
        assert!(contains_word("Met JANE DOE.", "jane doe"));
        assert!(contains_word("(jan@x.io)", "jan@x.io"));
        assert!(!contains_word("Janet", "jan"));
        assert!(!contains_word("Mary-Jane", "jane"));
        assert!(!contains_word("sales.manager@x.io", "manager@x.io"));
        assert!(!contains_word("jan@x.io.au", "jan@x.io"));
        assert!(!contains_word("01e0002f", "e0002"));
        assert!(contains_word("no E0002, then", "e0002"));
    }
}
