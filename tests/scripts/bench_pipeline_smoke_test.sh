#!/usr/bin/env bash
# bench/pipeline.sh --smoke (2 days x 2000 generated records through haul-run
# into one database): the script runs to the end and its tables are
# well-formed with sane figures: every stage of every day has a row, validate
# read all 2000 raw records, each later stage read no more than the one
# before, times, CPU, RSS and rates are positive numbers, the day row is at
# least its stages' wall time, the database grew from day 1 to day 2 by less
# than a whole second set of listings (most listings repeat), prices changed,
# and the three targets have a verdict.
# Exit 0 pass, 1 fail, 77 skipped.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/orchestration_support.sh"
require_tools
[[ -x $BINARY_DIR/bench/bench_gen_dedup_vehicles ]] || skip "bench_gen_dedup_vehicles not built"
command -v psql >/dev/null || skip "psql not installed"
/usr/bin/time -v true >/dev/null 2>&1 || skip "GNU time not installed"
make_scratch
# The benchmark's own pg-local cluster where PostgreSQL 15 is installed (its
# server CPU is measured then), else a fresh database on $HAUL_TEST_DATABASE.
db_args=()
if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]] && { ((EUID != 0)) || id -u postgres >/dev/null 2>&1; }; then
  own_cluster=1
else
  own_cluster=0 db_args=(--db env)
  use_fresh_database
fi

out=$scratch/out.txt
HAUL_BUILD_DIR=$BINARY_DIR PIPELINE_WORK=$scratch/work "$SOURCE_DIR/bench/pipeline.sh" --smoke "${db_args[@]}" \
  >"$out" 2>"$scratch/err.txt"
rc=$?
check "bench/pipeline.sh --smoke exit" 0 "$rc"
((rc == 0)) || { tail -n 20 "$scratch/err.txt"; abort "the benchmark failed"; }

# The stage table: | day | date | stage | records in | wall s | cpu s | db server cpu s | peak RSS MB | records/s |
num='[0-9]+(\.[0-9]+)?'
stage_rows=$(grep -cE "^\| [12] \| 2026-01-1[01] \| (validate|dedup|enrich|import) \| [0-9]+ \| $num \| $num \| ($num|-) \| [0-9]+ \| [0-9]+ \|$" "$out")
check "stage rows (2 days x 4 stages)" 8 "$stage_rows"
day_rows=$(grep -cE "^\| [12] \| 2026-01-1[01] \| \*\*day \(haul-run\)\*\* \| 2000 \| $num \| $num \| ($num|-) \| [0-9]+ \| [0-9]+ \|$" "$out")
check "day rows" 2 "$day_rows"

# Sanity of the figures, per day.
for day in 1 2; do
  verdicts=$(awk -F' *\\| *' -v day="$day" -v own="$own_cluster" '
    $2 == day && $4 ~ /^(validate|dedup|enrich|import)$/ {
      n++; recs[$4] = $5
      if (!($6 > 0 && $7 > 0 && $9 > 0 && $9 < 1536 && $10 > 0)) bad = bad " " $4 ":figures"
      if ($4 == "import") dbcpu = $8
      walls += $6
    }
    $2 == day && $4 ~ /day/ { daywall = $6 }
    END {
      if (n != 4) bad = bad " rows"
      if (recs["validate"] != 2000) bad = bad " validate-read-" recs["validate"]
      if (!(recs["dedup"] > 1800 && recs["dedup"] <= recs["validate"])) bad = bad " dedup-read"
      if (!(recs["enrich"] > 1500 && recs["enrich"] <= recs["dedup"])) bad = bad " enrich-read"
      if (!(recs["import"] > 0 && recs["import"] <= recs["enrich"])) bad = bad " import-read"
      if (!(daywall + 0.05 >= walls)) bad = bad " day-wall-" daywall "<" walls
      if (own ? !(dbcpu > 0) : dbcpu != "-") bad = bad " import-db-cpu-" dbcpu
      print bad == "" ? "sane" : "insane:" bad
    }' "$out")
  check "day $day figures" sane "$verdicts"
done

# The database table: | day | database MB | <table> MB ... | vehicles rows | vehicle_prices rows |
db_rows=$(grep -E '^\| [12] \| [0-9]+\.[0-9] \|' "$out")
check "database rows" 2 "$(grep -c . <<<"$db_rows")"
read -r v1 p1 < <(awk -F' *\\| *' '$2 == 1 { print $(NF-2), $(NF-1) }' <<<"$db_rows")
read -r v2 p2 < <(awk -F' *\\| *' '$2 == 2 { print $(NF-2), $(NF-1) }' <<<"$db_rows")
check "vehicles after day 1 within the day's records" yes "$( ((v1 > 1000 && v1 < 2000)) && echo yes || echo "no ($v1)")"
check "day 2 added listings, most repeated" yes "$( ((v2 > v1 && v2 < v1 * 3 / 2)) && echo yes || echo "no ($v1 -> $v2)")"
check "day 2 recorded price changes" yes "$( ((p2 > p1)) && echo yes || echo "no ($p1 -> $p2)")"
check "header names vehicles" 1 "$(grep -cE '^\| day \| database MB \|.* vehicles MB \|' "$out")"

# Each target with a number and a verdict.
check "target: slowest day" 1 "$(grep -cE "^slowest day end to end \(day [12]\) +$num s +< 300 s +(met|MISSED)$" "$out")"
check "target: peak RSS" 1 "$(grep -cE "^largest peak RSS of a stage \((validate|dedup|enrich|import)/day-[12]\) +[0-9]+ MB +< 1536 MB +(met|MISSED)$" "$out")"
check "target: day 2 / day 1" 1 "$(grep -cE "^day 2 / day 1 wall time +[0-9]+\.[0-9]{3} +<= 1.20 +(met|MISSED)$" "$out")"
