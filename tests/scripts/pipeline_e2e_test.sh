#!/usr/bin/env bash
# End to end over three consecutive dates of generated listings (repeats
# across days, price changes, an exact duplicate and two invalid records a
# day), each run by haul-run into a fresh database; then haul-backfill over
# the three dates. Checks conservation across every stage (each raw record
# ends exactly once: imported, or rejected with a reason in a failed/ file),
# that the report files agree with the database, that price changes land in
# vehicle_prices, that the backfill skips complete dates and that
# --reprocess all changes nothing in the database, and that of two haul-run
# for one date at once one runs and the other exits 75.
# Exit 0 pass, 1 fail, 77 skipped.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/orchestration_support.sh"
require_tools
command -v psql >/dev/null || skip "psql not installed"
make_scratch
use_fresh_database
export HAUL_CONFIG_DIR=$scratch/config HAUL_DATA_DIR=$scratch/data
make_file_drop_config "$HAUL_CONFIG_DIR"
DATES=(2026-05-10 2026-05-11 2026-05-12)
data=$HAUL_DATA_DIR
"$BINARY_DIR/haul-import" --migrate-only -q || abort "migrations failed"

for i in 0 1 2; do write_day "$data" "${DATES[$i]}" "$i"; done
for d in "${DATES[@]}"; do
  "$SCRIPTS/haul-run" --date "$d" >"$scratch/run.out" 2>&1
  rc=$?
  check "haul-run $d" 0 "$rc"
  ((rc == 0)) || cat "$scratch/run.out"
  check "quiet on success ($d)" "" "$(cat "$scratch/run.out")"
done

# --- conservation, per date --------------------------------------------------
# jq over a report file: `field FILE EXPR`
field() { jq -r "$2" "$1"; }
lines() { if [[ -f $1 ]]; then grep -c . "$1"; else echo 0; fi; }
total_imported=0
for d in "${DATES[@]}"; do
  p=$data/processed/$d/vehicles f=$data/failed/$d/vehicles
  raw=$(jq length "$data/raw/$d/vehicles/gen-dealer_001.json")
  v_in=$(field "$p/validate_report.json" .records_in)
  v_ok=$(field "$p/validate_report.json" .valid)
  v_rej=$(field "$p/validate_report.json" .rejected)
  check "$d: validate read every raw record" "$raw" "$v_in"
  check "$d: validate in = valid + rejected" "$v_in" "$((v_ok + v_rej))"
  check "$d: every rejection is in validation_errors.jsonl" "$v_rej" "$(lines "$f/validation_errors.jsonl")"
  check "$d: each with its reasons" 0 \
    "$(jq -s 'map(select((.errors | length) == 0 or (.errors[0].code | length) == 0)) | length' "$f/validation_errors.jsonl")"
  d_in=$(field "$p/dedup_report.json" .records_in)
  d_out=$(field "$p/dedup_report.json" .survivors)
  d_dup=$(field "$p/dedup_report.json" .duplicates)
  d_rej=$(lines "$f/dedup_errors.jsonl")
  check "$d: dedup read what validate passed" "$v_ok" "$d_in"
  check "$d: dedup in = survivors + duplicates + rejected" "$d_in" "$((d_out + d_dup + d_rej))"
  check "$d: every duplicate is in duplicates.jsonl with its rule" "$d_dup" \
    "$(jq -s 'map(select(.rule and .survivor)) | length' "$f/duplicates.jsonl")"
  e_in=$(field "$p/enrich_report.json" .records_in)
  e_out=$(field "$p/enrich_report.json" .enriched)
  e_rej=$(lines "$f/enrich_errors.jsonl")
  check "$d: enrich read dedup's survivors" "$d_out" "$e_in"
  check "$d: enrich in = enriched + rejected" "$e_in" "$((e_out + e_rej))"
  i_read=$(field "$p/import_report.json" .records_read)
  check "$d: import read enriched.jsonl" "$e_out" "$i_read"
  imported=$(field "$p/import_report.json" '.inserted + .updated + .unchanged + .superseded')
  i_rej=$(field "$p/import_report.json" '.rejected + .queued_for_retry')
  check "$d: import read = landed + rejected + queued" "$i_read" "$((imported + i_rej))"
  check "$d: import rejects are in import_errors.jsonl" "$i_rej" \
    "$(($(lines "$f/import_errors.jsonl") + $(lines "$f/retry_queue.jsonl")))"
  check "$d: every raw record imported or rejected exactly once" "$raw" \
    "$((imported + i_rej + e_rej + d_dup + d_rej + v_rej))"
  # The database holds what the report says landed: a generated listing is
  # listed every day from its first, so those seen on D are those first seen by D.
  check "$d: listings seen that day in the database = imported" "$imported" \
    "$(sql "SELECT count(*) FROM vehicles WHERE first_seen_at <= DATE '$d'")"
  total_imported=$((total_imported + imported))
done
# Days 0, 1, 2 list 10, 20, 30 listings of 30: every one is a row, once.
check "every listing is one row" 30 "$(sql 'SELECT count(*) FROM vehicles')"
check "no listing twice" 0 "$(sql 'SELECT count(*) - count(DISTINCT listing_key) FROM vehicles')"
check "first_seen_at follows the day a listing appeared" "10 10 10" \
  "$(sql "SELECT string_agg(n::text, ' ' ORDER BY day) FROM (SELECT first_seen_at::date AS day, count(*) AS n FROM vehicles GROUP BY 1) s")"
# Listings 0 and 15 change price on days 1 and 2; 10 and 25 on day 2.
check "price changes recorded in vehicle_prices" 6 "$(sql 'SELECT count(*) FROM vehicle_prices')"
check "the current price is the last day's" 21500 \
  "$(sql "SELECT price::int FROM vehicles WHERE record->>'stockNumber' = 'GD-0000'")"

# --- haul-report: its figures are the database's ------------------------------
"$BINARY_DIR/haul-report" --from "${DATES[0]}" --to "${DATES[2]}" --json >"$scratch/report.json" 2>"$scratch/report.err"
rc=$?
# 65 is an alert (e.g. cleanup never ran): the figures are printed all the same.
[[ $rc == 0 || $rc == 65 ]] && pass "haul-report exits 0 or 65 ($rc)" || fail "haul-report: $rc $(cat "$scratch/report.err")"
report_rows() {
  jq "[.details[] | select(.stage == \"import\" and .key == \"$1\") | .count] | add // 0" "$scratch/report.json"
}
check "report: rows inserted = listings in the database" "$(sql 'SELECT count(*) FROM vehicles')" "$(report_rows inserted)"
check "report: rows updated = price changes in the database" "$(sql 'SELECT count(*) FROM vehicle_prices')" "$(report_rows updated)"
for d in "${DATES[@]}"; do
  check "report: $d import records out = imported that day" \
    "$(field "$data/processed/$d/vehicles/import_report.json" '.inserted + .updated + .unchanged + .superseded')" \
    "$(jq "[.partitions[] | select(.date == \"$d\" and .stage == \"import\") | .records_out] | add" "$scratch/report.json")"
  check "report: $d scraped/validated records in = raw records" \
    "$(jq length "$data/raw/$d/vehicles/gen-dealer_001.json")" \
    "$(jq "[.partitions[] | select(.date == \"$d\" and .stage == \"validate\") | .records_in] | add" "$scratch/report.json")"
done

# --- backfill: complete dates are skipped, --reprocess all changes nothing ---
db_snapshot() {
  for table in vehicles vehicle_prices; do
    sql "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $table t"
  done
}
snapshot=$(db_snapshot)
ledger_lines=$(wc -l <"$data/state/runs.jsonl")
"$SCRIPTS/haul-backfill" --from "${DATES[0]}" --to "${DATES[2]}" -v >"$scratch/bf.out" 2>&1
check "backfill over complete dates exits 0" 0 "$?"
check "it ran no stage" "$ledger_lines" "$(wc -l <"$data/state/runs.jsonl")"
grep -q "3 dates: 0 run, 3 complete and skipped" "$scratch/bf.out" && pass "it says so" \
  || fail "backfill output: $(cat "$scratch/bf.out")"
files=$(tree_digest "$data" processed failed | grep -v '/import_report.json$')
"$SCRIPTS/haul-backfill" --from "${DATES[0]}" --to "${DATES[2]}" --reprocess all >"$scratch/bf.out" 2>&1
check "backfill --reprocess all exits 0" 0 "$?"
check "and is quiet" "" "$(cat "$scratch/bf.out")"
check "every stage ran again for every date" 3 \
  "$(tail -n +"$((ledger_lines + 1))" "$data/state/runs.jsonl" | jq -s '[.[] | select(.stage == "import" and .status == "completed")] | length')"
check "the listings did not change" "${snapshot%%$'\n'*}" "$(db_snapshot | head -1)"
check "the files did not change" "" \
  "$(diff <(echo "$files") <(tree_digest "$data" processed failed | grep -v '/import_report.json$'))"
# Re-importing an older date never writes its content over a listing seen
# since, so replaying the dates in order turns no price back and forth.
check "no price history from replaying old dates" 6 "$(sql 'SELECT count(*) FROM vehicle_prices')"
snapshot=$(db_snapshot)

# --- two haul-run for one date at once ---------------------------------------
# The first one's scrape waits for a go-ahead, so the second certainly starts
# while the first holds the date; the second must not wait for it.
D=${DATES[2]}  # the newest date: its reimport changes nothing at all
mkdir -p "$scratch/slow-bin"
for tool in "${STAGE_TOOLS[@]}"; do ln -s "$BINARY_DIR/$tool" "$scratch/slow-bin/$tool"; done
rm "$scratch/slow-bin/haul-scrape"
cat >"$scratch/slow-bin/haul-scrape" <<EOF
#!/usr/bin/env bash
touch "$scratch/first-started"
for _ in \$(seq 300); do [[ -e "$scratch/go" ]] && break; sleep 0.1; done
exec "$BINARY_DIR/haul-scrape" "\$@"
EOF
chmod +x "$scratch/slow-bin/haul-scrape"
HAUL_BIN=$scratch/slow-bin "$SCRIPTS/haul-run" --date "$D" --force >"$scratch/first.out" 2>&1 &
first=$!
at_exit "kill $first"
for _ in $(seq 300); do [[ -e $scratch/first-started ]] && break; sleep 0.1; done
[[ -e $scratch/first-started ]] || abort "the first haul-run never reached its scrape"
start=$SECONDS
"$SCRIPTS/haul-run" --date "$D" --force >"$scratch/second.out" 2>&1
check "the second haul-run for $D exits 75" 75 "$?"
((SECONDS - start < 5)) && pass "at once" || fail "it waited $((SECONDS - start)) s"
grep -q "another haul-run (pid $first) is running for $D" "$scratch/second.out" \
  && pass "naming the running one" || fail "second: $(cat "$scratch/second.out")"
touch "$scratch/go"
wait "$first"
check "the first haul-run completes" 0 "$?"
check "and is quiet" "" "$(cat "$scratch/first.out")"
check "the database still did not change" "$snapshot" "$(db_snapshot)"

# --- haul-cleanup: stale listings deactivated, old dates archived -------------
# A fourth day lists only the first 20 listings; two weeks later the other ten
# (last seen on day 3) are stale, and every date is past retention.
D4=2026-05-13
write_day "$data" "$D4" 3
jq '[.[] | select(.stockNumber | test("^GD-00(0|1)"))]' "$data/raw/$D4/vehicles/gen-dealer_001.json" \
  >"$scratch/day4.json" && mv "$scratch/day4.json" "$data/raw/$D4/vehicles/gen-dealer_001.json"
"$SCRIPTS/haul-run" --date "$D4" >"$scratch/run.out" 2>&1
check "haul-run $D4" 0 "$?"
cat >"$HAUL_CONFIG_DIR/cleanup.json" <<'JSON'
{"retention": {"raw_days": 10, "processed_days": 10, "failed_days": 10, "archive_days": 365},
 "database": {"vehicles": {"inactive_after_days": 14, "incomplete_if_missing": []}}}
JSON
raw_sum=$(sha256sum <"$data/raw/${DATES[0]}/vehicles/gen-dealer_001.json")
CLEAN_DATE=2026-05-27  # 14 days after D4: listings last seen on D3 are older than that
db_state() { sql "SELECT status, count(*) FROM vehicles GROUP BY 1 ORDER BY 1"; }
before_db=$(db_state)
before_files=$(tree_digest "$data" raw processed failed)
"$BINARY_DIR/haul-cleanup" --date "$CLEAN_DATE" --dry-run >"$scratch/dry.out" 2>&1
check "cleanup --dry-run exits 0" 0 "$?"
check "the dry run changed no listing" "$before_db" "$(db_state)"
check "the dry run changed no file" "$before_files" "$(tree_digest "$data" raw processed failed)"
[[ ! -e $data/archive ]] || [[ -z $(ls -A "$data/archive") ]] && pass "the dry run wrote no archive" \
  || fail "archive/ after a dry run: $(ls "$data/archive")"
"$BINARY_DIR/haul-cleanup" --date "$CLEAN_DATE" -q >"$scratch/clean.out" 2>&1
check "cleanup exits 0" 0 "$?"
check "the ten listings not seen since ${DATES[2]} are inactive" $'active|20\ninactive|10' "$(db_state)"
check "the inactive ones are exactly those" 0 \
  "$(sql "SELECT count(*) FROM vehicles WHERE status = 'inactive' AND record->>'stockNumber' ~ '^GD-00(0|1)'")"
for d in "${DATES[@]}" "$D4"; do
  archive=$data/archive/$d.tar.gz
  [[ -f $archive ]] && pass "$d archived" || fail "no $archive"
  [[ ! -e $data/raw/$d && ! -e $data/processed/$d && ! -e $data/failed/$d ]] \
    && pass "$d originals removed" || fail "$d originals still there"
done
check "the archive holds the raw file, byte for byte" "$raw_sum" \
  "$(tar -xzOf "$data/archive/${DATES[0]}.tar.gz" "raw/${DATES[0]}/vehicles/gen-dealer_001.json" | sha256sum)"
members=$(tar -tzf "$data/archive/${DATES[0]}.tar.gz")
for member in "processed/${DATES[0]}/vehicles/import_report.json" \
  "failed/${DATES[0]}/vehicles/validation_errors.jsonl"; do
  grep -qx "$member" <<<"$members" && pass "and $member" || fail "archive lacks $member: $members"
done
"$BINARY_DIR/haul-cleanup" --date "$CLEAN_DATE" -q >"$scratch/clean.out" 2>&1
check "a second cleanup exits 0" 0 "$?"
check "and changes nothing" $'active|20\ninactive|10' "$(db_state)"
