#!/usr/bin/env bash
# Starts the job jar from a savepoint: the upgrade step after stop-with-savepoint.sh (deploy the
# new jar, resume). Same options as submit.sh; the run options should be the ones the stopped job
# had (the sources' positions and the open minutes come from the savepoint). State that no
# operator of the jar claims fails the submission unless --allow-non-restored-state is given.
# Prints the new job id (last line of stdout).
#
#   deploy/local/resume.sh [--dir DIR | --url URL] [--jar JAR] [--parallelism N]
#                          [--allow-non-restored-state] SAVEPOINT [--] [run options...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

OPTS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir|--url|--jar|--parallelism) OPTS+=("$1" "$2"); shift 2 ;;
    --allow-non-restored-state) OPTS+=("$1"); shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' before SAVEPOINT (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || die "usage: resume.sh [options] SAVEPOINT [run options...]"
SAVEPOINT="$1"
shift
[[ "${1:-}" == "--" ]] && shift
exec "$LOCAL/submit.sh" ${OPTS[@]+"${OPTS[@]}"} --savepoint "$SAVEPOINT" -- "$@"
