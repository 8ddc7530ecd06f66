//! The two demo tenants, their password and the ids of their tenant and people: what both the
//! identity seed (`demo`) and the other domains (`demo_domains`) refer to.

use super::seed_id;
use uuid::Uuid;

/// The demo password of every demo account.
pub const DEMO_PASSWORD: &str = "demo123";

/// One demo tenant's description.
pub struct DemoTenant {
    pub slug: &'static str,
    pub name: &'static str,
    pub domain: &'static str,
}

pub const DEMO_COMPANY: DemoTenant = DemoTenant {
    slug: "demo-company",
    name: "Demo Company",
    domain: "demo.pms-platform.local",
};
pub const SECOND_TENANT: DemoTenant = DemoTenant {
    slug: "acme-test",
    name: "Acme Test Corp",
    domain: "acme.pms-platform.local",
};

/// The id of a demo tenant.
pub fn tenant_id(t: &DemoTenant) -> Uuid {
    seed_id(&[t.slug, "tenant"])
}

/// The id of a demo person (`local` is the email local part).
pub fn user_id(t: &DemoTenant, local: &str) -> Uuid {
    seed_id(&[t.slug, "user", local])
}
