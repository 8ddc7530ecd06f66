//! Authentication: opaque session tokens, Argon2id passwords, the caller's roles, and the
//! login/logout/session endpoints.

mod password;
mod principal;
pub(crate) mod routes;
mod token;

pub use principal::{Auth, Role};

pub(crate) use password::{hash as password_hash, verify as password_ok};
pub use token::Token;
