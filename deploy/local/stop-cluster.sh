#!/usr/bin/env bash
# Stops the local session cluster that start-cluster.sh started in DIR: every TaskManager
# (start-cluster.sh's and those taskmanager.sh started), then the JobManager, by pid (SIGTERM,
# then SIGKILL after 20 s). Running jobs are not savepointed: take one first with
# stop-with-savepoint.sh. Checkpoints, savepoints and logs stay in DIR.
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

# Every TaskManager it started: start-cluster.sh's and each one taskmanager.sh added.
for pid_file in "$DIR"/taskmanager*.pid; do
  stop_flink_pid_file "$pid_file" "$TM_CLASS"
done
stop_flink_pid_file "$DIR/jobmanager.pid" "$JM_CLASS"
rm -f "$DIR/rest-url"
