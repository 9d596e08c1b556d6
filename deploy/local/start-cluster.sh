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
# Prints the REST URL (last line of stdout) once the TaskManager has registered its slots.
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

for role in jobmanager taskmanager; do
  if [[ -f "$DIR/$role.pid" ]] && kill -0 "$(cat "$DIR/$role.pid")" 2>/dev/null; then
    die "a cluster is already running in $DIR (pid $(cat "$DIR/$role.pid")); stop it with deploy/local/stop-cluster.sh --dir $DIR"
  fi
done

# 1. The classpath, from the project's own build file.
CP_FILE="$LOCAL/target/cluster-classpath.txt"
if [[ ! -s "$CP_FILE" || "$LOCAL/pom.xml" -nt "$CP_FILE" ]]; then
  info "resolving the Flink cluster classpath with the Maven wrapper ..."
  (cd "$ROOT" && ./mvnw -q -B -f deploy/local/pom.xml generate-resources >&2) || die "could not resolve the cluster classpath"
fi
CP="$(cat "$CP_FILE")"

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

# 3. Launch, doing what a distribution's jobmanager.sh / taskmanager.sh do: memory settings from
# BashJavaUtils (line 1: JVM options, line 2: dynamic properties), the JDK 17 opens Flink's
# env.java.opts.all would add, file logging.
OPENS=(--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

launch() {
  local role=$1 params_cmd=$2 main_class=$3
  local out results jvm_params dynamic
  out=$("$JAVA" -cp "$CP" org.apache.flink.runtime.util.bash.BashJavaUtils "$params_cmd" --configDir "$DIR/conf" 2>&1) \
    || die "$role memory settings: $out"
  results=$(printf '%s\n' "$out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
  [[ $(printf '%s\n' "$results" | wc -l) -ge 2 ]] || die "$role memory settings: unexpected output: $out"
  jvm_params=$(printf '%s\n' "$results" | head -n1)
  dynamic=$(printf '%s\n' "$results" | tail -n1)
  # shellcheck disable=SC2086 # both are space-separated argument lists, as in Flink's scripts
  (cd "$DIR" && FLINK_PLUGINS_DIR="$DIR/plugins" exec nohup "$JAVA" $jvm_params "${OPENS[@]}" \
    -Dlog.file="$DIR/log/$role.log" -Dlog4j.configurationFile="file:$DIR/conf/log4j.properties" \
    -Ddepthflow.cluster.dir="$DIR" \
    -cp "$CP" "$main_class" --configDir "$DIR/conf" $dynamic \
    > "$DIR/log/$role.out" 2>&1 < /dev/null) &
  echo $! > "$DIR/$role.pid"
}

URL="http://127.0.0.1:$REST_PORT"
launch jobmanager GET_JM_RESOURCE_PARAMS org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
launch taskmanager GET_TM_RESOURCE_PARAMS org.apache.flink.runtime.taskexecutor.TaskManagerRunner
info "JobManager pid $(cat "$DIR/jobmanager.pid"), TaskManager pid $(cat "$DIR/taskmanager.pid"); logs in $DIR/log"

# 4. Ready when the TaskManager's slots are registered.
deadline=$((SECONDS + ${DEPTHFLOW_CLUSTER_START_TIMEOUT:-120}))
while true; do
  overview=$(curl -s "$URL/overview" 2>/dev/null || true)
  slots=$(printf '%s' "$overview" | grep -o '"slots-total":[0-9]*' | cut -d: -f2 || true)
  if [[ -n "$slots" && "$slots" -ge "$SLOTS" ]]; then
    break
  fi
  for role in jobmanager taskmanager; do
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
