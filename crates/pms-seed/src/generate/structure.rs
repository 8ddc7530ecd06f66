//! The structure batch of a generated tenant, loaded before its people: business units, cost
//! centres, departments, roles, a review template and two review cycles.

use super::plan::{Plan, anchor};
use crate::copy_text::CopyBuf;

/// Business units, cost centres, departments, roles, a review template and two review cycles.
pub(crate) fn structure_rows(plan: &Plan) -> Vec<(&'static str, &'static str, CopyBuf)> {
    let t = plan.tenant;
    let a = anchor();
    let mut units = CopyBuf::new();
    let mut centers = CopyBuf::new();
    for (k, (code, name)) in [
        ("PE", "Product & Engineering"),
        ("GTM", "Go-To-Market"),
        ("CORP", "Corporate"),
    ]
    .iter()
    .enumerate()
    {
        units.raw(t).raw(plan.unit(k as u64)).text(code).text(name);
        units.end_row();
        centers
            .raw(t)
            .raw(plan.cost_center(k as u64))
            .text(&format!("CC-{}", 100 * (k + 1)))
            .text(name)
            .raw(plan.unit(k as u64));
        centers.end_row();
    }
    let mut depts = CopyBuf::new();
    for key in plan.department_keys() {
        let (code, name) = if key == 0 {
            ("EXEC".to_string(), "Executive Office".to_string())
        } else {
            (format!("D{key}"), format!("Department {key}"))
        };
        depts
            .raw(t)
            .raw(plan.dept(key))
            .text(&code)
            .text(&name)
            .opt(plan.parent(key).map(|p| plan.dept(p)));
        depts.raw(plan.unit(key)).raw(plan.cost_center(key));
        depts.end_row();
    }
    let mut roles = CopyBuf::new();
    for (code, name) in [
        ("EMPLOYEE", "Employee"),
        ("MANAGER", "People manager"),
        ("ADMIN", "Administrator"),
        ("HR_ADMIN", "HR administrator"),
    ] {
        roles
            .raw(t)
            .raw(plan.role(code))
            .text(code)
            .text(name)
            .raw("t");
        roles.end_row();
    }
    let mut templates = CopyBuf::new();
    templates
        .raw(t)
        .raw(plan.template())
        .text("Standard review")
        .text("MANAGER")
        .raw("t");
    templates.end_row();
    let mut cycles = CopyBuf::new();
    let d = |days: i64| a + time::Duration::days(days);
    cycles
        .raw(t)
        .raw(plan.cycle(2025))
        .text("Annual review 2025")
        .text("ANNUAL")
        .text("COMPLETED")
        .raw(plan.template())
        .raw(d(-365))
        .raw(d(-1));
    cycles.end_row();
    cycles
        .raw(t)
        .raw(plan.cycle(2026))
        .text("Mid-year review 2026")
        .text("SEMI_ANNUAL")
        .text("MANAGER_REVIEW")
        .raw(plan.template())
        .raw(a)
        .raw(d(180));
    cycles.end_row();
    vec![
        (
            "business_units",
            "business_units (tenant_id, id, code, name)",
            units,
        ),
        (
            "cost_centers",
            "cost_centers (tenant_id, id, code, name, business_unit_id)",
            centers,
        ),
        (
            "departments",
            "departments (tenant_id, id, code, name, parent_id, business_unit_id, cost_center_id)",
            depts,
        ),
        (
            "roles",
            "roles (tenant_id, id, code, name, is_system)",
            roles,
        ),
        (
            "review_templates",
            "review_templates (tenant_id, id, name, review_type, is_default)",
            templates,
        ),
        (
            "review_cycles",
            "review_cycles (tenant_id, id, name, cycle_type, status, template_id, period_start, period_end)",
            cycles,
        ),
    ]
}
