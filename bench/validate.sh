#!/usr/bin/env bash
# Validate benchmark: haul-validate against its ceiling (simdjson parse-only)
# and its baseline (the original pipeline's Zod validator in Node), on the
# same generated NDJSON file, in one run.
#
#   bench/validate.sh [N]          N records, default 1000000
#
# Environment:
#   SEED=42                generator seed (same N and SEED give the same file)
#   HAUL_BUILD_DIR=build   CMake build dir (configured Release if it does not exist yet)
#   REPEAT=1               runs per contender; the fastest counts (for noisy machines)
#
# Prints a table (records/s, MB/s, CPU time, peak RSS, valid/invalid counts)
# and the ratios against their targets; also writes bench/work/results.json.
# Exits 0 when every contender that could run ran (missed targets are
# reported, not failed: this is a measurement, not a test); 1 if parse-only
# or Zod failed. A missing or failing haul-validate is reported and skipped,
# so the script is usable before the stage exists.
set -euo pipefail

N=${1:-1000000}
SEED=${SEED:-42}
REPEAT=${REPEAT:-1}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/validate.sh [N]   (N a positive number)" >&2; exit 64; }
[[ $SEED =~ ^[0-9]+$ && $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "SEED and REPEAT must be numbers" >&2; exit 64; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=$BENCH/work
BUILD=${HAUL_BUILD_DIR:-$ROOT/build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
# haul-validate's contract: it reads DATA/raw/DATE/vehicles/*.jsonl.
DATE=2026-01-15
DATA=$WORK/data
RAW=$DATA/raw/$DATE/vehicles
CONFIG=$ROOT/config

# Targets, printed next to the figures.
TARGET_VS_ZOD=10      # haul records/s >= 10 x Zod's
TARGET_VS_PARSE=40    # haul records/s >= 40 % of parse-only's
TARGET_RSS_MB=200     # haul-validate peak RSS < 200 MB

say() { printf '%s\n' "$*" >&2; }
die() { printf 'validate.sh: %s\n' "$*" >&2; exit 1; }

for tool in cmake ninja node npm jq awk; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/setup)"
done
GNU_TIME=/usr/bin/time
if ! "$GNU_TIME" -f %M true >/dev/null 2>&1; then
  say "note: GNU time not found (Debian package 'time'): peak RSS and CPU time will be n/a"
  GNU_TIME=""
fi

mkdir -p "$WORK"

# --- 1. Node peer: zod@3 into bench/node_modules (git-ignored) -------------
if [[ ! -f $BENCH/node_modules/zod/package.json ]]; then
  say "== installing zod@3 into bench/node_modules"
  (cd "$BENCH" && npm install --no-audit --no-fund --loglevel=error >&2)
fi

# --- 2. Build ---------------------------------------------------------------
if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  say "== configuring $BUILD (Release)"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
else
  # Reconfiguring a shared build dir to another type would rebuild everyone's
  # objects; use it as it is and say what that means for the figures.
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
  # An empty type means the top-level CMakeLists' default, RelWithDebInfo.
  case ${build_type:-RelWithDebInfo} in
    Release) ;;
    RelWithDebInfo) say "note: $BUILD is RelWithDebInfo (-O2), not Release (-O3); figures may be slightly low" ;;
    *) say "WARNING: $BUILD is a '$build_type' build: figures are not representative (use HAUL_BUILD_DIR=build-release)" ;;
  esac
fi
say "== building bench tools in $BUILD"
cmake --build "$BUILD" --target bench_gen_vehicles bench_parse_only >&2
GEN=$BUILD/bench/bench_gen_vehicles
PARSE=$BUILD/bench/bench_parse_only

HAUL=$BUILD/haul-validate
say "== building haul-validate (log: bench/work/build-haul-validate.log)"
if ! cmake --build "$BUILD" --target haul-validate >"$WORK/build-haul-validate.log" 2>&1; then
  say "haul-validate did not build (see the log); it will be skipped if no binary exists"
fi

# --- 3. Input ---------------------------------------------------------------
INPUT=$WORK/vehicles-$N-$SEED.jsonl
if [[ ! -s $INPUT || $GEN -nt $INPUT ]]; then
  # Other sizes are cheap to regenerate; a 1M-record file is ~550 MB.
  rm -f "$WORK"/vehicles-*.jsonl
  need_kb=$((N * 600 * 4 / 1024))   # input + three sets of outputs, roughly
  avail_kb=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
  ((avail_kb > need_kb)) || say "WARNING: ${avail_kb} KB free in $WORK, about ${need_kb} KB needed"
  say "== generating $N records (seed $SEED)"
  "$GEN" "$N" "$SEED" >"$INPUT.tmp"
  mv "$INPUT.tmp" "$INPUT"
fi
BYTES=$(stat -c %s "$INPUT")
# haul-validate reads every file in the raw dir: make it hold exactly this
# one. A hard link, because the file can be half a gigabyte.
mkdir -p "$RAW"
rm -f "$RAW"/*.json "$RAW"/*.jsonl
ln "$INPUT" "$RAW/bench_001.jsonl"
rm -rf "$DATA/processed/$DATE" "$DATA/failed/$DATE" "$WORK/zod"
mkdir -p "$WORK/zod"
# Every contender should read from the page cache, not the first one from disk.
cat "$INPUT" >/dev/null

# --- 4. Run -----------------------------------------------------------------
# measure NAME CMD...: runs CMD REPEAT times with stdout/stderr in
# bench/work/NAME.{out,err}; sets M_RC, M_WALL (seconds, best run), M_CPU
# (user+sys seconds of that run) and M_RSS (peak RSS in MB, max over runs).
measure() {
  local name=$1 i t0 t1 wall rc
  shift
  M_RC=0 M_WALL="" M_CPU="n/a" M_RSS="n/a"
  for ((i = 0; i < REPEAT; i++)); do
    rc=0
    t0=$(date +%s%N)
    if [[ -n $GNU_TIME ]]; then
      "$GNU_TIME" -f '%U %S %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
    else
      "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
    fi
    t1=$(date +%s%N)
    if ((rc != 0)); then
      M_RC=$rc
      return 0
    fi
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    if [[ -z $M_WALL ]] || awk -v w="$wall" -v m="$M_WALL" 'BEGIN { exit !(w < m) }'; then
      M_WALL=$wall
      if [[ -n $GNU_TIME ]]; then
        M_CPU=$(tail -n 1 "$WORK/$name.time" | awk '{ printf "%.2f", $1 + $2 }')
      fi
    fi
    if [[ -n $GNU_TIME ]]; then
      M_RSS=$(tail -n 1 "$WORK/$name.time" | awk -v prev="$M_RSS" '{ r = $3 / 1024; if (prev != "n/a" && prev > r) r = prev; printf "%.0f", r }')
    fi
  done
}

failed=0
load=$(cut -d' ' -f1 /proc/loadavg)
say "== running (N=$N, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }'), load average $load)"

# (a) ceiling
say "-- simdjson parse-only"
measure parse "$PARSE" "$INPUT"
if ((M_RC == 0)); then
  P_WALL=$M_WALL P_CPU=$M_CPU P_RSS=$M_RSS
  P_RECORDS=$(jq -r .records "$WORK/parse.out")
else
  say "bench_parse_only failed (exit $M_RC): $(tail -n 3 "$WORK/parse.err")"
  failed=1
fi

# (b) haul-validate
H_OK=0
if [[ -x $HAUL ]]; then
  say "-- haul-validate"
  measure haul "$HAUL" --data-dir "$DATA" --config "$CONFIG" --date "$DATE" --type vehicles --json -q --force
  if ((M_RC == 0)) && jq -e '.totals.records_in' "$WORK/haul.out" >/dev/null 2>&1; then
    H_OK=1 H_WALL=$M_WALL H_CPU=$M_CPU H_RSS=$M_RSS
    H_RECORDS=$(jq -r .totals.records_in "$WORK/haul.out")
    # `valid` per the CLI contract; `records_out` is what the stage summary calls it.
    H_VALID=$(jq -r '.totals.valid // .totals.records_out // "?"' "$WORK/haul.out")
    H_INVALID=$(jq -r '.totals.rejected // "?"' "$WORK/haul.out")
  else
    say "haul-validate failed (exit $M_RC) or printed no totals; last stderr lines:"
    tail -n 5 "$WORK/haul.err" >&2 || true
  fi
else
  say "-- haul-validate: $HAUL not found (not built yet?); skipped"
fi

# (c) the original's validator
say "-- zod $(jq -r .version "$BENCH/node_modules/zod/package.json") on node $(node --version)"
measure zod node "$BENCH/zod_validate.mjs" "$INPUT" "$WORK/zod/valid.jsonl" "$WORK/zod/invalid.jsonl"
if ((M_RC == 0)); then
  Z_WALL=$M_WALL Z_CPU=$M_CPU Z_RSS=$M_RSS
  Z_RECORDS=$(jq -r .records "$WORK/zod.out")
  Z_VALID=$(jq -r .valid "$WORK/zod.out")
  Z_INVALID=$(jq -r .invalid "$WORK/zod.out")
else
  say "zod_validate.mjs failed (exit $M_RC): $(tail -n 5 "$WORK/zod.err")"
  failed=1
fi

# --- 5. Report --------------------------------------------------------------
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
mbps() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
row() { printf '%-22s %9s %9s %9s %8s %8s %12s %9s %10s\n' "$@"; }

echo
echo "validate benchmark: $N records, $(awk -v b="$BYTES" -v n="$N" 'BEGIN { printf "%.1f MB (%.0f bytes/record)", b / 1e6, b / n }'), seed $SEED"
echo "machine: $(nproc) CPUs, load average $load at start$(awk -v l="$load" -v c="$(nproc)" 'BEGIN { if (l > c / 2) printf " -- BUSY: timings are unreliable" }')"
echo
row contender records valid invalid "wall s" "cpu s" records/s MB/s "peak RSS"
if [[ -n ${P_WALL:-} ]]; then
  row "simdjson parse-only" "$P_RECORDS" - - "$P_WALL" "$P_CPU" "$(rate "$P_RECORDS" "$P_WALL")" "$(mbps "$P_WALL")" "$P_RSS MB"
fi
if ((H_OK)); then
  row "haul-validate" "$H_RECORDS" "$H_VALID" "$H_INVALID" "$H_WALL" "$H_CPU" "$(rate "$H_RECORDS" "$H_WALL")" "$(mbps "$H_WALL")" "$H_RSS MB"
else
  row "haul-validate" "(not run)" - - - - - - -
fi
if [[ -n ${Z_WALL:-} ]]; then
  row "zod@3 (node)" "$Z_RECORDS" "$Z_VALID" "$Z_INVALID" "$Z_WALL" "$Z_CPU" "$(rate "$Z_RECORDS" "$Z_WALL")" "$(mbps "$Z_WALL")" "$Z_RSS MB"
fi

# verdict VALUE TARGET OP: "met" or "MISSED" (OP is >= or <).
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v < t; print ok ? "met" : "MISSED" }'; }
echo
printf '%-34s %10s %12s  %s\n' ratio value target verdict
if ((H_OK)) && [[ -n ${Z_WALL:-} ]]; then
  vs_zod=$(awk -v h="$H_RECORDS" -v hw="$H_WALL" -v z="$Z_RECORDS" -v zw="$Z_WALL" 'BEGIN { printf "%.1f", (h / hw) / (z / zw) }')
  printf '%-34s %10s %12s  %s\n' "haul / zod (records/s)" "${vs_zod}x" ">= ${TARGET_VS_ZOD}x" "$(verdict "$vs_zod" "$TARGET_VS_ZOD" '>=')"
else
  printf '%-34s %10s %12s\n' "haul / zod (records/s)" n/a ">= ${TARGET_VS_ZOD}x"
fi
if ((H_OK)) && [[ -n ${P_WALL:-} ]]; then
  vs_parse=$(awk -v h="$H_RECORDS" -v hw="$H_WALL" -v p="$P_RECORDS" -v pw="$P_WALL" 'BEGIN { printf "%.0f", 100 * (h / hw) / (p / pw) }')
  printf '%-34s %10s %12s  %s\n' "haul / parse-only (records/s)" "${vs_parse}%" ">= ${TARGET_VS_PARSE}%" "$(verdict "$vs_parse" "$TARGET_VS_PARSE" '>=')"
else
  printf '%-34s %10s %12s\n' "haul / parse-only (records/s)" n/a ">= ${TARGET_VS_PARSE}%"
fi
if ((H_OK)) && [[ $H_RSS != n/a ]]; then
  printf '%-34s %10s %12s  %s\n' "haul-validate peak RSS" "$H_RSS MB" "< $TARGET_RSS_MB MB" "$(verdict "$H_RSS" "$TARGET_RSS_MB" '<')"
else
  printf '%-34s %10s %12s\n' "haul-validate peak RSS" n/a "< $TARGET_RSS_MB MB"
fi
echo
echo "valid/invalid counts differ a little by design: Zod counts string length in UTF-16 units and"
echo "strips unknown keys; haul counts code points and applies the repo's schema and coercions."
echo "MB = 10^6 bytes of input; wall time includes process start and all output writing."

# Machine-readable copy of the figures for later comparison.
jq -n --argjson n "$N" --argjson seed "$SEED" --argjson bytes "$BYTES" --arg load "$load" \
  --arg p_wall "${P_WALL:-}" --arg p_rss "${P_RSS:-}" \
  --arg h_wall "${H_WALL:-}" --arg h_rss "${H_RSS:-}" --arg h_valid "${H_VALID:-}" --arg h_invalid "${H_INVALID:-}" \
  --arg z_wall "${Z_WALL:-}" --arg z_rss "${Z_RSS:-}" --arg z_valid "${Z_VALID:-}" --arg z_invalid "${Z_INVALID:-}" '
  def num: (tonumber? // null);
  def contender($wall; $rss): if ($wall | num) == null then null
    else {seconds: ($wall | num), records_per_s: ($n / ($wall | num)), mb_per_s: ($bytes / 1e6 / ($wall | num)),
          peak_rss_mb: ($rss | num)} end;
  {records: $n, seed: $seed, bytes: $bytes, load_average: ($load | num),
   parse_only: contender($p_wall; $p_rss),
   haul_validate: (contender($h_wall; $h_rss) | if . then . + {valid: ($h_valid | num), invalid: ($h_invalid | num)} else . end),
   zod: (contender($z_wall; $z_rss) | if . then . + {valid: ($z_valid | num), invalid: ($z_invalid | num)} else . end)}
' >"$WORK/results.json"

exit "$failed"
