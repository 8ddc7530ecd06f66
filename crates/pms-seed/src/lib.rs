//! Seed data: the demo tenants a newcomer logs in to, and generated tenants at scale (with the
//! verified bulk loads that make them fast and the seed benchmark's baselines). A crate of its
//! own, so that `pms-db`, which every crate needs, carries none of this.

pub mod baseline;
pub mod bulk;
mod copy_text;
pub mod demo;
pub mod demo_domains;
pub mod demo_tenants;
pub mod error;
pub mod generate;
pub mod password;

use uuid::Uuid;

/// Namespace for deterministic seed ids: the same name always yields the same id, which makes
/// every seed idempotent (`ON CONFLICT DO NOTHING` on the primary key).
const SEED_NAMESPACE: Uuid = Uuid::from_u128(0x5f0e_4b8c_9a1d_4e2b_8c3f_7d6a_1b2c_3d4e);

/// A deterministic id for a seeded row.
pub fn seed_id(parts: &[&str]) -> Uuid {
    Uuid::new_v5(&SEED_NAMESPACE, parts.join("/").as_bytes())
}
