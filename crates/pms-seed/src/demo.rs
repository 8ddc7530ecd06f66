//! `pms seed --demo`: "Demo Company" with its structure, a CEO → managers → employees
//! hierarchy and the four demo accounts, every other domain (see `demo_domains`), plus a second small tenant whose codes and emails
//! collide on purpose, so tenant isolation can be seen. Running it twice changes nothing.

pub use super::demo_tenants::{
    DEMO_COMPANY, DEMO_PASSWORD, DemoTenant, SECOND_TENANT, tenant_id, user_id,
};
use super::seed_id;
use crate::password;
use pms_db::tenant::MaintenanceTx;
use sqlx::PgPool;
use uuid::Uuid;

/// (local part, first, last, title, level, manager local part, department code, roles)
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i16,
    Option<&'static str>,
    &'static str,
    &'static [&'static str],
);

const PEOPLE: &[Person] = &[
    (
        "ceo",
        "Carol",
        "Chen",
        "Chief Executive Officer",
        10,
        None,
        "EXEC",
        &["EMPLOYEE"],
    ),
    (
        "admin",
        "Alex",
        "Admin",
        "HR Director",
        8,
        Some("ceo"),
        "HR",
        &["ADMIN", "HR_ADMIN"],
    ),
    (
        "manager",
        "Morgan",
        "Manager",
        "Engineering Manager",
        7,
        Some("ceo"),
        "ENG",
        &["MANAGER"],
    ),
    (
        "sales.manager",
        "Sam",
        "Seller",
        "Sales Manager",
        7,
        Some("ceo"),
        "SALES",
        &["MANAGER"],
    ),
    (
        "employee",
        "Eli",
        "Employee",
        "Software Engineer",
        4,
        Some("manager"),
        "ENG",
        &["EMPLOYEE"],
    ),
    (
        "jane",
        "Jane",
        "Doe",
        "Senior Software Engineer",
        5,
        Some("manager"),
        "ENG",
        &["EMPLOYEE"],
    ),
    (
        "raj",
        "Raj",
        "Patel",
        "Product Designer",
        4,
        Some("manager"),
        "PROD",
        &["EMPLOYEE"],
    ),
    (
        "lena",
        "Lena",
        "Novak",
        "Account Executive",
        4,
        Some("sales.manager"),
        "SALES",
        &["EMPLOYEE"],
    ),
    (
        "omar",
        "Omar",
        "Haddad",
        "Sales Development Rep",
        3,
        Some("sales.manager"),
        "SALES",
        &["EMPLOYEE"],
    ),
];

const ROLES: &[(&str, &str, &[&str])] = &[
    ("ADMIN", "Administrator", &["*"]),
    (
        "HR_ADMIN",
        "HR administrator",
        &[
            "reviews:*",
            "pips:*",
            "compensation:*",
            "users:*",
            "reports:*",
        ],
    ),
    (
        "MANAGER",
        "People manager",
        &[
            "reviews:team",
            "goals:team",
            "feedback:team",
            "one_on_ones:team",
        ],
    ),
    (
        "EMPLOYEE",
        "Employee",
        &["goals:self", "feedback:self", "reviews:self"],
    ),
];

/// (code, name, business unit code, cost center code)
const DEPARTMENTS: &[(&str, &str, &str, &str)] = &[
    ("EXEC", "Executive Office", "CORP", "CC-300"),
    ("ENG", "Engineering", "PE", "CC-100"),
    ("PROD", "Product", "PE", "CC-100"),
    ("SALES", "Sales", "GTM", "CC-200"),
    ("HR", "People", "CORP", "CC-300"),
];

/// A summary of what the demo seed holds (whether or not this run inserted it).
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub tenants: Vec<(Uuid, String)>,
    pub logins: Vec<(String, String)>,
    pub inserted_rows: u64,
}

/// Seeds both demo tenants. `pool` logs in as `pms_maintenance` (or the owner).
pub async fn seed_demo(pool: &PgPool) -> Result<DemoSummary, sqlx::Error> {
    let mut inserted = 0;
    let mut tx = MaintenanceTx::begin(pool).await?;
    // Serialise concurrent seeds of the same database.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('pms.seed.demo'))")
        .execute(&mut **tx)
        .await?;
    inserted += seed_tenant(&mut tx, &DEMO_COMPANY, PEOPLE).await?;
    inserted += super::demo_domains::seed_domains(&mut tx, &DEMO_COMPANY).await?;
    inserted += seed_tenant(&mut tx, &SECOND_TENANT, &PEOPLE[..6]).await?;
    inserted += super::demo_domains::seed_domains(&mut tx, &SECOND_TENANT).await?;
    tx.commit().await?;
    let logins = ["admin", "manager", "employee", "jane"]
        .iter()
        .map(|l| {
            (
                format!("{l}@{}", DEMO_COMPANY.domain),
                DEMO_PASSWORD.to_string(),
            )
        })
        .collect();
    Ok(DemoSummary {
        tenants: vec![
            (tenant_id(&DEMO_COMPANY), DEMO_COMPANY.name.to_string()),
            (tenant_id(&SECOND_TENANT), SECOND_TENANT.name.to_string()),
        ],
        logins,
        inserted_rows: inserted,
    })
}

async fn seed_tenant(
    tx: &mut MaintenanceTx,
    t: &DemoTenant,
    people: &[Person],
) -> Result<u64, sqlx::Error> {
    let tid = tenant_id(t);
    let id = |parts: &[&str]| {
        let mut all = vec![t.slug];
        all.extend_from_slice(parts);
        seed_id(&all)
    };
    let mut n = 0;
    n += sqlx::query("INSERT INTO tenants (id, slug, name, domain) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(tid)
        .bind(t.slug)
        .bind(t.name)
        .bind(t.domain)
        .execute(&mut ***tx)
        .await?
        .rows_affected();
    for (code, name) in [
        ("PE", "Product & Engineering"),
        ("GTM", "Go-To-Market"),
        ("CORP", "Corporate"),
    ] {
        n += sqlx::query("INSERT INTO business_units (tenant_id, id, code, name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(tid)
            .bind(id(&["bu", code]))
            .bind(code)
            .bind(name)
            .execute(&mut ***tx)
            .await?
            .rows_affected();
    }
    for (code, name, bu, budget) in [
        ("CC-100", "Engineering & Product", "PE", 4_500_000i64),
        ("CC-200", "Sales", "GTM", 2_000_000),
        ("CC-300", "General & Administrative", "CORP", 1_200_000),
    ] {
        n += sqlx::query(
            "INSERT INTO cost_centers (tenant_id, id, code, name, business_unit_id, annual_budget)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(tid)
        .bind(id(&["cc", code]))
        .bind(code)
        .bind(name)
        .bind(id(&["bu", bu]))
        .bind(rust_decimal::Decimal::from(budget))
        .execute(&mut ***tx)
        .await?
        .rows_affected();
    }
    for (code, name, bu, cc) in DEPARTMENTS {
        n += sqlx::query(
            "INSERT INTO departments (tenant_id, id, code, name, business_unit_id, cost_center_id)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(tid)
        .bind(id(&["dept", code]))
        .bind(code)
        .bind(name)
        .bind(id(&["bu", bu]))
        .bind(id(&["cc", cc]))
        .execute(&mut ***tx)
        .await?
        .rows_affected();
    }
    for (code, name, perms) in ROLES {
        n += sqlx::query(
            "INSERT INTO roles (tenant_id, id, code, name, permissions, is_system) VALUES ($1, $2, $3, $4, $5, true)
             ON CONFLICT DO NOTHING",
        )
        .bind(tid)
        .bind(id(&["role", code]))
        .bind(code)
        .bind(name)
        .bind(perms.iter().map(|p| p.to_string()).collect::<Vec<_>>())
        .execute(&mut ***tx)
        .await?
        .rows_affected();
    }
    let existing: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1")
        .bind(tid)
        .fetch_all(&mut ***tx)
        .await?;
    for (i, (local, first, last, title, level, manager, dept, roles)) in people.iter().enumerate() {
        let uid = user_id(t, local);
        if existing.contains(&uid) {
            continue;
        }
        let hash = password::hash(DEMO_PASSWORD).map_err(sqlx::Error::Protocol)?;
        let dept_row = DEPARTMENTS.iter().find(|d| d.0 == *dept);
        n += sqlx::query(
            "INSERT INTO users (tenant_id, id, email, first_name, last_name, display_name, password_hash, job_title,
                                employee_number, department_id, business_unit_id, cost_center_id, manager_id, level, hire_date)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, DATE '2020-01-06' + $15::int * 97)
             ON CONFLICT DO NOTHING",
        )
        .bind(tid)
        .bind(uid)
        .bind(format!("{local}@{}", t.domain))
        .bind(first)
        .bind(last)
        .bind(format!("{first} {last}"))
        .bind(hash)
        .bind(title)
        .bind(format!("E{:04}", i + 1))
        .bind(id(&["dept", dept]))
        .bind(dept_row.map(|d| id(&["bu", d.2])))
        .bind(dept_row.map(|d| id(&["cc", d.3])))
        .bind(manager.map(|m| user_id(t, m)))
        .bind(level)
        .bind(i as i32)
        .execute(&mut ***tx)
        .await?
        .rows_affected();
        for role in *roles {
            n += sqlx::query(
                "INSERT INTO user_roles (tenant_id, id, user_id, role_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(tid)
            .bind(id(&["user_role", local, role]))
            .bind(uid)
            .bind(id(&["role", role]))
            .execute(&mut ***tx)
            .await?
            .rows_affected();
        }
        if let Some(m) = manager {
            n += sqlx::query(
                "INSERT INTO reporting_lines (tenant_id, id, employee_id, manager_id, line_type, is_primary, starts_on)
                 VALUES ($1, $2, $3, $4, 'SOLID', true, DATE '2020-01-06') ON CONFLICT DO NOTHING",
            )
            .bind(tid)
            .bind(id(&["line", local]))
            .bind(uid)
            .bind(user_id(t, m))
            .execute(&mut ***tx)
            .await?
            .rows_affected();
        }
    }
    // Department heads, a matrix (dotted) line, teams.
    for (dept, head) in [
        ("EXEC", "ceo"),
        ("HR", "admin"),
        ("ENG", "manager"),
        ("SALES", "sales.manager"),
    ] {
        if people.iter().any(|p| p.0 == head) {
            sqlx::query("UPDATE departments SET head_id = $3 WHERE tenant_id = $1 AND id = $2 AND head_id IS NULL")
                .bind(tid)
                .bind(id(&["dept", dept]))
                .bind(user_id(t, head))
                .execute(&mut ***tx)
                .await?;
        }
    }
    if people.iter().any(|p| p.0 == "jane") && people.iter().any(|p| p.0 == "sales.manager") {
        n += sqlx::query(
            "INSERT INTO reporting_lines (tenant_id, id, employee_id, manager_id, line_type, is_primary, starts_on)
             VALUES ($1, $2, $3, $4, 'DOTTED', false, DATE '2024-01-01') ON CONFLICT DO NOTHING",
        )
        .bind(tid)
        .bind(id(&["line", "jane", "dotted"]))
        .bind(user_id(t, "jane"))
        .bind(user_id(t, "sales.manager"))
        .execute(&mut ***tx)
        .await?
        .rows_affected();
    }
    let teams: &[(&str, &str, &str, &str, &[&str])] = &[
        (
            "PLATFORM",
            "Platform Team",
            "ENG",
            "manager",
            &["employee", "jane"],
        ),
        ("DESIGN", "Design Guild", "PROD", "raj", &["raj", "jane"]),
        (
            "ENTERPRISE",
            "Enterprise Sales",
            "SALES",
            "sales.manager",
            &["lena", "omar"],
        ),
    ];
    for (code, name, dept, lead, members) in teams {
        let lead_present = people.iter().any(|p| p.0 == *lead);
        n += sqlx::query(
            "INSERT INTO teams (tenant_id, id, code, name, department_id, lead_id) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT DO NOTHING",
        )
        .bind(tid)
        .bind(id(&["team", code]))
        .bind(code)
        .bind(name)
        .bind(id(&["dept", dept]))
        .bind(lead_present.then(|| user_id(t, lead)))
        .execute(&mut ***tx)
        .await?
        .rows_affected();
        for m in members.iter().filter(|m| people.iter().any(|p| p.0 == **m)) {
            n += sqlx::query(
                "INSERT INTO team_members (tenant_id, id, team_id, user_id, member_role) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT DO NOTHING",
            )
            .bind(tid)
            .bind(id(&["team_member", code, m]))
            .bind(id(&["team", code]))
            .bind(user_id(t, m))
            .bind(if m == lead { "LEAD" } else { "MEMBER" })
            .execute(&mut ***tx)
            .await?
            .rows_affected();
        }
    }
    n += sqlx::query(
        "INSERT INTO access_policies (tenant_id, id, name, role_id, resource, action, effect, scope, priority)
         VALUES ($1, $2, 'managers read team reviews', $3, 'performance_reviews', 'READ', 'ALLOW', 'TEAM', 10),
                ($1, $4, 'employees read own reviews', $5, 'performance_reviews', 'READ', 'ALLOW', 'SELF', 20)
         ON CONFLICT DO NOTHING",
    )
    .bind(tid)
    .bind(id(&["policy", "mgr-reviews"]))
    .bind(id(&["role", "MANAGER"]))
    .bind(id(&["policy", "emp-reviews"]))
    .bind(id(&["role", "EMPLOYEE"]))
    .execute(&mut ***tx)
    .await?
    .rows_affected();
    n += sqlx::query(
        "INSERT INTO delegations (tenant_id, id, delegator_id, delegate_id, scope, reason, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, 'APPROVALS', 'parental leave cover',
                 date_trunc('month', now()) - interval '1 month', date_trunc('month', now()) + interval '11 months')
         ON CONFLICT DO NOTHING",
    )
    .bind(tid)
    .bind(id(&["delegation", "manager-jane"]))
    .bind(user_id(t, "manager"))
    .bind(user_id(t, "jane"))
    .execute(&mut ***tx)
    .await?
    .rows_affected();
    Ok(n)
}
