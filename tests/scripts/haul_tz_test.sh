#!/usr/bin/env bash
# The logical date against clocks and time zones. Two processes whose TZ
# differ by 26 hours (Etc/GMT+12 and Etc/GMT-14: their dates differ at every
# instant) split a date without HAUL_TZ and agree on it with HAUL_TZ, in the
# tools (Date::today) and in haul-run. haul-run computes the date once: stages
# whose own clock says another day (as after midnight) still run for it.
# No database needed. Exit 0 pass, 1 fail, 77 skipped.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/orchestration_support.sh"
require_tools
make_scratch
setup_file_drop_run
[[ -e /usr/share/zoneinfo/America/Toronto ]] || skip "no tz database (Debian package tzdata)"

WEST=Etc/GMT+12 EAST=Etc/GMT-14 HOME_TZ=America/Toronto
first_date() { grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}' | head -1; }
# The date haul-validate defaults to: its "no raw files in DATA/raw/D/..." names it.
tool_date() {
  env "$@" "$BINARY_DIR/haul-validate" --type vehicles --data-dir "$scratch/empty" 2>&1 | first_date
}
run_date() { env "$@" "$SCRIPTS/haul-run" --status --data-dir "$scratch/empty" | first_date; }

# Both dates are read at one instant as far as possible; across a midnight of
# HAUL_TZ between two reads the check is repeated once.
for _ in 1 2; do
  home=$(TZ=$HOME_TZ date +%F)
  west_tool=$(tool_date -u HAUL_TZ TZ=$WEST) east_tool=$(tool_date -u HAUL_TZ TZ=$EAST)
  west_run=$(run_date -u HAUL_TZ TZ=$WEST) east_run=$(run_date -u HAUL_TZ TZ=$EAST)
  same_west_tool=$(tool_date HAUL_TZ=$HOME_TZ TZ=$WEST) same_east_tool=$(tool_date HAUL_TZ=$HOME_TZ TZ=$EAST)
  same_west_run=$(run_date HAUL_TZ=$HOME_TZ TZ=$WEST) same_east_run=$(run_date HAUL_TZ=$HOME_TZ TZ=$EAST)
  [[ $home == "$(TZ=$HOME_TZ date +%F)" ]] && break
done
[[ -n $west_tool && $west_tool != "$east_tool" ]] && pass "without HAUL_TZ, TZ splits the tools' date ($west_tool, $east_tool)" \
  || fail "tool dates without HAUL_TZ: '$west_tool' '$east_tool'"
[[ -n $west_run && $west_run != "$east_run" ]] && pass "and haul-run's ($west_run, $east_run)" \
  || fail "haul-run dates without HAUL_TZ: '$west_run' '$east_run'"
check "HAUL_TZ=$HOME_TZ: the tool under TZ=$WEST" "$home" "$same_west_tool"
check "HAUL_TZ=$HOME_TZ: the tool under TZ=$EAST" "$home" "$same_east_tool"
check "HAUL_TZ=$HOME_TZ: haul-run under TZ=$WEST" "$home" "$same_west_run"
check "HAUL_TZ=$HOME_TZ: haul-run under TZ=$EAST" "$home" "$same_east_run"

# --- a run crossing midnight keeps its date -----------------------------------
# haul-run decides the date in the west; every stage runs with a clock (TZ and
# HAUL_TZ) a day or two later, as a stage started after midnight would.
D=$(TZ=$WEST date +%F)
write_day "$HAUL_DATA_DIR" "$D" 0
mkdir -p "$scratch/late-bin"
for tool in "${STAGE_TOOLS[@]}"; do
  printf '#!/usr/bin/env bash\necho "%s $*" >>"%s/calls.log"\nTZ=%s HAUL_TZ=%s exec "%s" "$@"\n' \
    "$tool" "$scratch/late-bin" "$EAST" "$EAST" "$BINARY_DIR/$tool" >"$scratch/late-bin/$tool"
  chmod +x "$scratch/late-bin/$tool"
done
HAUL_BIN=$scratch/late-bin HAUL_TZ=$WEST "$SCRIPTS/haul-run" --stages scrape,validate,dedup,enrich \
  >"$scratch/run.out" 2>&1
check "haul-run exits 0" 0 "$?"
check "every stage was given haul-run's date" 4 "$(grep -c -- "--date $D" "$scratch/late-bin/calls.log")"
[[ -s $HAUL_DATA_DIR/processed/$D/vehicles/enriched.jsonl ]] && pass "the last stage's output is under $D" \
  || fail "no enriched.jsonl under $D: $(find "$HAUL_DATA_DIR/processed" -maxdepth 1)"
check "no other date has files" "$D" "$(ls "$HAUL_DATA_DIR/processed" "$HAUL_DATA_DIR/failed" 2>/dev/null | grep -E '^[0-9]' | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "every ledger entry is for $D" "\"$D\"" "$(jq -c .date "$HAUL_DATA_DIR/state/runs.jsonl" | sort -u)"
check "haul-run's own record too" "\"$D\"" "$(jq -c .date "$HAUL_DATA_DIR/state/haul-run.jsonl" | sort -u)"
