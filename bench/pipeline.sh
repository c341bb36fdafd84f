#!/usr/bin/env bash
# Pipeline load benchmark: N generated vehicle records a day for D consecutive
# days, each day run by scripts/haul-run (validate, dedup, enrich, import) into
# one PostgreSQL database, every stage timed.
#
#   bench/pipeline.sh [--days D] [--records N] [--smoke] [--db env]
#
#   --days D       consecutive days (default 7, at most 20)
#   --records N    raw records a day (default 1000000)
#   --smoke        2 days x 2000 records: the CI test's size
#   --tables-only  print the tables of the work dir's last run, also one
#                  that was stopped part-way (its finished days), and exit
#   --db env       use the database the environment names (PGHOST... or
#                  DATABASE_URL) instead of starting a private cluster with
#                  scripts/pg-local in the work dir; it must be empty or hold
#                  haul's tables only from an earlier run of this script
#
# Environment:
#   SEED=42               generator seed (same N, SEED and day give the same files)
#   HAUL_BUILD_DIR=build  CMake build dir (configured Release if it does not exist)
#   PIPELINE_WORK=bench/work/pipeline   work dir (data/, the cluster, timings);
#                         emptied at the start
#
# The data: bench_gen_dedup_vehicles in day mode (its MarketDay): ~88% of a
# day's listings were on sale the day before, prices drop, 6% of listings
# vanish for 1-3 days and come back relisted, 15% of dealer listings are
# copied by an aggregator with slightly different text, 4% of records are
# fetched twice within the day. Day d is logical date 2026-01-(09+d).
# The raw files are generated straight into data/raw (not timed): serving a
# million records a day through haul-scrape and nginx is bench/scrape.sh's
# job, measured there at a smaller size.
#
# Per stage and day it prints wall time, CPU time (user + sys) and peak RSS
# from GNU time (each stage wrapped, haul-run runs the wrappers through
# HAUL_BIN), the CPU time the private PostgreSQL cluster used meanwhile (all
# its processes; "-" with --db env: import's real work is there), records in (the stage's --json summary) and records/s; per day
# haul-run's whole wall time, the load average, and the database size
# (pg_database_size and each table with its indexes and TOAST). Then the
# targets: a day under 5 minutes end to end, no stage over 1.5 GB peak RSS,
# the last day no more than 20% slower than the first. Exits 1 if a step
# failed; missed targets are printed, not failed.
set -euo pipefail

DAYS=7 N=1000000 DB_FROM_ENV=0 TABLES_ONLY=0
while (($# > 0)); do
  case $1 in
    --days) DAYS=${2:-}; shift 2 ;;
    --records) N=${2:-}; shift 2 ;;
    --smoke) DAYS=2 N=2000; shift ;;
    --tables-only) TABLES_ONLY=1; shift ;;
    --db) [[ ${2:-} == env ]] || { echo "--db takes 'env'" >&2; exit 64; }; DB_FROM_ENV=1; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done
SEED=${SEED:-42}
[[ $DAYS =~ ^[1-9][0-9]*$ && $DAYS -le 20 && $N =~ ^[1-9][0-9]*$ && $SEED =~ ^[0-9]+$ ]] ||
  { echo "usage: bench/pipeline.sh [--days 1-20] [--records N] [--smoke] [--db env]" >&2; exit 64; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${PIPELINE_WORK:-$ROOT/bench/work/pipeline}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DATA=$WORK/data
TIMES=$WORK/times
CONFIG=${HAUL_CONFIG:-$ROOT/config}
STAGES=(validate dedup enrich import)
TARGET_DAY_S=300
TARGET_RSS_MB=1536
TARGET_SLOWDOWN=1.20
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

ROWS=$WORK/rows.tsv      # day date stage records wall cpu rss_mb db_cpu
DBROWS=$WORK/db.tsv      # day table bytes

print_tables() {
echo
echo "pipeline benchmark: $DAYS day(s) x $N raw vehicle records, seed $SEED, one database;"
echo "machine: $(nproc) CPUs; load average at each day's start: $(cat "$WORK/loads" 2>/dev/null | tr '\n' ' ')"
echo "stages run by scripts/haul-run --stages $(IFS=,; echo "${STAGES[*]}") (raw files generated, not scraped)"
echo
echo "| day | date | stage | records in | wall s | cpu s | db server cpu s | peak RSS MB | records/s |"
echo "|---|---|---|---|---|---|---|---|---|"
awk -F'\t' '
  $3 != "day" { cpu[$1] += $6; if ($7 > rss[$1]) rss[$1] = $7; if ($8 != "") db[$1] += $8; else nodb[$1] = 1 }
  { rate = $5 > 0 ? sprintf("%.0f", $4 / $5) : "-" }
  $3 == "day" {
    printf "| %s | %s | **day (haul-run)** | %s | %s | %.2f | %s | %s | %s |\n", $1, $2, $4, $5, cpu[$1],
      nodb[$1] ? "-" : sprintf("%.2f", db[$1]), rss[$1], rate
    next
  }
  { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $8 == "" ? "-" : $8, $7, rate }
' "$ROWS"
echo
mapfile -t tables < <(awk -F'\t' '$1 == 1 && $2 !~ /^\(/ { print $2 }' "$DBROWS" | sort)
printf '| day | database MB |'; printf ' %s MB |' "${tables[@]}"; echo " vehicles rows | vehicle_prices rows |"
printf '|---|---|'; printf -- '---|%.0s' "${tables[@]}"; echo "---|---|"
for ((day = 1; day <= DAYS; day++)); do
  awk -F'\t' -v day="$day" -v list="${tables[*]}" '
    $1 == day { v[$2] = $3 }
    END {
      printf "| %s | %.1f |", day, v["(database)"] / 1048576
      n = split(list, t, " "); for (i = 1; i <= n; i++) printf " %.1f |", v[t[i]] / 1048576
      printf " %s | %s |\n", v["(vehicles rows)"], v["(vehicle_prices rows)"]
    }' "$DBROWS"
done

# --- the targets -------------------------------------------------------------
  read -r WORST_DAY WORST_DAY_S FIRST_S LAST_S < <(awk -F'\t' '$3 == "day" {
    if ($5 > worst) { worst = $5; wd = $1 } if ($1 == 1) first = $5; last = $5 }
  END { print wd, worst, first, last }' "$ROWS")
read -r RSS_MB RSS_AT < <(awk -F'\t' '$3 != "day" && $7 >= rss { rss = $7; at = $3 "/day-" $1 } END { print rss + 0, at }' "$ROWS")
SLOWDOWN=$(awk -v a="$FIRST_S" -v b="$LAST_S" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }')
echo
printf '%-44s %14s %12s  %s\n' target value target verdict
printf '%-44s %14s %12s  %s\n' "slowest day end to end (day $WORST_DAY)" "$WORST_DAY_S s" "< $TARGET_DAY_S s" "$(verdict "$WORST_DAY_S" '<' "$TARGET_DAY_S")"
printf '%-44s %14s %12s  %s\n' "largest peak RSS of a stage ($RSS_AT)" "$RSS_MB MB" "< $TARGET_RSS_MB MB" "$(verdict "$RSS_MB" '<' "$TARGET_RSS_MB")"
printf '%-44s %14s %12s  %s\n' "day $DAYS / day 1 wall time" "$SLOWDOWN" "<= $TARGET_SLOWDOWN" "$( ((DAYS > 1)) && verdict "$SLOWDOWN" '<' "$(awk -v t="$TARGET_SLOWDOWN" 'BEGIN { print t + 1e-9 }')" || echo "n/a (one day)")"
echo
echo "wall: GNU time's elapsed time of each stage process; day: haul-run's whole run (stages plus"
echo "its own checks). cpu: user + sys of the stage (the day: their sum). On a shared 2-core machine"
echo "a load average above 2 means other work took CPU from the stages: compare cpu s, not wall s."
}

if ((TABLES_ONLY)); then
  [[ -s $ROWS ]] || die "no finished day in $WORK"
  DAYS=$(awk -F'\t' '$3 == "day" { d = $1 } END { print d + 0 }' "$ROWS")
  N=$(awk -F'\t' '$3 == "day" { n = $4 } END { print n + 0 }' "$ROWS")
  ((DAYS > 0)) || die "no finished day in $WORK"
  SEED="(see the run)"
  print_tables
  exit 0
fi

for tool in cmake ninja jq awk psql flock; do command -v "$tool" >/dev/null || die "$tool not found (run scripts/setup)"; done
/usr/bin/time -v true >/dev/null 2>&1 || die "GNU time (/usr/bin/time, Debian package 'time') not found"
bench_build bench_gen_dedup_vehicles "${STAGES[@]/#/haul-}"
GEN=$BUILD/bench/bench_gen_dedup_vehicles

rm -rf "$DATA" "$TIMES" "$WORK/bin"
mkdir -p "$DATA" "$TIMES" "$WORK/bin"

# --- the database ----------------------------------------------------------
if ((DB_FROM_ENV)); then
  psql -XAtq -c 'SELECT 1' >/dev/null || die "--db env: the environment's database cannot be reached"
else
  PG_DIR=$WORK/pg
  stop_pg() { "$ROOT/scripts/pg-local" stop "$PG_DIR" >/dev/null 2>&1 || true; }
  trap stop_pg EXIT
  rm -rf "$PG_DIR"
  eval "$("$ROOT/scripts/pg-local" start "$PG_DIR" 2>"$WORK/pg-local.log")" ||
    die "pg-local start failed (see $WORK/pg-local.log)"
fi
"$BUILD/haul-import" --migrate-only -q || die "haul-import --migrate-only failed"
[[ $(psql -XAtq -c 'SELECT count(*) FROM vehicles') == 0 ]] ||
  die "the database already holds vehicles: give the benchmark an empty one"

# --- every stage wrapped in GNU time, for haul-run to find through HAUL_BIN --
for stage in "${STAGES[@]}"; do
  cat >"$WORK/bin/haul-$stage" <<EOF
#!/usr/bin/env bash
# CPU seconds of the cluster: the postmaster with its reaped children, and its live ones.
pg_cpu() {
  local pm t c
  pm=\$(head -n 1 "${PG_DIR:-/nonexistent}/pgdata/postmaster.pid" 2>/dev/null) && [[ -r /proc/\$pm/stat ]] || return 0
  t=\$(awk '{ print \$14 + \$15 + \$16 + \$17 }' "/proc/\$pm/stat")
  for c in \$(pgrep -P "\$pm"); do t=\$((t + \$(awk '{ print \$14 + \$15 }' "/proc/\$c/stat" 2>/dev/null || echo 0))); done
  awk -v t="\$t" -v hz="\$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
before=\$(pg_cpu)
/usr/bin/time -v -o "$TIMES/\$PIPELINE_DAY-$stage.time" "$BUILD/haul-$stage" "\$@" --json >"$TIMES/\$PIPELINE_DAY-$stage.json"
rc=\$?
# Read the server's CPU only once the stage's backends have exited and been
# reaped: read at once, some days counted 3-9 s for imports whose backend had
# used about 65 s (an exiting backend's time was in no counter read).
pm=\$(head -n 1 "${PG_DIR:-/nonexistent}/pgdata/postmaster.pid" 2>/dev/null) || pm=
for ((i = 0; i < 50; i++)); do
  busy=0
  for c in \$([[ -n \$pm ]] && pgrep -P "\$pm"); do
    if grep -qa '\[local\]' "/proc/\$c/cmdline" 2>/dev/null || [[ \$(awk '{ print \$3 }' "/proc/\$c/stat" 2>/dev/null) == Z ]]; then busy=1; fi
  done
  ((busy)) || break
  sleep 0.1
done
after=\$(pg_cpu)
[[ -n \$before && -n \$after ]] && awk -v a="\$before" -v b="\$after" 'BEGIN { printf "%.2f\\n", b - a }' >"$TIMES/\$PIPELINE_DAY-$stage.dbcpu"
exit \$rc
EOF
  chmod +x "$WORK/bin/haul-$stage"
done

time_field() { sed -n "s/^[[:space:]]*$2: //p" "$1"; }
# GNU time's elapsed "h:mm:ss" or "m:ss.ss" in seconds.
elapsed_s() {
  time_field "$1" 'Elapsed (wall clock) time (h:mm:ss or m:ss)' |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}
day_date() { date -u -d "2026-01-09 + $1 days" +%F; }

: >"$ROWS"
: >"$DBROWS"
rm -f "$WORK/loads"
say "== $DAYS day(s) x $N records, seed $SEED; data in $DATA"
for ((day = 1; day <= DAYS; day++)); do
  d=$(day_date "$day")
  say "== day $day ($d): generating"
  "$GEN" "$N" "$SEED" "$DATA/raw/$d/vehicles" "$day" >"$TIMES/$day-generated.json" ||
    die "the generator failed on day $day"
  cat "$DATA/raw/$d/vehicles"/*.jsonl >/dev/null  # from the page cache, as after a scrape
  cut -d' ' -f1 /proc/loadavg >>"$WORK/loads"
  say "== day $day ($d): haul-run --stages ${STAGES[*]}"
  t0=$(date +%s%N)
  PIPELINE_DAY=$day HAUL_BIN=$WORK/bin "$ROOT/scripts/haul-run" --date "$d" --data-dir "$DATA" \
    --config "$CONFIG" --stages "$(IFS=,; echo "${STAGES[*]}")" -q 2>"$TIMES/$day-run.err" ||
    die "haul-run failed on day $day: $(tail -n 5 "$TIMES/$day-run.err")"
  t1=$(date +%s%N)
  for stage in "${STAGES[@]}"; do
    tf=$TIMES/$day-$stage.time
    [[ -s $tf ]] || die "no timing for $stage on day $day"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$day" "$d" "$stage" \
      "$(jq '.totals.records_in' "$TIMES/$day-$stage.json")" "$(elapsed_s "$tf")" \
      "$(awk -v u="$(time_field "$tf" 'User time (seconds)')" -v s="$(time_field "$tf" 'System time (seconds)')" 'BEGIN { printf "%.2f", u + s }')" \
      "$(awk -v k="$(time_field "$tf" 'Maximum resident set size (kbytes)')" 'BEGIN { printf "%.0f", k / 1024 }')" \
      "$(cat "$TIMES/$day-$stage.dbcpu" 2>/dev/null)" >>"$ROWS"
  done
  printf '%s\t%s\t%s\t%s\t%s\t\t\t\n' "$day" "$d" "day" "$N" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')" >>"$ROWS"
  psql -XAtq -F $'\t' -c "SELECT $day, '(database)', pg_database_size(current_database())
    UNION ALL SELECT $day, c.relname, pg_total_relation_size(c.oid) FROM pg_class c
      WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
    UNION ALL SELECT $day, '(vehicles rows)', count(*) FROM vehicles
    UNION ALL SELECT $day, '(vehicle_prices rows)', count(*) FROM vehicle_prices" >>"$DBROWS" ||
    die "the database size query failed on day $day"
  # Progress, for a long run stopped before its tables: this day's figures.
  awk -F'\t' -v day="$day" '$1 == day { printf "   %-8s %8s in %9s s wall %9s s cpu %9s s db cpu %6s MB\n", $3, $4, $5, $6, $8, $7 }' "$ROWS" >&2
  awk -F'\t' -v day="$day" '$1 == day && $2 == "(database)" { printf "   database %.1f MB\n", $3 / 1048576 }' "$DBROWS" >&2
done
print_tables
