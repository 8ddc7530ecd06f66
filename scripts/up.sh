#!/usr/bin/env bash
# Installs what is missing (PostgreSQL server binaries), builds pms, and runs the platform with
# demo data in the foreground (`pms up`). Ctrl-C stops it; `pms down` stops the database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
ensure_packages
# As root, PostgreSQL runs as the postgres user, who must reach the data folder.
if [ "$(id -u)" = 0 ] && [ -z "${PMS_DATA_DIR:-}" ] && ! runuser -u postgres -- test -x "$PWD"; then
    export PMS_DATA_DIR=/var/lib/pms
    echo "== $PWD is private to root; using PMS_DATA_DIR=$PMS_DATA_DIR"
fi
cargo build --release --locked -p pms
exec ./target/release/pms up "$@"
