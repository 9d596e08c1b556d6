#!/usr/bin/env bash
# Adds a TaskManager to the local session cluster in DIR, or stops one: a replacement for one that
# died (killed, crashed, out of memory), or more slots. The job's restart strategy then takes the
# new slots and restores its latest checkpoint. stop-cluster.sh stops every TaskManager started here.
#
#   deploy/local/taskmanager.sh start [--dir DIR]          prints the new TaskManager's pid
#   deploy/local/taskmanager.sh stop  [--dir DIR] [--pid PID | --all]
#   deploy/local/taskmanager.sh list  [--dir DIR]          pid and state of each one started in DIR
#
#   start   launches TaskManager N+1 (log DIR/log/taskmanager-N+1.log, pid file
#           DIR/taskmanager-N+1.pid) with the cluster's conf/config.yaml and waits until its slots
#           are registered with the JobManager
#   stop    stops the newest running TaskManager (or the one with --pid, or --all) by pid: SIGTERM,
#           then SIGKILL after 20 s
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ACTION="${1:-}"
case "$ACTION" in
  start|stop|list) shift ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac
DIR="$DEFAULT_CLUSTER_DIR"
PID=""
ALL=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --pid) PID="$2"; shift 2 ;;
    --all) ALL=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ -d "$DIR" ]] || die "no cluster directory $DIR (start a cluster with deploy/local/start-cluster.sh)"
DIR="$(cd "$DIR" && pwd)"

# The pid files of the TaskManagers started in DIR, oldest first.
pid_files() {
  local f
  for f in "$DIR"/taskmanager-*.pid; do
    [[ -f "$f" ]] && printf '%s\n' "$f"
  done | sort -t- -k2 -n
}

case "$ACTION" in
  list)
    while read -r f; do
      [[ -n "$f" ]] || continue
      pid=$(cat "$f")
      if flink_pid_alive "$pid" "$TM_CLASS"; then state=running; else state=exited; fi
      printf '%s pid %s %s\n' "$(basename "$f" .pid)" "$pid" "$state"
    done < <(pid_files)
    ;;

  start)
    flink_pid_alive "$(cat "$DIR/jobmanager.pid" 2>/dev/null || true)" "$JM_CLASS" \
      || die "no JobManager runs in $DIR (start the cluster with deploy/local/start-cluster.sh --dir $DIR)"
    [[ -f "$DIR/conf/config.yaml" ]] || die "no $DIR/conf/config.yaml (start-cluster.sh writes it)"
    URL=$(rest_url "$DIR")
    CP="$(cluster_classpath)"
    last=$(pid_files | tail -n1)
    n=1
    if [[ -n "$last" ]]; then
      n=$(($(basename "$last" .pid | sed 's/^taskmanager-//') + 1))
    fi
    # Ready once it has registered at the resource manager (the slot count would not tell: a
    # killed TaskManager's slots stay registered until its heartbeat times out).
    launch_flink "$DIR" "$CP" "taskmanager-$n" "$DIR/taskmanager-$n.pid" GET_TM_RESOURCE_PARAMS "$TM_CLASS"
    pid=$(cat "$DIR/taskmanager-$n.pid")
    deadline=$((SECONDS + ${DEPTHFLOW_CLUSTER_START_TIMEOUT:-120}))
    while ! grep -q "Successful registration at resource manager" "$DIR/log/taskmanager-$n.log" 2>/dev/null; do
      if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 30 "$DIR/log/taskmanager-$n.log" "$DIR/log/taskmanager-$n.out" >&2 2>/dev/null || true
        rm -f "$DIR/taskmanager-$n.pid"
        die "taskmanager-$n exited during start-up (logs above, full logs in $DIR/log)"
      fi
      if ((SECONDS > deadline)); then
        die "taskmanager-$n (pid $pid) did not register within ${DEPTHFLOW_CLUSTER_START_TIMEOUT:-120} s (log $DIR/log/taskmanager-$n.log)"
      fi
      sleep 0.5
    done
    info "taskmanager-$n (pid $pid) registered with the JobManager at $URL; log $DIR/log/taskmanager-$n.log"
    echo "$pid"
    ;;

  stop)
    stopped=0
    if [[ -n "$PID" ]]; then
      for f in $(pid_files); do
        if [[ "$(cat "$f")" == "$PID" ]]; then
          stop_flink_pid_file "$f" "$TM_CLASS"
          stopped=1
        fi
      done
      ((stopped)) || die "no TaskManager with pid $PID was started in $DIR (deploy/local/taskmanager.sh list)"
    else
      for f in $(pid_files | tac); do
        if flink_pid_alive "$(cat "$f")" "$TM_CLASS"; then
          stop_flink_pid_file "$f" "$TM_CLASS"
          stopped=1
          $ALL || break
        else
          rm -f "$f"
        fi
      done
      ((stopped)) || info "no running TaskManager in $DIR"
    fi
    ;;
esac
