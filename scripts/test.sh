#!/usr/bin/env bash
# Installs what the tests need (PostgreSQL 15+ with contrib, Redis, Prometheus) when it is missing, starts
# what is not running, then runs the whole test suite. Usage: scripts/test.sh [cargo test args]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh

ensure_packages
ensure_redis
ensure_test_postgres
ensure_moto
ensure_schemathesis
ensure_prometheus
export PMS_TEST_DROP_STALE_TEMPLATES=1

if cargo fmt --version >/dev/null 2>&1; then cargo fmt --all -- --check; fi
# No clippy warnings (clippy.toml: unwrap/expect only in tests). clippy-driver compiles the
# workspace's own crates in the test build itself, with -D warnings: one build lints and builds
# (`cargo clippy` would check every dependency a second time, minutes on two cores). The
# dependencies are built by plain rustc, and `cargo clippy --workspace --all-targets -- -D
# warnings` gives the same verdict by hand.
if clippy_driver=$(command -v clippy-driver) && "$clippy_driver" --version >/dev/null 2>&1; then
    export RUSTC_WORKSPACE_WRAPPER="$clippy_driver"
    export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
fi

# The alert rules: syntax, then a unit test of every rule at its real `for:` durations.
echo "== alert rules (promtool)"
promtool check rules deploy/prometheus/alerts.yml
promtool test rules deploy/prometheus/alerts_test.yml
promtool check config deploy/prometheus/prometheus.yml

echo "== tests against PostgreSQL at ${PMS_TEST_DATABASE_URL} and Redis at ${PMS_TEST_REDIS_URL}"
# With cargo-nextest (when installed) the test binaries run side by side, as .config/nextest.toml
# says; with plain cargo test one binary after another. Extra arguments go to whichever runs.
# The benchmark targets are not tests; built (and so linted) here with the tests' profile.
cargo test --workspace --benches --no-run --locked --quiet
if cargo nextest --version >/dev/null 2>&1; then
    status=0
    cargo nextest run --workspace --locked "$@" || status=$?
    # Tests that could not run something (an extension, a tool) say SKIPPED; nextest keeps a
    # passing test's output only in its JUnit report, so those lines are printed from there.
    junit=target/nextest/default/junit.xml
    if [[ -f "$junit" ]]; then
        grep -ho 'SKIPPED[^<&]*' "$junit" | sort -u | sed 's/^/   /' || true
    fi
    [[ $status -eq 0 ]] || exit "$status"
else
    cargo test --workspace --locked "$@"
fi

# The tenant, cache and API-foundation tests again, with the application's connections through
# PgBouncer in transaction pooling (PMS_PGBOUNCER_URL; see docs/SCALING.md): sessions, the cache,
# every role and the IDOR sweeps. The domain endpoints reach the database the same way (one
# tenant transaction per request, no session state: crates/pms-db/tests/no_session_set.rs), so
# they are not run twice.
echo "== tenant, cache and API tests through PgBouncer"
start_test_pgbouncer
trap stop_test_pgbouncer EXIT
export PMS_PGBOUNCER_URL="$PMS_TEST_PGBOUNCER_URL"
api_tests=(auth_sessions cache_fresh role_matrix role_matrix_b idor_sweep idor_sweep_a idor_sweep_b idor_sweep_c idor_sweep_d idor_coverage)
if cargo nextest --version >/dev/null 2>&1; then
    filter="(package(pms-db) & binary(isolation)) | package(pms-cache)"
    for t in "${api_tests[@]}"; do filter+=" | (package(pms-api) & binary($t))"; done
    cargo nextest run --workspace --locked -E "$filter" "$@"
else
    cargo test --locked -p pms-db --test isolation "$@"
    cargo test --locked -p pms-cache "$@"
    cargo test --locked -p pms-api "${api_tests[@]/#/--test=}" "$@"
fi
unset PMS_PGBOUNCER_URL
stop_test_pgbouncer
