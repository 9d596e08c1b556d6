# Shared helpers of the deploy/local scripts (sourced, not run).
# Needs bash and curl; JSON is written and read with plain shell (no jq).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/deploy/local"
DEFAULT_CLUSTER_DIR="${DEPTHFLOW_CLUSTER_DIR:-$ROOT/cluster}"
JOB_JAR="$ROOT/job/target/depthflow-job.jar"
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
