#!/usr/bin/env bash
# Stops a running job with a savepoint (POST /jobs/{id}/stop), waits for it and prints the
# savepoint's location (last line of stdout): the argument of resume.sh. The job ends FINISHED.
#
#   deploy/local/stop-with-savepoint.sh [--dir DIR | --url URL] [--target-dir URI] [--drain] JOBID
#
#   --target-dir URI  where to write it (default: the cluster's execution.checkpointing.savepoint-dir,
#                     DIR/savepoints for start-cluster.sh)
#   --drain           emit MAX_WATERMARK first: closes every open window and writes it. Only for a
#                     job that is not coming back; an upgrade must NOT drain (the open minutes
#                     belong in the savepoint and close in the new job).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DIR="$DEFAULT_CLUSTER_DIR"
URL=""
TARGET=""
DRAIN=false
JOB_ID=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --url) URL="${2%/}"; shift 2 ;;
    --target-dir) TARGET="$2"; shift 2 ;;
    --drain) DRAIN=true; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [[ -z "$JOB_ID" ]] || die "one JOBID only"; JOB_ID="$1"; shift ;;
  esac
done
[[ -n "$JOB_ID" ]] || die "usage: stop-with-savepoint.sh [--dir DIR | --url URL] [--target-dir URI] [--drain] JOBID"
URL="${URL:-$(rest_url "$DIR")}"

body="{\"drain\":$DRAIN,\"formatType\":\"CANONICAL\"${TARGET:+,\"targetDirectory\":$(json_str "$TARGET")}}"
answer=$(rest POST "$URL/jobs/$JOB_ID/stop" -H 'Content-Type: application/json' --data-binary "$body")
request=$(json_field "$answer" request-id)
[[ -n "$request" ]] || die "unexpected answer: $answer"
info "savepoint of job $JOB_ID requested ($request)"

deadline=$((SECONDS + ${DEPTHFLOW_SAVEPOINT_TIMEOUT:-600}))
while true; do
  status=$(rest GET "$URL/jobs/$JOB_ID/savepoints/$request")
  if [[ "$(json_field "$status" id)" == "COMPLETED" ]]; then
    location=$(json_field "$status" location)
    if [[ -z "$location" ]]; then
      die "the savepoint failed: $(printf '%s' "$status" | grep -o '"stack-trace":"[^"]*' | head -c 2000 | sed 's/\\n/\n/g; s/\\t/  /g')"
    fi
    break
  fi
  ((SECONDS < deadline)) || die "no savepoint after ${DEPTHFLOW_SAVEPOINT_TIMEOUT:-600} s; the job keeps running"
  sleep 0.5
done

# The job finishes once the savepoint is complete.
for ((i = 0; i < 120; i++)); do
  state=$(json_field "$(rest GET "$URL/jobs/$JOB_ID")" state)
  [[ "$state" == "FINISHED" ]] && break
  sleep 0.5
done
info "job $JOB_ID ${state:-?}; savepoint at $location"
echo "$location"
