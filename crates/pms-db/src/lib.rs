//! PostgreSQL for pms: connections per role, migrations, tenant transactions and the private
//! cluster for newcomers (the seeds are `pms-seed`'s).

pub mod backend;
pub mod bootstrap;
pub mod citus;
pub mod citus_cluster;
pub mod cluster;
pub mod connect;
pub mod migrate;
pub mod migrate_error;
pub mod nodelay;
pub mod pgbouncer;
pub mod pgbouncer_process;
pub mod read_route;
pub mod replica;
pub mod schema_doc;
pub mod session_state;
pub mod tenant;
pub mod time_partitions;

pub use connect::{DbUrls, RoleName};
pub use tenant::{MaintenanceTx, TenantTx};
