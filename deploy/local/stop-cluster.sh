#!/usr/bin/env bash
# Stops the local session cluster that start-cluster.sh started in DIR: the TaskManager, then the
# JobManager, by pid (SIGTERM, then SIGKILL after 20 s). Running jobs are not savepointed: take
# one first with stop-with-savepoint.sh. Checkpoints, savepoints and logs stay in DIR.
#
#   deploy/local/stop-cluster.sh [--dir DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DIR="$DEFAULT_CLUSTER_DIR"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

stop_role() {
  local role=$1 cls=$2 pid
  [[ -f "$DIR/$role.pid" ]] || return 0
  pid=$(cat "$DIR/$role.pid")
  if flink_pid_alive "$pid" "$cls"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      info "$role (pid $pid) did not stop within 20 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    info "$role (pid $pid) stopped"
  fi
  rm -f "$DIR/$role.pid"
}

stop_role taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner
stop_role jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
rm -f "$DIR/rest-url"
