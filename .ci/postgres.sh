#!/usr/bin/env bash
# Starts a local PostgreSQL (Debian's package and cluster) with a throwaway test database, and
# prints the one line that points the tests at it:
#
#   eval "$(bash .ci/postgres.sh)"
#
# Idempotent: installs only what is missing and reuses a running cluster. Logs go to stderr;
# stdout carries only the export line. Needs root (or sudo) on Debian or Ubuntu.
set -euo pipefail

readonly DB=paperboy_test
readonly ROLE=paperboy_test
readonly PASSWORD=paperboy_test

exec 3>&1 1>&2 # keep stdout for the export line

log() { echo "postgres.sh: $*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

install_postgres() {
  if command -v pg_ctlcluster >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    return
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache show postgresql >/dev/null 2>&1; then
    log "apt-get update"
    as_root apt-get update -qq
  fi
  log "installing postgresql"
  as_root apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

without_inherited_fds() (
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
  done
  "$@" </dev/null
)

newest_version() {
  find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1
}

# Prints "<status> <port>" of the cluster, empty when it does not exist.
cluster_state() {
  pg_lsclusters --no-header | awk -v version="$1" '$1 == version && $2 == "main" { print $4, $3 }'
}

start_cluster() {
  local version=$1 state
  state=$(cluster_state "$version")
  if [ -z "$state" ]; then
    log "creating cluster $version/main"
    as_root pg_createcluster "$version" main >/dev/null
    state=$(cluster_state "$version")
  fi
  if [ "${state%% *}" != online ]; then
    log "starting cluster $version/main"
    # Without systemd (containers) pg_ctlcluster starts the server itself, and the server would
    # inherit every open descriptor: fd 3 above, the pipe of "$(bash .ci/postgres.sh)", would then
    # never reach EOF and CI would wait forever. So it starts with only stdin, stdout and stderr.
    without_inherited_fds as_root pg_ctlcluster "$version" main start
  fi
}

wait_until_ready() {
  local port=$1
  for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then return; fi
    sleep 0.5
  done
  log "the server on port $port did not accept connections within 30 s"
  exit 1
}

create_database() {
  local port=$1
  # In /tmp so that psql, run as postgres, can read its working directory.
  (cd /tmp && as_postgres psql -q -X -v ON_ERROR_STOP=1 -p "$port" -d postgres) <<SQL
SELECT format('CREATE ROLE %I LOGIN', '$ROLE')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
ALTER ROLE $ROLE WITH LOGIN PASSWORD '$PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$DB', '$ROLE')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB') \gexec
-- Test data is disposable: commits need not wait for the disk.
ALTER DATABASE $DB SET synchronous_commit = off;
SQL
}

main() {
  install_postgres
  local version port
  version=$(newest_version)
  start_cluster "$version"
  port=$(cluster_state "$version" | awk '{ print $2 }')
  wait_until_ready "$port"
  create_database "$port"
  log "ready: PostgreSQL $version on 127.0.0.1:$port, database $DB"
  echo "export PAPERBOY_TEST_DATABASE_URL=postgres://$ROLE:$PASSWORD@127.0.0.1:$port/$DB" >&3
}

main
