#!/bin/bash
# docker-entrypoint-initdb.d script of the ClickHouse container (docker-compose.yml). Runs once, on
# an empty data directory, after the migrations (001-V001__*.sql): applies depthflow's roles
# (/etc/depthflow/users.sql, i.e. deploy/clickhouse/users.sql) and creates the stack's users with
# passwords from the environment (or from files named by the *_FILE variables, e.g. Docker secrets).
#
#   depthflow_migrator  role depthflow_migrator   bin/depthflow migrate (the 'submit' service)
#   depthflow_job       role depthflow_writer     the Flink job's sinks
#   depthflow_grafana   role depthflow_dashboard  Grafana's data source (read-only profile)
#
# Passwords never appear in SQL text or logs: the server receives their SHA-256 (sha256_hash).
set -euo pipefail

db="${DEPTHFLOW_DATABASE:-default}"
client=(clickhouse-client --multiquery --host 127.0.0.1 --database "$db"
        --user "$CLICKHOUSE_USER" --password "$CLICKHOUSE_PASSWORD")

# secret NAME: the value of $NAME, or the content of the file named by $NAME_FILE (without its
# trailing newlines, as the job reads CLICKHOUSE_PASSWORD_FILE).
secret() {
  local name=$1 file_var="${1}_FILE"
  if [[ -n "${!file_var:-}" ]]; then
    printf '%s' "$(cat "${!file_var}")"
  elif [[ -n "${!name:-}" ]]; then
    printf '%s' "${!name}"
  else
    echo "900-depthflow-users.sh: set $name or $file_var" >&2
    exit 1
  fi
}

sha256() { sha256sum | cut -d' ' -f1; }

"${client[@]}" < "${DEPTHFLOW_USERS_SQL:-/etc/depthflow/users.sql}"

create_user() {
  local user=$1 role=$2 hash
  hash=$(secret "$3" | sha256)
  "${client[@]}" --query "
    CREATE USER IF NOT EXISTS ${user} IDENTIFIED WITH sha256_hash BY '${hash}';
    ALTER USER ${user} IDENTIFIED WITH sha256_hash BY '${hash}';
    GRANT ${role} TO ${user};
    ALTER USER ${user} DEFAULT ROLE ${role};"
  echo "900-depthflow-users.sh: user ${user} has role ${role}"
}

create_user depthflow_migrator depthflow_migrator DEPTHFLOW_MIGRATOR_PASSWORD
create_user depthflow_job depthflow_writer DEPTHFLOW_JOB_PASSWORD
create_user depthflow_grafana depthflow_dashboard DEPTHFLOW_GRAFANA_PASSWORD
