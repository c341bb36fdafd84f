#!/usr/bin/env bash
# Dedup benchmark: haul-dedup on N generated vehicle records with known
# duplicates (about 10% exact repeats, 7% relisted near duplicates, 6%
# aggregator copies), timed, and scored against the generated truth.
#
#   bench/dedup.sh [N]            N raw records, default 1000000
#
# Environment:
#   SEED=42               generator seed (same N and SEED give the same files)
#   HAUL_BUILD_DIR=build  CMake build dir (configured Release if it does not exist)
#   PYTHON=python3        runs bench/dedup_truth.py (standard library only)
#   HAUL_CONFIG=config    config dir for both stages (sources.json, schemas/, and an
#                         optional dedup.json: try matching settings against the truth)
#   REPEAT=1              haul-dedup runs; the fastest counts (its output is identical
#                         every time), peak RSS is the largest of them
#
# In order: generates raw files into bench/work/dedup/data/raw/2026-01-15/vehicles
# (unless the same N and SEED are already there), runs haul-validate on them,
# reads validated.jsonl once (page cache), runs haul-dedup under GNU time,
# scores its output with bench/dedup_truth.py, prints the figures with the
# targets (under 15 s wall, peak RSS under 1.5 GB) and writes
# bench/work/dedup_results.json. Exits 1 if a step failed; missed targets are
# printed, not failed.
set -euo pipefail

N=${1:-1000000}
SEED=${SEED:-42}
PYTHON=${PYTHON:-python3}
REPEAT=${REPEAT:-1}
[[ $N =~ ^[1-9][0-9]*$ && $SEED =~ ^[0-9]+$ && $REPEAT =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: bench/dedup.sh [N]   (N a positive number, SEED and REPEAT numbers)" >&2; exit 64; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/bench/work
OUT=$WORK/dedup
DATE=2026-01-15
DATA=$OUT/data
RAW=$DATA/raw/$DATE/vehicles
VALIDATED=$DATA/processed/$DATE/vehicles/validated.jsonl
DEDUPED=$DATA/processed/$DATE/vehicles/deduped.jsonl
DUPLICATES=$DATA/failed/$DATE/vehicles/duplicates.jsonl
CONFIG=${HAUL_CONFIG:-$ROOT/config}
[[ -f $CONFIG/sources.json ]] || { echo "no sources.json in $CONFIG" >&2; exit 64; }
TARGET_WALL_S=15
TARGET_RSS_MB=1536
mkdir -p "$OUT"
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

for tool in cmake ninja jq awk "$PYTHON"; do command -v "$tool" >/dev/null || die "$tool not found (run scripts/setup)"; done
bench_setup
/usr/bin/time -v true >/dev/null 2>&1 || die "GNU time (/usr/bin/time, Debian package 'time') not found"
bench_build bench_gen_dedup_vehicles haul-validate haul-dedup
GEN=$BUILD/bench/bench_gen_dedup_vehicles

# --- 1. Input ---------------------------------------------------------------
STAMP=$OUT/generated.json
if [[ ! -s $STAMP || $(jq -r '"\(.records) \(.seed)"' "$STAMP") != "$N $SEED" || $GEN -nt $STAMP ]]; then
  rm -rf "$DATA" "$STAMP"
  say "== generating $N records with duplicate truth (seed $SEED)"
  "$GEN" "$N" "$SEED" "$RAW" >"$STAMP.tmp"
  mv "$STAMP.tmp" "$STAMP"
fi
BYTES=$(cat "$RAW"/*.jsonl | wc -c)

# --- 2. Validate (not timed here: bench/validate.sh measures it) -----------
say "== haul-validate"
"$BUILD/haul-validate" --data-dir "$DATA" --config "$CONFIG" --date "$DATE" --type vehicles \
  --json -q --force >"$OUT/validate.json" 2>"$OUT/validate.err" ||
  die "haul-validate failed: $(tail -n 3 "$OUT/validate.err")"
V_IN=$(jq .totals.records_in "$OUT/validate.json")
V_OK=$(jq .totals.records_out "$OUT/validate.json")
V_REJECTED=$(jq .totals.rejected "$OUT/validate.json")

# --- 3. Dedup, timed --------------------------------------------------------
cat "$VALIDATED" >/dev/null  # from the page cache, as a pipeline run right after validate reads it
load=$(load_note)
time_field() { sed -n "s/^[[:space:]]*$1: //p" "$OUT/dedup.time"; }
WALL="" RSS_MB=0
for ((run = 1; run <= REPEAT; run++)); do
  say "== haul-dedup (run $run of $REPEAT)"
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$OUT/dedup.time" "$BUILD/haul-dedup" --data-dir "$DATA" --config "$CONFIG" \
    --date "$DATE" --type vehicles --json -q --force >"$OUT/dedup.json" 2>"$OUT/dedup.err" ||
    die "haul-dedup failed: $(tail -n 3 "$OUT/dedup.err")"
  t1=$(date +%s%N)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  rss=$(awk -v k="$(time_field 'Maximum resident set size (kbytes)')" 'BEGIN { printf "%.0f", k / 1024 }')
  ((rss > RSS_MB)) && RSS_MB=$rss
  if [[ -z $WALL ]] || awk -v w="$wall" -v m="$WALL" 'BEGIN { exit !(w < m) }'; then
    WALL=$wall
    CPU=$(awk -v u="$(time_field 'User time (seconds)')" -v s="$(time_field 'System time (seconds)')" 'BEGIN { printf "%.2f", u + s }')
  fi
done
HAUL_RSS_MB=$(jq '.peak_rss_kib / 1024 | floor' "$OUT/dedup.json")
D=$(jq '.partitions[0].details' "$OUT/dedup.json")
REPORT=$DATA/processed/$DATE/vehicles/dedup_report.json
d() { jq -r "$1" <<<"$D"; }
D_IN=$(d .records_in)

# --- 4. Truth ---------------------------------------------------------------
say "== scoring against the truth"
"$PYTHON" "$ROOT/bench/dedup_truth.py" "$DEDUPED" "$DUPLICATES" >"$OUT/truth.json" ||
  die "dedup_truth.py failed"
T=$OUT/truth.json
t() { jq -r "$1" "$T"; }
# Conservation, end to end: every valid record reached dedup, and every record
# dedup read is in exactly one of its two outputs.
[[ $D_IN == "$V_OK" ]] || die "haul-dedup read $D_IN records, haul-validate passed $V_OK"
[[ $(t .records_in) == "$D_IN" && $(d .rejected) == 0 ]] ||
  die "deduped.jsonl + duplicates.jsonl hold $(t .records_in) records, haul-dedup read $D_IN ($(d .rejected) rejected)"

# --- 5. Report --------------------------------------------------------------
pct() { awk -v x="$1" 'BEGIN { printf "%.2f%%", 100 * x }'; }
echo
echo "dedup benchmark: $N raw records ($(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }')), seed $SEED;" \
  "generated: $(jq -r '.kinds | to_entries | map("\(.key) \(.value)") | join(", ")' "$STAMP")"
echo "haul-validate: $V_IN in, $V_OK valid, $V_REJECTED rejected -> haul-dedup reads $D_IN records"
echo "machine: $load; config: $CONFIG$([[ -f $CONFIG/dedup.json ]] || echo " (no dedup.json: built-in defaults)")"
echo
printf '%-30s %s\n' "haul-dedup wall" "$WALL s (fastest of $REPEAT; $(awk -v n="$D_IN" -v s="$WALL" 'BEGIN { printf "%.0f", n / s }') records/s; the report's own time: $(jq .seconds "$REPORT") s)"
printf '%-30s %s\n' "cpu (user + sys)" "$CPU s"
printf '%-30s %s\n' "peak RSS" "$RSS_MB MB (GNU time; haul's own peak_rss_kib: $HAUL_RSS_MB MB)"
echo
printf '%-30s %s\n' "survivors / duplicates" "$(d .survivors) / $(d .duplicates) (rejected lines: $(d .rejected))"
printf '%-30s %s\n' "exact duplicates" "$(d .exact_duplicates)"
printf '%-30s %s\n' "near duplicates" "$(d .near_duplicates) by rule: $(d '.near_duplicates_by_rule | to_entries | map("\(.key) \(.value)") | join(", ")')"
printf '%-30s %s\n' "cross-source duplicates" "$(d .cross_source_duplicates)"
printf '%-30s %s\n' "clusters" "$(d .clusters) (largest $(d .largest_cluster.size); sizes $(d '.cluster_sizes | to_entries | map("\(.key):\(.value)") | join(" ")'))"
printf '%-30s %s\n' "pairs compared" "$(d .pairs_compared) of $(d .all_pairs) possible among $(d .distinct_after_exact) distinct records; $(d .pairs_matched) matched"
printf '%-30s %s\n' "reduction ratio" "$(d .reduction_ratio)"
printf '%-30s %s\n' "edges refused" "$(d .edges_refused_by_cluster_cap) by cluster cap, $(d .edges_refused_by_vin_conflict) by VIN conflict"
d '.blocking[] | "  block \(.rule): \(.blocks) blocks, largest \(.largest_block), \(.split_blocks) split, \(.pairs) pairs, \(.pairs_skipped_as_seen) skipped as seen"'
echo
printf '%-30s %s\n' "truth" "$(t .distinct_cars) distinct cars, $(t .true_duplicates) true duplicates among $(t .records_in) records"
printf '%-30s %s\n' "recall" "$(pct "$(t .recall)") ($(t .correctly_removed) correctly removed / $(t .true_duplicates))"
printf '%-30s %s\n' "precision" "$(pct "$(t .precision)") ($(t .correctly_removed) / $(t .removed) removed; $(t .wrongly_removed) wrongly)"
printf '%-30s %s\n' "cars split over clusters" "$(t .cars_split_over_clusters)"
echo "found with their car's first listing, by kind:"
t '.found_by_kind | to_entries[] | "  \(.key): \(.value.found) of \(.value.of) (\(.value.share * 10000 | round / 100)%)"'
if [[ $(t .wrongly_removed) != 0 ]]; then
  echo "false merges: by rule $(t '.false_merges_by_rule | tostring'), by kind $(t '.false_merges_by_kind | tostring'), by survivor kind $(t '.false_merges_by_survivor_kind | tostring')"
fi
echo
printf '%-30s %10s %12s  %s\n' target value target verdict
printf '%-30s %10s %12s  %s\n' "haul-dedup wall time" "$WALL s" "< $TARGET_WALL_S s" "$(verdict "$WALL" '<' "$TARGET_WALL_S")"
printf '%-30s %10s %12s  %s\n' "haul-dedup peak RSS" "$RSS_MB MB" "< $TARGET_RSS_MB MB" "$(verdict "$RSS_MB" '<' "$TARGET_RSS_MB")"
echo
echo "wall: the whole process (start-up, both passes over validated.jsonl, all outputs written and"
echo "fsynced). recall/precision: of removed records, judged by the truth each record carries."

jq -n --argjson n "$N" --argjson seed "$SEED" --argjson bytes "$BYTES" --arg machine "$load" --arg config "$CONFIG" \
  --slurpfile generated "$STAMP" --slurpfile validate "$OUT/validate.json" --argjson details "$D" \
  --slurpfile truth "$T" --argjson wall "$WALL" --argjson cpu "$CPU" --argjson rss "$RSS_MB" \
  --argjson haul_rss "$HAUL_RSS_MB" --argjson tw "$TARGET_WALL_S" --argjson tr "$TARGET_RSS_MB" '
  {records: $n, seed: $seed, raw_bytes: $bytes, machine: $machine, config: $config, generated: $generated[0],
   validate: $validate[0].totals,
   dedup: {wall_s: $wall, cpu_s: $cpu, peak_rss_mb: $rss, haul_peak_rss_mb: $haul_rss,
           records_per_s: ($details.records_in / $wall), report: $details},
   truth: $truth[0],
   targets: {wall_s: $tw, wall_met: ($wall < $tw), peak_rss_mb: $tr, rss_met: ($rss < $tr)}}
' >"$WORK/dedup_results.json"
