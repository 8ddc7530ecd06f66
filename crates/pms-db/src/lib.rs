//! PostgreSQL for pms: connections per role, migrations, tenant transactions, the private
//! cluster for newcomers, and the demo seed.

pub mod backend;
pub mod bootstrap;
pub mod cluster;
pub mod connect;
pub mod migrate;
pub mod nodelay;
pub mod password;
pub mod schema_doc;
pub mod seed;
pub mod tenant;
pub mod time_partitions;

pub use connect::{DbUrls, RoleName};
pub use tenant::{MaintenanceTx, TenantTx};
