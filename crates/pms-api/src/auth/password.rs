//! Password checks off the async workers: Argon2id costs tens of milliseconds of one core, so
//! it runs on the blocking pool behind a semaphore of `PMS_LOGIN_CONCURRENCY` permits, and the
//! other requests keep their cores.

use crate::error::ApiError;
use crate::state::AppState;

/// Whether `password` matches `phc`; with `phc = None` the dummy hash is checked instead and
/// the answer is always false (same work for an unknown account).
pub(crate) async fn verify(
    state: &AppState,
    password: String,
    phc: Option<String>,
) -> Result<bool, ApiError> {
    let _permit = state
        .login_permits()
        .acquire()
        .await
        .map_err(|_| ApiError::Unavailable("login is shutting down".into()))?;
    let known = phc.is_some();
    let phc = phc.unwrap_or_else(|| state.dummy_hash().to_string());
    let ok = tokio::task::spawn_blocking(move || pms_seed::password::verify(&password, &phc))
        .await
        .map_err(ApiError::internal)?;
    Ok(ok && known)
}

/// Hashes a new password on the blocking pool.
pub(crate) async fn hash(state: &AppState, password: String) -> Result<String, ApiError> {
    let _permit = state
        .login_permits()
        .acquire()
        .await
        .map_err(|_| ApiError::Unavailable("shutting down".into()))?;
    tokio::task::spawn_blocking(move || pms_seed::password::hash(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}
