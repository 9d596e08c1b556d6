# Shared helpers of the deploy/local scripts (sourced, not run).
# Needs bash and curl; JSON is written and read with plain shell (no jq).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/deploy/local"
DEFAULT_CLUSTER_DIR="${DEPTHFLOW_CLUSTER_DIR:-$ROOT/cluster}"
JOB_JAR="$ROOT/job/target/depthflow-job.jar"
# the command line tool's jar (simulator, embedded ClickHouse) and its local classpath
CLI_JAR="$ROOT/cli/target/depthflow-cli.jar"
CLI_CP_FILE="$ROOT/cli/target/local-classpath.txt"
ENTRY_CLASS="io.depthflow.job.DepthflowJob"

# Prints the calling script's header comment (its usage).
usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

info() {
  echo "$(basename "$0"): $*" >&2
}

# A JSON string literal for $1.
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# The first value of the string field "$2" in the JSON text $1 (flat lookup, first match).
json_field() {
  printf '%s' "$1" | grep -o "\"$2\"[[:space:]]*:[[:space:]]*\"[^\"]*\"" | head -n1 | sed 's/.*:[[:space:]]*"\(.*\)"$/\1/'
}

# The REST base URL: FLINK_REST_URL if set, else the one start-cluster.sh wrote into the dir.
rest_url() {
  local dir=$1
  if [[ -n "${FLINK_REST_URL:-}" ]]; then
    printf '%s' "${FLINK_REST_URL%/}"
  elif [[ -s "$dir/rest-url" ]]; then
    cat "$dir/rest-url"
  else
    die "no cluster in $dir (start one with deploy/local/start-cluster.sh, or set FLINK_REST_URL)"
  fi
}

# rest METHOD URL [curl args...]: prints the response body; exits with Flink's error text on a
# non-2xx status.
rest() {
  local method=$1 url=$2
  shift 2
  local out status body
  out=$(curl -sS -X "$method" -H 'Expect:' -w $'\n%{http_code}' "$@" "$url") || die "$method $url: no answer from the cluster"
  status=${out##*$'\n'}
  body=${out%$'\n'*}
  if [[ ! "$status" =~ ^2 ]]; then
    # Flink answers {"errors":["...", "..."]}; show them readably.
    die "$method $url: HTTP $status: $(printf '%s' "$body" | sed 's/\\n/\n/g; s/\\t/  /g')"
  fi
  printf '%s' "$body"
}

# Is something listening on 127.0.0.1:$1?
port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The first port from $1 on that nothing listens on (tries 50).
free_port_from() {
  local p=$1
  for ((i = 0; i < 50; i++)); do
    if ! port_busy "$p"; then
      printf '%s' "$p"
      return 0
    fi
    p=$((p + 1))
  done
  die "no free port in $1..$p"
}

# Is $1 a live process running Flink class $2?
flink_pid_alive() {
  local pid=$1 cls=$2
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -q "$cls"
}

JAVA="java"
if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; fi

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

# The cluster classpath (deploy/local/target/cluster-classpath.txt), (re)built with the Maven
# wrapper when it is missing or older than deploy/local/pom.xml.
cluster_classpath() {
  local cp_file="$LOCAL/target/cluster-classpath.txt"
  if [[ ! -s "$cp_file" || "$LOCAL/pom.xml" -nt "$cp_file" ]]; then
    info "resolving the Flink cluster classpath with the Maven wrapper ..."
    (cd "$ROOT" && ./mvnw -q -B -f deploy/local/pom.xml generate-resources >&2) || die "could not resolve the cluster classpath"
  fi
  cat "$cp_file"
}

# The JDK 17 opens Flink's env.java.opts.all would add.
FLINK_OPENS=(--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

# launch_flink DIR CP NAME PID_FILE PARAMS_CMD MAIN_CLASS: starts one Flink JVM in the background
# the way a distribution's jobmanager.sh / taskmanager.sh do: memory settings from BashJavaUtils
# (line 1: JVM options, line 2: dynamic properties), the JDK 17 opens, file logging into
# DIR/log/NAME.log; its pid goes to PID_FILE.
launch_flink() {
  local dir=$1 cp=$2 name=$3 pid_file=$4 params_cmd=$5 main_class=$6
  local out results jvm_params dynamic
  out=$("$JAVA" -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$params_cmd" --configDir "$dir/conf" 2>&1) \
    || die "$name memory settings: $out"
  results=$(printf '%s\n' "$out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
  [[ $(printf '%s\n' "$results" | wc -l) -ge 2 ]] || die "$name memory settings: unexpected output: $out"
  jvm_params=$(printf '%s\n' "$results" | head -n1)
  dynamic=$(printf '%s\n' "$results" | tail -n1)
  # shellcheck disable=SC2086 # both are space-separated argument lists, as in Flink's scripts
  (cd "$dir" && FLINK_PLUGINS_DIR="$dir/plugins" exec nohup "$JAVA" $jvm_params "${FLINK_OPENS[@]}" \
    -Dlog.file="$dir/log/$name.log" -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" \
    -Ddepthflow.cluster.dir="$dir" \
    -cp "$cp" "$main_class" --configDir "$dir/conf" $dynamic \
    > "$dir/log/$name.out" 2>&1 < /dev/null) &
  echo $! > "$pid_file"
}

# Stops the Flink JVM whose pid is in $1 (running class $2): SIGTERM, SIGKILL after 20 s; removes
# the pid file.
stop_flink_pid_file() {
  local pid_file=$1 cls=$2 name pid
  [[ -f "$pid_file" ]] || return 0
  name=$(basename "$pid_file" .pid)
  pid=$(cat "$pid_file")
  if flink_pid_alive "$pid" "$cls"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      info "$name (pid $pid) did not stop within 20 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    info "$name (pid $pid) stopped"
  fi
  rm -f "$pid_file"
}

# The total task slots the cluster at URL $1 has registered (empty when it does not answer).
slots_total() {
  curl -s "$1/overview" 2>/dev/null | grep -o '"slots-total":[0-9]*' | cut -d: -f2 || true
}
