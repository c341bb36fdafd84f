#!/usr/bin/env bash
# scripts/haul-backfill over generated file drops with the real file stages:
# argument checks (64), dates in order, a failed date does not stop the
# others and is listed with its code at the end (exit = the first failure's
# code), complete dates are skipped, --reprocess none / failed / all.
# No database needed (the stages stop before import). Exit 0 pass, 1 fail, 77 skip.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/orchestration_support.sh"
require_tools
make_scratch

BACKFILL=$SCRIPTS/haul-backfill
setup_file_drop_run
STAGES=scrape,validate,dedup,enrich

run() {
  "$BACKFILL" "$@" >"$scratch/out" 2>"$scratch/err" </dev/null
  rc=$?
  out=$(cat "$scratch/out") err=$(cat "$scratch/err")
}
# The dates haul-validate was called for, in call order.
validated_dates() {
  grep '^haul-validate' "$HAUL_BIN/calls.log" | sed 's/.*--date \([0-9-]*\).*/\1/' | tr '\n' ' ' | sed 's/ $//'
}

# --- arguments ---------------------------------------------------------------
run --from 2026-04-01
check "--to missing" 64 "$rc"
run --from 2026-04-31 --to 2026-05-02
check "an impossible --from" 64 "$rc"
run --from 2026-04-03 --to 2026-04-01
check "--from after --to" 64 "$rc"
[[ $err == *"after"* ]] && pass "it says so" || fail "stderr: $err"
run --from 2025-01-01 --to 2026-04-01
check "a range over --max-days (366)" 64 "$rc"
run --from 2026-01-01 --to 2026-01-10 --max-days 5
check "--max-days lowers the limit" 64 "$rc"
run --from 2026-04-01 --to 2026-04-02 --reprocess some
check "an unknown --reprocess" 64 "$rc"
run --from 2026-04-01 --to 2026-04-02 --stages scrape,nonsense
check "an unknown stage (haul-run refuses it for each date)" 64 "$rc"
check "no stage ran for bad arguments" "" "$(validated_dates)"

# --- a range with a missing day ----------------------------------------------
# 2026-03-30 .. 2026-04-02 across a month end; 03-31 has no raw data.
write_day "$HAUL_DATA_DIR" 2026-03-30 0
write_day "$HAUL_DATA_DIR" 2026-04-01 1
write_day "$HAUL_DATA_DIR" 2026-04-02 2
run --from 2026-03-30 --to 2026-04-02 --stages "$STAGES"
check "the first failed date's code is the exit code" 66 "$rc"
check "every date ran, in order, past the failure" "2026-03-30 2026-03-31 2026-04-01 2026-04-02" \
  "$(validated_dates)"
[[ $err == *"1 of 4 dates failed"* && $err == *"2026-03-31 exit 66"* ]] \
  && pass "the failed date is listed with its code" || fail "stderr: $err"
check "quiet otherwise (no terminal)" "" "$out"
for d in 2026-03-30 2026-04-01 2026-04-02; do
  [[ -s $HAUL_DATA_DIR/processed/$d/vehicles/enriched.jsonl ]] || fail "$d has no enriched.jsonl"
done

# --- complete dates are skipped ----------------------------------------------
: >"$HAUL_BIN/calls.log"
run --from 2026-03-30 --to 2026-04-02 --stages "$STAGES"
check "again: the missing day still fails" 66 "$rc"
check "only the incomplete date ran" "2026-03-31" "$(validated_dates)"
write_day "$HAUL_DATA_DIR" 2026-03-31 1
: >"$HAUL_BIN/calls.log"
run --from 2026-03-30 --to 2026-04-02 --stages "$STAGES" -v
check "with its data dropped in, the backfill succeeds" 0 "$rc"
check "and runs that date only" "2026-03-31" "$(validated_dates)"
[[ $err == *"2026-03-30 complete: skipped"* && $err == *"4 dates: 1 run, 3 complete and skipped"* ]] \
  && pass "-v says what it skipped" || fail "stderr: $err"

# --- a date whose last run failed --------------------------------------------
cp "$HAUL_CONFIG_DIR/dedup.json" "$scratch/dedup.json.good"
echo '{"vehicles": {"threshold": "high"}}' >"$HAUL_CONFIG_DIR/dedup.json"
: >"$HAUL_BIN/calls.log"
run --from 2026-04-01 --to 2026-04-01 --stages "$STAGES" --reprocess all
check "--reprocess all with a broken dedup config fails with 78" 78 "$rc"
grep -q -- '--force' "$HAUL_BIN/calls.log" && pass "--reprocess all passes --force" || fail "no --force"
cp "$scratch/dedup.json.good" "$HAUL_CONFIG_DIR/dedup.json"
: >"$HAUL_BIN/calls.log"
run --from 2026-03-30 --to 2026-04-02 --stages "$STAGES" --reprocess none
check "--reprocess none leaves the failed date alone: exit 0" 0 "$rc"
check "and runs nothing" "" "$(validated_dates)"
[[ $err == *"not retried"*"2026-04-01"* ]] && pass "but lists it" || fail "stderr: $err"
run --from 2026-03-30 --to 2026-04-02 --stages "$STAGES"
check "the default (--reprocess failed) retries it" 0 "$rc"
check "only it" "2026-04-01" "$(validated_dates)"
check "it is complete now" "2026-04-01 complete" "$("$SCRIPTS/haul-run" --status --date 2026-04-01 --stages "$STAGES")"

# --- everything again --------------------------------------------------------
before=$(tree_digest "$HAUL_DATA_DIR" processed failed | sha256sum)
: >"$HAUL_BIN/calls.log"
run --from 2026-03-30 --to 2026-04-02 --stages "$STAGES" --reprocess all
check "--reprocess all exits 0" 0 "$rc"
check "and redoes every date" "2026-03-30 2026-03-31 2026-04-01 2026-04-02" "$(validated_dates)"
check "forced work rewrote nothing differently" "$before" "$(tree_digest "$HAUL_DATA_DIR" processed failed | sha256sum)"
