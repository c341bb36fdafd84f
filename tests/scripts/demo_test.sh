#!/usr/bin/env bash
# scripts/demo, the README's main job, twice on one temporary data dir for one
# date: the first run scrapes the sample API on 127.0.0.1, validates, dedups,
# enriches and imports into the PostgreSQL it starts; the second finds every
# partition up to date and changes nothing — same files, same rows, no row
# written (validate and dedup skipped, import: every row unchanged).
# Exit 0 pass, 1 fail, 77 skipped.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/orchestration_support.sh"
require_tools
command -v python3 >/dev/null || skip "python3 not installed (the sample API server)"
[[ -x /usr/lib/postgresql/15/bin/pg_ctl ]] || skip "PostgreSQL 15 not installed"
if ((EUID == 0)) && ! id -u postgres >/dev/null 2>&1; then skip "root without a postgres user"; fi
make_scratch
# The demo starts its own cluster when no database is configured.
unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE
data=$scratch/data
D=$(date +%F)
at_exit "'$SCRIPTS/pg-local' stop '$data/state/pg'"

demo() {
  local start=$SECONDS
  "$SCRIPTS/demo" --data-dir "$data" --date "$D" >"$scratch/out$1" 2>&1 </dev/null
  rc=$?
  seconds=$((SECONDS - start))
}
# Every table's content in a stable order (pipeline_runs mirrors the run
# ledger, which grows with every run by design, so it is left out), and the
# number of row versions ever written, from the statistics collector.
db_state() {
  "$SCRIPTS/pg-local" env "$data/state/pg" >"$scratch/pg.env" || return 1
  (
    source "$scratch/pg.env"
    for table in vehicles events articles vehicle_prices; do
      printf '%s %s\n' "$table" \
        "$(psql -XAtq -c "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $table t")"
    done
  )
}
db_writes() {
  (
    source "$scratch/pg.env"
    psql -XAtq -c "SELECT pg_stat_force_next_flush()" >/dev/null 2>&1
    psql -XAtq -c "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables WHERE relname IN ('vehicles','events','articles','vehicle_prices')"
  )
}
import_counts() {
  jq -rs 'map("\(.type) read=\(.records_read) inserted=\(.inserted) updated=\(.updated) unchanged=\(.unchanged)") | join(", ")' \
    "$data"/processed/"$D"/*/import_report.json
}

demo 1
check "the first demo exits 0" 0 "$rc"
((rc == 0)) || { tail -30 "$scratch/out1"; exit 1; }
echo "first run: $seconds s"
state1=$(db_state)
writes1=$(db_writes)
# import_report.json says what this import did (inserted, then unchanged):
# it differs by design and is checked below.
files() { tree_digest "$data" raw processed failed | grep -v '/import_report.json$'; }
files1=$(files)
vehicles=$(sed -n 's/^vehicles \([0-9]*\)|.*/\1/p' <<<"$state1")
((vehicles > 0)) && pass "vehicles imported ($vehicles rows)" || fail "no vehicles imported: $state1"
grep -q '^events [1-9]' <<<"$state1" && pass "events imported" || fail "no events: $state1"
[[ -n $(find "$data/raw/$D/vehicles" -name 'demo-dealer_00[12].json') ]] \
  && pass "the sample API was scraped" || fail "no scraped raw files"
grep -q "^haul report $D" "$scratch/out1" && grep -q 'import' "$scratch/out1" \
  && pass "haul-report's report was printed" || fail "no report in the output"
check "haul-run says the date is complete" "$D complete" \
  "$("$SCRIPTS/haul-run" --status --date "$D" --data-dir "$data" --stages scrape,validate,dedup,enrich,import)"
echo "first import: $(import_counts)"

lines_before=$(wc -l <"$data/state/runs.jsonl")
demo 2
check "the second demo exits 0" 0 "$rc"
echo "second run: $seconds s"
check "database unchanged" "$state1" "$(db_state)"
check "no row written by the second run" "$writes1" "$(db_writes)"
files2=$(files)
check "raw, processed and failed files unchanged" "" "$(diff <(echo "$files1") <(echo "$files2"))"
second=$(tail -n +"$((lines_before + 1))" "$data/state/runs.jsonl")
# The second time scrape only looks for failed sources to retry: none.
check "no fetch the second time" "" \
  "$(jq -r 'select(.stage == "scrape" and .status != "running" and .skipped != true) | .run_id' \
    <<<"$second")"
check "validate and dedup skipped every partition" "" \
  "$(jq -r 'select((.stage == "validate" or .stage == "dedup") and .status != "running" and .skipped != true) | .run_id' <<<"$second")"
counts=$(import_counts)
[[ $counts != *"inserted=0 updated=0"*"inserted=0 updated=0"* ]] && fail "second import wrote rows: $counts" \
  || pass "second import: $counts"
grep -Eq 'updated=[1-9]|inserted=[1-9]' <<<"$counts" && fail "rows written: $counts" || true
