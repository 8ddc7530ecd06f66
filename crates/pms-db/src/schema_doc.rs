//! `pms schema doc`: docs/SCHEMA.md written from the live catalog of a migrated database, so
//! the document cannot drift from the schema. Tables are grouped by the `[domain]` that starts
//! their `COMMENT ON TABLE`; each domain gets a mermaid ER diagram (keys and foreign keys) and
//! a list of its indexes with the access path each serves (from `COMMENT ON INDEX`).

use sqlx::PgConnection;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Human titles of the domains, in document order; unknown domains follow, by name.
const DOMAINS: &[(&str, &str)] = &[
    ("identity", "Identity and organisation"),
    ("performance", "Performance management"),
    ("feedback_360", "360 feedback"),
    ("tracking", "Real-time tracking"),
    ("reports", "Reports and visualisation"),
    ("assessment", "Assessment"),
    ("ml", "AI, ML and engagement"),
    ("insights", "Actionable insights"),
    ("platform", "Platform"),
];

#[derive(sqlx::FromRow)]
struct Relation {
    name: String,
    kind: String,
    comment: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Column {
    table_name: String,
    column_name: String,
    type_name: String,
    is_pk: bool,
    is_fk: bool,
}

#[derive(sqlx::FromRow)]
struct ForeignKey {
    table_name: String,
    referenced: String,
    columns: String,
    nullable: bool,
}

#[derive(sqlx::FromRow)]
struct Index {
    table_name: String,
    index_name: String,
    definition: String,
    comment: Option<String>,
}

/// Splits "[domain] text" into ("domain", "text").
fn domain_of(comment: Option<&str>) -> (String, String) {
    let c = comment.unwrap_or("");
    if let Some(rest) = c.strip_prefix('[')
        && let Some((d, text)) = rest.split_once("] ")
    {
        return (d.to_string(), text.to_string());
    }
    ("other".to_string(), c.to_string())
}

/// Renders the whole document from the catalog of `conn`'s database.
pub async fn render(conn: &mut PgConnection) -> Result<String, sqlx::Error> {
    let relations: Vec<Relation> = sqlx::query_as(
        r#"SELECT c.relname::text AS name, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS kind,
                  obj_description(c.oid, 'pg_class') AS comment
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
           ORDER BY 1"#,
    )
    .fetch_all(&mut *conn)
    .await?;
    let columns: Vec<Column> = sqlx::query_as(
        r#"SELECT c.relname::text AS table_name, a.attname::text AS column_name, t.typname::text AS type_name,
                  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p' AND a.attnum = ANY (k.conkey)) AS is_pk,
                  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f' AND a.attnum = ANY (k.conkey)
                            AND a.attname <> 'tenant_id') AS is_fk
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           JOIN pg_type t ON t.oid = a.atttypid
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           ORDER BY c.relname, a.attnum"#,
    )
    .fetch_all(&mut *conn)
    .await?;
    let foreign_keys: Vec<ForeignKey> = sqlx::query_as(
        r#"SELECT k.conrelid::regclass::text AS table_name, k.confrelid::regclass::text AS referenced,
                  string_agg(a.attname::text, ', ' ORDER BY a.attnum) FILTER (WHERE a.attname <> 'tenant_id') AS columns,
                  bool_or(NOT a.attnotnull) AS nullable
           FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
           WHERE k.contype = 'f' AND k.conparentid = 0 AND n.nspname = 'public' AND k.confrelid <> 'public.tenants'::regclass
           GROUP BY k.oid, k.conrelid, k.confrelid
           ORDER BY 1, 3"#,
    )
    .fetch_all(&mut *conn)
    .await?;
    let indexes: Vec<Index> = sqlx::query_as(
        r#"SELECT t.relname::text AS table_name, c.relname::text AS index_name,
                  regexp_replace(pg_get_indexdef(c.oid), '^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?public\.\S+ (USING btree )?', '\1') AS definition,
                  obj_description(c.oid, 'pg_class') AS comment
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           WHERE n.nspname = 'public' AND NOT i.indisprimary AND NOT t.relispartition
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e')
           ORDER BY 1, 2"#,
    )
    .fetch_all(&mut *conn)
    .await?;

    let mut by_domain: BTreeMap<String, Vec<(&Relation, String)>> = BTreeMap::new();
    for r in &relations {
        let (d, text) = domain_of(r.comment.as_deref());
        by_domain.entry(d).or_default().push((r, text));
    }
    let mut order: Vec<(String, String)> = DOMAINS
        .iter()
        .filter(|(k, _)| by_domain.contains_key(*k))
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect();
    for k in by_domain.keys() {
        if !DOMAINS.iter().any(|(d, _)| d == k) {
            order.push((k.clone(), k.clone()));
        }
    }

    let tables = relations.iter().filter(|r| r.kind == "table").count();
    let mut out = String::new();
    let _ = writeln!(out, "# Schema\n");
    let _ = writeln!(
        out,
        "Generated from the live catalog by `pms schema doc` (do not edit by hand; regenerate with\n\
         `PMS_UPDATE_SNAPSHOTS=1 cargo test -p pms-db --test schema_snapshot`, or `pms schema doc`).\n"
    );
    let _ = writeln!(
        out,
        "{tables} tables, {} indexes besides primary keys. Every tenant table has `tenant_id`, primary key\n\
         `(tenant_id, id)`, foreign keys that carry `tenant_id`, and forced row-level security. Status and\n\
         type columns are `text` with `CHECK` constraints (adding a value is one `ALTER`, never an enum\n\
         rewrite). Diagrams show keys only; `tenants` and `tenant_id` are left out of them.\n",
        indexes.len()
    );
    for (_, title) in &order {
        let _ = writeln!(out, "- [{title}](#{})", anchor(title));
    }
    for (key, title) in &order {
        let members = &by_domain[key];
        let names: Vec<&str> = members.iter().map(|(r, _)| r.name.as_str()).collect();
        let _ = writeln!(out, "\n## {title}\n");
        for (r, text) in members {
            let _ = writeln!(
                out,
                "- `{}`{}: {text}",
                r.name,
                if r.kind == "view" { " (view)" } else { "" }
            );
        }
        let _ = writeln!(out, "\n```mermaid\nerDiagram");
        for (r, _) in members.iter().filter(|(r, _)| r.kind == "table") {
            let _ = writeln!(out, "    {} {{", r.name);
            for c in columns.iter().filter(|c| {
                c.table_name == r.name && c.column_name != "tenant_id" && (c.is_pk || c.is_fk)
            }) {
                let _ = writeln!(
                    out,
                    "        {} {} {}",
                    c.type_name,
                    c.column_name,
                    if c.is_pk { "PK" } else { "FK" }
                );
            }
            let _ = writeln!(out, "    }}");
        }
        for fk in foreign_keys
            .iter()
            .filter(|f| names.contains(&f.table_name.as_str()))
        {
            let card = if fk.nullable { "|o--o{" } else { "||--o{" };
            let _ = writeln!(
                out,
                "    {} {card} {} : \"{}\"",
                fk.referenced, fk.table_name, fk.columns
            );
        }
        let _ = writeln!(out, "```\n");
        let _ = writeln!(out, "| index | definition | access path |\n|---|---|---|");
        for i in indexes
            .iter()
            .filter(|i| names.contains(&i.table_name.as_str()))
        {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} |",
                i.index_name,
                i.definition.replace('|', "\\|"),
                i.comment
                    .as_deref()
                    .unwrap_or("(no comment)")
                    .replace('|', "\\|")
            );
        }
    }
    Ok(out)
}

fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(c)
            } else if c == ' ' || c == '-' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_anchors() {
        assert_eq!(
            domain_of(Some("[ml] Models")),
            ("ml".into(), "Models".into())
        );
        assert_eq!(domain_of(None).0, "other");
        assert_eq!(anchor("AI, ML and engagement"), "ai-ml-and-engagement");
    }
}
