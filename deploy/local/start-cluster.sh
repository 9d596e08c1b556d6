#!/usr/bin/env bash
# Starts a standalone Flink 2.2 session cluster on this machine without Docker: one JobManager and
# one TaskManager, each its own JVM, on Maven Central's Flink jars (deploy/local/pom.xml), every
# listener on 127.0.0.1.
#
#   deploy/local/start-cluster.sh [--dir DIR] [--rest-port P] [--rpc-port P] [--slots N]
#
#   --dir DIR        cluster directory (default ./cluster in the repository, or $DEPTHFLOW_CLUSTER_DIR):
#                    conf/config.yaml, log/, checkpoints/, savepoints/, plugins/ (Flink plugins, e.g.
#                    an S3 file system), pid files. Savepoints outlive the cluster: stop-cluster.sh
#                    leaves them.
#   --rest-port P    REST API and web UI port (default: the first free port from 8081)
#   --rpc-port P     JobManager RPC port (default: the first free port from 6123)
#   --slots N        task slots of the TaskManager (default 2)
#
# Prints the REST URL (last line of stdout) once the TaskManager has registered its slots. More or
# replacement TaskManagers: deploy/local/taskmanager.sh start|stop.
# The classpath comes from deploy/local/target/cluster-classpath.txt, (re)built with the Maven
# wrapper when it is missing or older than deploy/local/pom.xml.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DIR="$DEFAULT_CLUSTER_DIR"
REST_PORT=""
RPC_PORT=""
SLOTS=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --rest-port) REST_PORT="$2"; shift 2 ;;
    --rpc-port) RPC_PORT="$2"; shift 2 ;;
    --slots) SLOTS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

for pid_file in "$DIR"/jobmanager.pid "$DIR"/taskmanager*.pid; do
  if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    die "a cluster is already running in $DIR (pid $(cat "$pid_file")); stop it with deploy/local/stop-cluster.sh --dir $DIR"
  fi
done

# 1. The classpath, from the project's own build file.
CP="$(cluster_classpath)"

# 2. Configuration. Flink 2.x reads only config.yaml from --configDir.
REST_PORT="${REST_PORT:-$(free_port_from 8081)}"
RPC_PORT="${RPC_PORT:-$(free_port_from 6123)}"
[[ "$REST_PORT" != "$RPC_PORT" ]] || die "--rest-port and --rpc-port must differ"
for p in "$REST_PORT" "$RPC_PORT"; do
  if port_busy "$p"; then die "port $p on 127.0.0.1 is in use"; fi
done
mkdir -p "$DIR/conf" "$DIR/log" "$DIR/checkpoints" "$DIR/savepoints" "$DIR/upload" "$DIR/tmp" "$DIR/plugins"
cat > "$DIR/conf/config.yaml" <<YAML
# Written by deploy/local/start-cluster.sh. Every listener binds to 127.0.0.1: Flink needs all
# four address/bind keys (jobmanager, taskmanager, rest) or some sockets bind to a wildcard.
jobmanager:
  rpc:
    address: 127.0.0.1
    port: $RPC_PORT
  bind-host: 127.0.0.1
  memory:
    process:
      size: 1024m
taskmanager:
  host: 127.0.0.1
  bind-host: 127.0.0.1
  numberOfTaskSlots: $SLOTS
  memory:
    process:
      size: 1536m
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: $REST_PORT
parallelism:
  default: $SLOTS
state:
  backend:
    type: hashmap
execution:
  checkpointing:
    dir: file://$DIR/checkpoints
    savepoint-dir: file://$DIR/savepoints
    # A cancelled job keeps its last checkpoint: a fallback when no savepoint was taken.
    externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
web:
  upload:
    dir: $DIR/upload
io:
  tmp:
    dirs: $DIR/tmp
YAML
cp "$LOCAL/log4j.properties" "$DIR/conf/log4j.properties"

# 3. Launch (common.sh: launch_flink does what a distribution's jobmanager.sh / taskmanager.sh do).
URL="http://127.0.0.1:$REST_PORT"
launch_flink "$DIR" "$CP" jobmanager "$DIR/jobmanager.pid" GET_JM_RESOURCE_PARAMS "$JM_CLASS"
launch_flink "$DIR" "$CP" taskmanager-1 "$DIR/taskmanager-1.pid" GET_TM_RESOURCE_PARAMS "$TM_CLASS"
info "JobManager pid $(cat "$DIR/jobmanager.pid"), TaskManager pid $(cat "$DIR/taskmanager-1.pid"); logs in $DIR/log"

# 4. Ready when the TaskManager's slots are registered.
deadline=$((SECONDS + ${DEPTHFLOW_CLUSTER_START_TIMEOUT:-120}))
while true; do
  overview=$(curl -s "$URL/overview" 2>/dev/null || true)
  slots=$(printf '%s' "$overview" | grep -o '"slots-total":[0-9]*' | cut -d: -f2 || true)
  if [[ -n "$slots" && "$slots" -ge "$SLOTS" ]]; then
    break
  fi
  for role in jobmanager taskmanager-1; do
    if ! kill -0 "$(cat "$DIR/$role.pid")" 2>/dev/null; then
      tail -n 30 "$DIR/log/$role.log" "$DIR/log/$role.out" >&2 2>/dev/null || true
      "$LOCAL/stop-cluster.sh" --dir "$DIR" >&2 || true
      die "the $role exited during start-up (logs above, full logs in $DIR/log)"
    fi
  done
  if ((SECONDS > deadline)); then
    "$LOCAL/stop-cluster.sh" --dir "$DIR" >&2 || true
    die "no TaskManager registered within ${DEPTHFLOW_CLUSTER_START_TIMEOUT:-120} s (logs in $DIR/log)"
  fi
  sleep 0.5
done
printf '%s\n' "$URL" > "$DIR/rest-url"
info "cluster ready: $SLOTS slots; web UI and REST API at $URL; stop with deploy/local/stop-cluster.sh --dir $DIR"
echo "$URL"
