# Shared by scripts/*.sh: install and start the services pms needs on Debian/Ubuntu.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "error: need root (or sudo) to run: $*" >&2; return 1; fi
}

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    return 1
}

ensure_packages() {
    local missing=()
    pg_bindir >/dev/null || missing+=(postgresql postgresql-contrib)
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v redis-cli >/dev/null || missing+=(redis-tools)
    # Backups: pgBackRest; the S3 backup test fronts moto with socat's TLS and an openssl cert.
    command -v pgbackrest >/dev/null || missing+=(pgbackrest)
    command -v socat >/dev/null || missing+=(socat)
    command -v openssl >/dev/null || missing+=(openssl)
    # Scale-out: PgBouncer (transaction pooling) for the pool-leak tests and the second pass.
    command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
    # The operations console's browser tests: headless Chromium driven through chromedriver.
    command -v chromium >/dev/null || missing+=(chromium)
    command -v chromedriver >/dev/null || missing+=(chromium-driver)
    # A font, so that the screenshots render text (chromium pulls none on a minimal system).
    [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "== installing: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

ensure_redis() {
    export PMS_TEST_REDIS_URL="${PMS_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
    if redis-cli -u "$PMS_TEST_REDIS_URL" ping >/dev/null 2>&1; then return 0; fi
    echo "== starting Redis on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        --logfile /tmp/pms-redis.log
    for _ in $(seq 1 50); do redis-cli -u "$PMS_TEST_REDIS_URL" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "error: Redis did not start (see /tmp/pms-redis.log)" >&2; return 1
}

# Uses PMS_TEST_DATABASE_URL when it answers; else a server on 127.0.0.1:5432 that trusts the
# postgres user; else a private test cluster of our own (initdb, trust auth, loopback only).
ensure_test_postgres() {
    if [ -n "${PMS_TEST_DATABASE_URL:-}" ] && psql "$PMS_TEST_DATABASE_URL" -Atqc 'select 1' >/dev/null 2>&1; then
        return 0
    fi
    if psql "postgresql://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1 </dev/null; then
        export PMS_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/postgres"
        return 0
    fi
    local bindir dir port=55432 user=""
    bindir="$(pg_bindir)" || { echo "error: no PostgreSQL server binaries" >&2; return 1; }
    dir="${PMS_TEST_PG_DIR:-/var/tmp/pms-test-pg}"
    [ "$(id -u)" = 0 ] && user=postgres
    run_pg() { if [ -n "$user" ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
    mkdir -p "$dir"
    [ -n "$user" ] && chown "$user:$user" "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        echo "== initialising a test PostgreSQL cluster in $dir/data"
        run_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    fi
    if ! run_pg "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
        echo "== starting the test PostgreSQL cluster on 127.0.0.1:$port"
        run_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off -c shared_preload_libraries=pg_stat_statements" start >/dev/null
    fi
    export PMS_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

# moto's S3-compatible server, for the archive's S3 test (crates/pms-archive/tests/s3.rs), in
# a virtualenv of its own (Debian's Python refuses system-wide pip installs).
ensure_moto() {
    local venv="${PMS_MOTO_VENV:-/var/tmp/pms-moto-venv}"
    if command -v moto_server >/dev/null 2>&1; then return 0; fi
    if [ -x "$venv/bin/moto_server" ]; then export PATH="$venv/bin:$PATH"; return 0; fi
    if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        echo "== installing python3-venv"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv python3-pip >/dev/null
    fi
    echo "== installing moto[server] into $venv"
    python3 -m venv "$venv" && "$venv/bin/pip" install -q 'moto[server]' \
        || { echo "warning: could not install moto; the S3 archive test will skip" >&2; return 0; }
    export PATH="$venv/bin:$PATH"
}

# Schemathesis (PyPI), which the API's contract test runs against /api/openapi.json.
ensure_schemathesis() {
    local venv="${PMS_SCHEMATHESIS_VENV:-/var/tmp/pms-schemathesis-venv}"
    if command -v st >/dev/null 2>&1 && st --version 2>/dev/null | grep -q '^st, version'; then return 0; fi
    if [ -x "$venv/bin/st" ]; then export PATH="$venv/bin:$PATH"; return 0; fi
    if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        echo "== installing python3-venv"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv python3-pip >/dev/null
    fi
    echo "== installing schemathesis into $venv"
    python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis
    export PATH="$venv/bin:$PATH"
}

# Prometheus (Debian `prometheus`: the server and promtool), for the alert rules' unit tests
# (promtool test rules) and the end-to-end alert test that starts its own server on a free
# loopback port. Without recommends: node-exporter is not needed.
ensure_prometheus() {
    if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then return 0; fi
    echo "== installing prometheus (promtool and the server, for the alert tests)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends prometheus >/dev/null
}

# A PgBouncer in front of the test server for the second pass of the tenant tests, configured
# by `pms pgbouncer config` (with the `* =` fallback, so per-test databases pass through) and
# run as `pgbouncer -d` by the postgres user, as docs/OPERATIONS.md says. Sets PMS_TEST_PGBOUNCER_DIR
# and PMS_TEST_PGBOUNCER_URL; stop_test_pgbouncer stops it.
start_test_pgbouncer() {
    local port bin
    bin="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    PMS_TEST_PGBOUNCER_DIR="$(mktemp -d /tmp/pms-test-pgbouncer.XXXXXX)"
    DATABASE_URL="$PMS_TEST_DATABASE_URL" cargo run -q --locked -p pms -- \
        pgbouncer config --out "$PMS_TEST_PGBOUNCER_DIR" --port "$port" --any-database >/dev/null
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres:postgres "$PMS_TEST_PGBOUNCER_DIR"
        runuser -u postgres -- "$bin" -d "$PMS_TEST_PGBOUNCER_DIR/pgbouncer.ini"
    else
        "$bin" -d "$PMS_TEST_PGBOUNCER_DIR/pgbouncer.ini"
    fi
    export PMS_TEST_PGBOUNCER_URL="postgresql://127.0.0.1:$port"
}

stop_test_pgbouncer() {
    local pid
    [ -n "${PMS_TEST_PGBOUNCER_DIR:-}" ] || return 0
    pid="$(cat "$PMS_TEST_PGBOUNCER_DIR/pgbouncer.pid" 2>/dev/null || true)"
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    rm -rf "$PMS_TEST_PGBOUNCER_DIR"
    PMS_TEST_PGBOUNCER_DIR=""
}
