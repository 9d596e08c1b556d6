#!/usr/bin/env bash
# Submits the shaded job jar to a Flink session cluster through its REST API (POST /jars/upload,
# POST /jars/{id}/run) and prints the job id (last line of stdout). The job's main class is
# io.depthflow.job.DepthflowJob; the run options are those of `bin/depthflow run`, and on a
# cluster --clickhouse-url is required.
#
#   deploy/local/submit.sh [--dir DIR | --url URL] [--jar JAR] [--parallelism N]
#                          [--savepoint PATH [--allow-non-restored-state]] [--] [run options...]
#
#   --dir DIR      the cluster directory of start-cluster.sh (default ./cluster); or
#   --url URL      any Flink REST endpoint (also FLINK_REST_URL), e.g. http://127.0.0.1:8081
#   --jar JAR      the job jar (default job/target/depthflow-job.jar; build: ./mvnw -B package -DskipTests)
#   --parallelism  job parallelism (default: the cluster's parallelism.default)
#   --savepoint    start from this savepoint (what resume.sh does)
#   --allow-non-restored-state
#                  let the job start although some savepoint state belongs to no operator of this
#                  jar (that state is dropped). Off by default: a mismatch fails the submission.
#
# Example:
#   deploy/local/submit.sh -- --clickhouse-url jdbc:clickhouse://127.0.0.1:8123/default
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DIR="$DEFAULT_CLUSTER_DIR"
URL=""
JAR="$JOB_JAR"
PARALLELISM=""
SAVEPOINT=""
ALLOW_NON_RESTORED=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --url) URL="${2%/}"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --parallelism) PARALLELISM="$2"; shift 2 ;;
    --savepoint) SAVEPOINT="$2"; shift 2 ;;
    --allow-non-restored-state) ALLOW_NON_RESTORED=true; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
URL="${URL:-$(rest_url "$DIR")}"
[[ -f "$JAR" ]] || die "no job jar at $JAR (build it: ./mvnw -B package -DskipTests)"
if [[ -n "$PARALLELISM" && ! "$PARALLELISM" =~ ^[1-9][0-9]*$ ]]; then
  die "--parallelism must be a positive integer, got '$PARALLELISM'"
fi

# 1. Upload; the jar id is the basename of the stored file.
upload=$(rest POST "$URL/jars/upload" -F "jarfile=@$JAR;type=application/java-archive")
stored=$(json_field "$upload" filename)
[[ -n "$stored" ]] || die "unexpected upload answer: $upload"
jar_id="${stored##*/}"

# 2. Run: the JobManager calls the jar's main(), which submits the job.
args_json=""
for a in "$@"; do
  args_json+="${args_json:+,}$(json_str "$a")"
done
body="{\"entryClass\":$(json_str "$ENTRY_CLASS"),\"programArgsList\":[${args_json}]"
[[ -n "$PARALLELISM" ]] && body+=",\"parallelism\":$PARALLELISM"
if [[ -n "$SAVEPOINT" ]]; then
  body+=",\"savepointPath\":$(json_str "$SAVEPOINT"),\"allowNonRestoredState\":$ALLOW_NON_RESTORED"
fi
body+="}"
run=$(rest POST "$URL/jars/$jar_id/run" -H 'Content-Type: application/json' --data-binary "$body") || {
  curl -s -X DELETE "$URL/jars/$jar_id" > /dev/null || true
  exit 1
}
job_id=$(json_field "$run" jobid)
[[ -n "$job_id" ]] || die "unexpected run answer: $run"

# The job graph and its jar are on the cluster's blob server now; the uploaded copy is not needed.
curl -s -X DELETE "$URL/jars/$jar_id" > /dev/null || true

info "job $job_id submitted${SAVEPOINT:+ from $SAVEPOINT}; $URL/#/job/running/$job_id/overview"
echo "$job_id"
