#!/usr/bin/env bash
# Start the real database servers the test suite reads from: PostgreSQL 15 and MariaDB 10.11,
# both Debian packages, listening on loopback only.
#
#   eval "$(scripts/db.sh)"     # then: cargo test -p shujian-sources --test db
#
# What it does, each step only when needed (running it twice is fine):
#   1. installs `postgresql` and `mariadb-server` with apt-get (one `apt-get update` first, only
#      when something must be installed);
#   2. starts both servers (pg_ctlcluster / the mariadb service, else mysqld_safe) and waits
#      until they accept connections;
#   3. creates a test role/user with a password and a test database on each. The test user may
#      create databases, schemas and roles (the tests create their own, named per test, so tests
#      run in parallel) — this is a throwaway test server, never a production one;
#   4. prints `export SHUJIAN_TEST_PG_URL=…` and `export SHUJIAN_TEST_MYSQL_URL=…` on stdout.
#      Everything else goes to stderr, so `eval "$(scripts/db.sh)"` works.
#
# Must run as root (it installs packages and starts services). Overridable through the
# environment: SHUJIAN_TEST_DB_USER, SHUJIAN_TEST_DB_PASSWORD, SHUJIAN_TEST_DB_NAME.
set -euo pipefail

user="${SHUJIAN_TEST_DB_USER:-shujian_test}"
password="${SHUJIAN_TEST_DB_PASSWORD:-shujian-test-only}"
dbname="${SHUJIAN_TEST_DB_NAME:-shujian_test}"
pg_version=15

log() { printf 'db.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ "$user" =~ ^[a-z_][a-z0-9_]*$ ]] || die "SHUJIAN_TEST_DB_USER must match [a-z_][a-z0-9_]*"
[[ "$dbname" =~ ^[a-z_][a-z0-9_]*$ ]] || die "SHUJIAN_TEST_DB_NAME must match [a-z_][a-z0-9_]*"
[[ "$password" =~ ^[A-Za-z0-9_.-]+$ ]] || die "SHUJIAN_TEST_DB_PASSWORD must match [A-Za-z0-9_.-]+"
[[ $(id -u) -eq 0 ]] || die "run as root (installs packages and starts services)"

# --- 1. install ------------------------------------------------------------------------------
missing=()
command -v pg_ctlcluster >/dev/null && [[ -x /usr/lib/postgresql/$pg_version/bin/postgres ]] \
    || missing+=(postgresql)
command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || missing+=(mariadb-server)
command -v openssl >/dev/null || missing+=(openssl)
if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# --- 2a. PostgreSQL --------------------------------------------------------------------------
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx "$pg_version main"; then
    log "creating PostgreSQL cluster $pg_version/main"
    pg_createcluster "$pg_version" main >&2
fi
pg_port=$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    log "starting PostgreSQL $pg_version on port $pg_port"
    pg_ctlcluster "$pg_version" main start >&2
fi
for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$pg_port" && break
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$pg_port" || die "PostgreSQL does not accept connections on $pg_port"

psql_root() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$pg_port" "$@"; }
psql_root -d postgres >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$user') THEN
        CREATE ROLE $user LOGIN;
    END IF;
END
\$\$;
ALTER ROLE $user LOGIN CREATEDB CREATEROLE PASSWORD '$password';
SQL
if [[ -z $(psql_root -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'") ]]; then
    psql_root -d postgres -c "CREATE DATABASE $dbname OWNER $user" >&2
fi

# --- 2b. MariaDB -----------------------------------------------------------------------------
# TLS: a self-signed certificate (throwaway, for tests of `--tls require` against MariaDB),
# made once; Debian's MariaDB ships without one.
tls_dir=/etc/mysql/shujian-tls
tls_cnf=/etc/mysql/mariadb.conf.d/99-shujian-tls.cnf
if [[ ! -f $tls_dir/server-key.pem ]] && command -v openssl >/dev/null; then
    install -d -m 755 "$tls_dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
        -keyout "$tls_dir/server-key.pem" -out "$tls_dir/server-cert.pem" >/dev/null 2>&1 \
        || log "could not make a TLS certificate; MariaDB runs without TLS"
    chown -R mysql:mysql "$tls_dir" 2>/dev/null || true
    chmod 600 "$tls_dir/server-key.pem" 2>/dev/null || true
fi
if [[ -f $tls_dir/server-key.pem && ! -f $tls_cnf ]]; then
    printf '[mariadbd]\nssl_cert = %s/server-cert.pem\nssl_key = %s/server-key.pem\n' \
        "$tls_dir" "$tls_dir" >"$tls_cnf"
fi
mariadb_up() { mariadb-admin --protocol=socket -u root ping >/dev/null 2>&1; }
start_mariadb() {
    log "starting MariaDB"
    if ! service mariadb start >&2 2>&1; then
        log "service mariadb start failed; starting mysqld_safe in the background"
        install -d -o mysql -g mysql /run/mysqld
        (setsid mysqld_safe >/dev/null 2>&1 &)
    fi
    for _ in $(seq 1 60); do
        mariadb_up && break
        sleep 0.5
    done
}
mariadb_up || start_mariadb
mariadb_up || die "MariaDB does not accept connections"
# A server started before the certificate existed runs without TLS: restart it once.
if [[ -f $tls_cnf ]] && [[ $(mariadb -u root -N -B -e "SELECT @@have_ssl") != YES ]]; then
    log "restarting MariaDB with TLS"
    mariadb-admin -u root shutdown >&2 2>&1 || service mariadb stop >&2 2>&1 || true
    for _ in $(seq 1 60); do
        mariadb_up || break
        sleep 0.5
    done
    start_mariadb
    mariadb_up || die "MariaDB does not accept connections after the restart"
fi
mysql_port=$(mariadb -u root -N -B -e "SELECT @@port")

# The test user creates one database per test, and a second user without SELECT on one table
# for the permission test: it needs every privilege with GRANT OPTION on this test server.
mariadb -u root >&2 <<SQL
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';
ALTER USER '$user'@'localhost' IDENTIFIED BY '$password';
ALTER USER '$user'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$user'@'%' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS \`$dbname\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
FLUSH PRIVILEGES;
SQL

log "PostgreSQL $pg_version on 127.0.0.1:$pg_port, MariaDB on 127.0.0.1:$mysql_port (user $user, database $dbname)"
echo "export SHUJIAN_TEST_PG_URL=postgres://$user:$password@127.0.0.1:$pg_port/$dbname"
echo "export SHUJIAN_TEST_MYSQL_URL=mysql://$user:$password@127.0.0.1:$mysql_port/$dbname"
