#!/usr/bin/env bash
# The embedded ClickHouse (the real engine, chDB, behind depthflow's HTTP server) as a background
# server for the local cluster's jobs, when no ClickHouse server is at hand. On 127.0.0.1 only.
#
#   deploy/local/clickhouse.sh start [--data-dir DIR] [--port P]   prints the JDBC URL for --clickhouse-url
#   deploy/local/clickhouse.sh stop  [--data-dir DIR]
#
#   --data-dir DIR   data directory (default ./cluster/clickhouse in the repository); `bin/depthflow sql
#                    --data-dir DIR "SQL"` queries the running server
#   --port P         HTTP port (default: the first free port from 8123)
#
# Needs the command line tool's jar, cli/target/depthflow-cli.jar (./mvnw -B package -DskipTests); the first start fetches the engine with npm
# (~166 MB, once, as bin/depthflow run does).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ACTION="${1:-}"
[[ "$ACTION" == "start" || "$ACTION" == "stop" ]] || { usage; exit 2; }
shift
DATA="$DEFAULT_CLUSTER_DIR/clickhouse"
PORT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data-dir) DATA="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"
PID_FILE="$DATA/server.pid"
MAIN=io.depthflow.clickhouse.embedded.ChdbHttpServer

if [[ "$ACTION" == "stop" ]]; then
  if [[ -f "$PID_FILE" ]] && flink_pid_alive "$(cat "$PID_FILE")" "$MAIN"; then
    pid=$(cat "$PID_FILE")
    kill -TERM "$pid"
    for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    info "ClickHouse on $DATA (pid $pid) stopped"
  fi
  rm -f "$PID_FILE"
  exit 0
fi

if [[ -f "$PID_FILE" ]] && flink_pid_alive "$(cat "$PID_FILE")" "$MAIN"; then
  die "a ClickHouse server already runs on $DATA (pid $(cat "$PID_FILE"))"
fi
[[ -f "$CLI_JAR" && -s "$CLI_CP_FILE" ]] || die "build the command line tool's jar first: ./mvnw -B package -DskipTests"
PORT="${PORT:-$(free_port_from 8123)}"
JAVA_HOME_DIR="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')"
LOG="$DATA/clickhouse-server.log"
# libjsig chains the JVM's signal handlers with the engine's; without it the JVM hangs (INFRA-NOTES §4).
LD_PRELOAD="$JAVA_HOME_DIR/lib/server/libjsig.so" nohup "$JAVA" -Xmx512m -Dsun.net.httpserver.nodelay=true \
  -Dlog4j.configurationFile="$ROOT/deploy/log4j2-cli.properties" -Ddepthflow.log.dir="$DATA" \
  -cp "$CLI_JAR:$(cat "$CLI_CP_FILE")" "$MAIN" --path="$DATA" --port="$PORT" >> "$LOG" 2>&1 < /dev/null &
echo $! > "$PID_FILE"
for ((i = 0; i < 1200; i++)); do
  if grep -q "^READY port=$PORT" "$LOG" 2>/dev/null; then
    URL="jdbc:clickhouse://127.0.0.1:$PORT/default?compress=0"
    info "ClickHouse on $DATA ready; stop it with deploy/local/clickhouse.sh stop --data-dir $DATA"
    echo "$URL"
    exit 0
  fi
  kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { tail -n 20 "$LOG" >&2; rm -f "$PID_FILE"; die "the server exited (log: $LOG)"; }
  sleep 0.5
done
die "the server did not start within 10 minutes (log: $LOG)"
