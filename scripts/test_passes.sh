#!/usr/bin/env bash
# Run the SQLite pass and the PostgreSQL pass of the tests side by side (`make test` calls this).
#
# Why side by side: much of the PostgreSQL pass waits (real Celery workers, leases running out, a
# restarted database, the browser), so on two cores the passes together take little more than the
# longer one. They share nothing: the SQLite pass uses an in-memory database and in-process tasks,
# the PostgreSQL pass its own test database and Redis. Each line of output carries its pass's name;
# the exit status is non-zero when either pass fails, and each pass's result is printed at the end.
#
#   scripts/test_passes.sh BIN PG_URL REDIS_URL [pytest args...]
set -uo pipefail

BIN=$1
PG_URL=$2
REDIS_URL=$3
shift 3

if ! bash scripts/ensure_services.sh --check-postgres; then
  echo "!! PostgreSQL is not reachable at $PG_URL: the PostgreSQL pass cannot run."
  exit 1
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; done
}
trap 'cleanup; exit 130' INT TERM

started=$(date +%s)
# Each pass is its own process group (setsid), so an interrupt stops its workers and browsers too.
setsid bash -c 'env -u DATABASE_URL -u CELERY_BROKER_URL "$0"/pytest -m "not postgres_only" "${@}" 2>&1 \
  | sed -u "s/^/[sqlite] /"; exit "${PIPESTATUS[0]}"' "$BIN" "$@" &
pids+=($!)
setsid bash -c 'DATABASE_URL="$1" CORROBORATE_TEST_REDIS_URL="$2" "$0"/pytest "${@:3}" 2>&1 \
  | sed -u "s/^/[postgres] /"; exit "${PIPESTATUS[0]}"' "$BIN" "$PG_URL" "$REDIS_URL" "$@" &
pids+=($!)

wait "${pids[0]}"
sqlite_rc=$?
wait "${pids[1]}"
postgres_rc=$?
elapsed=$(($(date +%s) - started))

echo
echo "SQLite pass:     $([ $sqlite_rc -eq 0 ] && echo passed || echo "FAILED (exit $sqlite_rc)")"
echo "PostgreSQL pass: $([ $postgres_rc -eq 0 ] && echo passed || echo "FAILED (exit $postgres_rc)")"
echo "Both passes took $((elapsed / 60)) min $((elapsed % 60)) s."
[ $sqlite_rc -eq 0 ] && [ $postgres_rc -eq 0 ]
