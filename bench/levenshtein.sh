#!/usr/bin/env bash
# Levenshtein benchmark: haul's bounded bit-parallel kernel against
# python-Levenshtein (Debian python3-levenshtein) on the same listing-title
# pairs (30-60 code points), in one run.
#
#   bench/levenshtein.sh [PAIRS]      PAIRS pairs, default 200000
#
# Environment:
#   SEED=42               generator seed (same PAIRS and SEED give the same file)
#   MIN_SECONDS=3         each contender repeats all pairs until this much time passed
#   REPEAT=3              runs per contender, alternating; the fastest counts (a busy
#                         2-core machine slows runs unevenly)
#   HAUL_BUILD_DIR=build  CMake build dir (configured Release if it does not exist)
#
# Prints pairs/s of both, the ratio against its target (>= 5x), haul's pairs/s
# with a similarity cutoff of 0.8 as a second figure, and whether both computed
# the same distances (sum and checksum). Writes bench/work/levenshtein_results.json.
# Exits 1 if a contender failed or the distances differ; a missed speed target
# is printed, not failed.
set -euo pipefail

PAIRS=${1:-200000}
SEED=${SEED:-42}
MIN_SECONDS=${MIN_SECONDS:-3}
REPEAT=${REPEAT:-3}
[[ $PAIRS =~ ^[1-9][0-9]*$ && $SEED =~ ^[0-9]+$ && $MIN_SECONDS =~ ^[0-9.]+$ && $REPEAT =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: bench/levenshtein.sh [PAIRS]   (PAIRS a positive number; SEED, MIN_SECONDS, REPEAT numbers)" >&2; exit 64; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/bench/work
TARGET_RATIO=5
# Debian's python3-levenshtein is installed for the system Python, which a
# pyenv or venv python3 earlier on PATH would not see.
PYTHON=${PYTHON:-/usr/bin/python3}
mkdir -p "$WORK"
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

for tool in cmake ninja jq awk; do command -v "$tool" >/dev/null || die "$tool not found (run scripts/setup)"; done
bench_setup
"$PYTHON" -c 'import Levenshtein' 2>/dev/null || die "$PYTHON cannot import Levenshtein (Debian python3-levenshtein)"
bench_build bench_gen_title_pairs bench_levenshtein_pairs

INPUT=$WORK/title-pairs-$PAIRS-$SEED.tsv
GEN=$BUILD/bench/bench_gen_title_pairs
if [[ ! -s $INPUT || $GEN -nt $INPUT ]]; then
  say "== generating $PAIRS title pairs (seed $SEED)"
  "$GEN" "$PAIRS" "$SEED" >"$INPUT.tmp"
  mv "$INPUT.tmp" "$INPUT"
fi

load=$(load_note)
H=$WORK/levenshtein_haul.json P=$WORK/levenshtein_python.json
# keep_fastest RUN BEST: RUN becomes BEST if BEST is missing or slower.
keep_fastest() {
  if [[ ! -s $2 ]] || jq -e --slurpfile best "$2" '.pairs_per_s > $best[0].pairs_per_s' "$1" >/dev/null; then
    mv "$1" "$2"
  fi
}
rm -f "$H" "$P"
for ((run = 1; run <= REPEAT; run++)); do
  say "== run $run of $REPEAT: haul kernel, then python-Levenshtein"
  "$BUILD/bench/bench_levenshtein_pairs" "$INPUT" "$MIN_SECONDS" >"$H.run"
  keep_fastest "$H.run" "$H"
  "$PYTHON" "$ROOT/bench/levenshtein_py.py" "$INPUT" "$MIN_SECONDS" >"$P.run"
  keep_fastest "$P.run" "$P"
done

h_rate=$(jq -r .pairs_per_s "$H") p_rate=$(jq -r .pairs_per_s "$P")
h_cut=$(jq -r .cutoff_pairs_per_s "$H") h_similar=$(jq -r .cutoff_similar "$H")
h_sum=$(jq -r .distance_sum "$H") p_sum=$(jq -r .distance_sum "$P")
h_check=$(jq -r .checksum "$H") p_check=$(jq -r .checksum "$P")
ratio=$(awk -v h="$h_rate" -v p="$p_rate" 'BEGIN { printf "%.1f", h / p }')
same=no
[[ $h_sum == "$p_sum" && $h_check == "$p_check" ]] && same=yes
pyver=$(jq -r .python "$P")
levver=$(dpkg-query -W -f '${Version}' python3-levenshtein 2>/dev/null || echo '?')

echo
echo "levenshtein benchmark: $PAIRS title pairs, $(jq -r .mean_code_points "$H") code points per title on average, seed $SEED"
echo "machine: $load"
echo
printf '%-44s %14s %16s %20s\n' contender pairs/s "distance sum" checksum
printf '%-44s %14s %16s %20s\n' "haul bounded_levenshtein (exact distance)" "$h_rate" "$h_sum" "$h_check"
printf '%-44s %14s %16s %20s\n' "python-Levenshtein $levver (Python $pyver)" "$p_rate" "$p_sum" "$p_check"
printf '%-44s %14s %16s\n' "haul levenshtein_similarity >= 0.8" "$h_cut" "$h_similar similar"
echo
printf '%-34s %10s %10s  %s\n' ratio value target verdict
printf '%-34s %10s %10s  %s\n' "haul / python-Levenshtein" "${ratio}x" ">= ${TARGET_RATIO}x" "$(verdict "$ratio" '>=' "$TARGET_RATIO")"
printf '%-34s %10s\n' "same distances (sum and checksum)" "$same"
echo
echo "pairs/s: all pairs, repeated for at least ${MIN_SECONDS}s, divided by the time, fastest of $REPEAT runs;"
echo "strings decoded before timing. The cutoff figure is from the same run as haul's exact one."

jq -n --argjson pairs "$PAIRS" --argjson seed "$SEED" --arg load "$load" --argjson repeat "$REPEAT" \
  --slurpfile haul "$H" --slurpfile python "$P" --argjson ratio "$ratio" --arg same "$same" \
  '{pairs: $pairs, seed: $seed, machine: $load, repeat: $repeat, haul: $haul[0], python_levenshtein: $python[0],
    ratio: $ratio, target_ratio: '"$TARGET_RATIO"', same_distances: ($same == "yes")}' \
  >"$WORK/levenshtein_results.json"

[[ $same == yes ]] || { say "the two contenders computed different distances"; exit 1; }
