#!/usr/bin/env bash
# The docker-compose 'submit' service: a one-shot Flink client next to the session cluster.
#   1. applies the ClickHouse migrations as depthflow_migrator (the job jar's DepthflowMigrate, which
#      does what 'bin/depthflow migrate' does; the command line tool is not in the job jar);
#   2. submits the job jar detached, as the least-privilege depthflow_job, with the job's run
#      options given as this script's arguments (docker-compose.yml: submit.command);
#      DEPTHFLOW_FROM_SAVEPOINT=<path> resumes from a savepoint (an upgrade; README).
# A job named 'depthflow' that is already running or restarting is left alone, so running
# 'docker compose up' again never starts a second copy.
set -euo pipefail

JAR=/opt/depthflow/depthflow-job.jar
CLICKHOUSE_URL="jdbc:clickhouse://clickhouse:8123/${DEPTHFLOW_DATABASE:-default}"

if [[ ! -f "$JAR" ]]; then
  echo "submit: $JAR is missing: build it first with ./mvnw -DskipTests package" >&2
  exit 1
fi

if flink list --running | grep -Eq ': depthflow \((RUNNING|RESTARTING|CREATED|INITIALIZING)\)'; then
  echo "submit: a depthflow job is already running; nothing to do (see http://localhost:8081)"
  exit 0
fi

echo "submit: applying the ClickHouse migrations as depthflow_migrator"
CLICKHOUSE_USER=depthflow_migrator CLICKHOUSE_PASSWORD="$DEPTHFLOW_MIGRATOR_PASSWORD" \
  java -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j-cli.properties" \
  -cp "$JAR:$FLINK_HOME/lib/*" io.depthflow.job.DepthflowMigrate --clickhouse-url "$CLICKHOUSE_URL"

restore=()
if [[ -n "${DEPTHFLOW_FROM_SAVEPOINT:-}" ]]; then
  echo "submit: resuming from $DEPTHFLOW_FROM_SAVEPOINT"
  restore=(--fromSavepoint "$DEPTHFLOW_FROM_SAVEPOINT")
fi

echo "submit: submitting $JAR as depthflow_job"
CLICKHOUSE_USER=depthflow_job CLICKHOUSE_PASSWORD="$DEPTHFLOW_JOB_PASSWORD" \
  exec flink run --detached "${restore[@]}" "$JAR" --clickhouse-url "$CLICKHOUSE_URL" "$@"
