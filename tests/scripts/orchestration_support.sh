# shellcheck shell=bash
# Sourced by the orchestration script tests (haul_run, haul_backfill,
# crontab, demo, pipeline_e2e): verdict helpers, a scratch directory removed
# on exit, the built tools, a fresh database, a file-drop configuration and
# generated vehicle listings. Not a test itself (no _test.sh suffix).

SOURCE_DIR=${HAUL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BINARY_DIR=${HAUL_BINARY_DIR:-$SOURCE_DIR/build}
SCRIPTS=$SOURCE_DIR/scripts
STAGE_TOOLS=(haul-scrape haul-validate haul-dedup haul-enrich haul-import)

failures=0
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }
abort() { fail "$*"; exit 1; }
# check NAME EXPECTED ACTUAL
check() {
  if [[ $2 == "$3" ]]; then pass "$1 ($3)"; else fail "$1: expected '$2', got '$3'"; fi
}

# Callbacks run on exit, last registered first (stop a server, then remove its dir).
on_exit=()
at_exit() { on_exit=("$*" "${on_exit[@]}"); }
finish() {
  local rc=$? hook
  for hook in "${on_exit[@]}"; do eval "$hook" >/dev/null 2>&1 || true; done
  if ((rc == 0 && failures > 0)); then rc=1; fi
  if ((rc == 0)); then echo "$(basename "$0" .sh): all checks passed"; fi
  if ((rc != 0 && rc != 77)); then echo "$(basename "$0" .sh): FAILED"; fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A scratch directory under /tmp (short: pg-local puts a Unix socket in it),
# searchable by the `postgres` user when we are root.
make_scratch() {
  scratch=$(mktemp -d /tmp/haul-orch.XXXXXX)
  chmod 0755 "$scratch"
  at_exit "rm -rf -- '$scratch'"
}

require_tools() {
  local tool
  for tool in "${STAGE_TOOLS[@]}"; do
    [[ -x $BINARY_DIR/$tool ]] || skip "$BINARY_DIR/$tool not built"
  done
  command -v jq >/dev/null || skip "jq not installed"
  command -v flock >/dev/null || skip "flock not installed"
  export HAUL_BIN=$BINARY_DIR
}

# A database of our own: a fresh one on the $HAUL_TEST_DATABASE server, or a
# private pg-local cluster. Leaves PGHOST/PGPORT/PGUSER/PGDATABASE exported
# (and DATABASE_URL unset) and `sql` runs a query on it.
use_fresh_database() {
  unset DATABASE_URL PGHOST PGPORT PGUSER PGDATABASE PGHOSTADDR PGSERVICE PGPASSWORD
  local server=${HAUL_TEST_DATABASE:-}
  if [[ -z $server ]]; then
    [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]] || skip "no HAUL_TEST_DATABASE and no PostgreSQL 15"
    if ((EUID == 0)) && ! id -u postgres >/dev/null 2>&1; then skip "root without a postgres user"; fi
    "$SCRIPTS/pg-local" start "$scratch/pg" >"$scratch/pg.env" 2>"$scratch/pg.log" \
      || abort "pg-local start failed: $(tail -3 "$scratch/pg.log")"
    at_exit "'$SCRIPTS/pg-local' stop '$scratch/pg'"
    server=$(sed -n "s/^export DATABASE_URL='\(.*\)'$/\1/p" "$scratch/pg.env")
  fi
  local host port user
  IFS='|' read -r host port user < <(psql -XAt "$server" -c \
    "select coalesce(host(inet_server_addr()), split_part(current_setting('unix_socket_directories'), ',', 1)), current_setting('port'), current_user" \
    | head -1) || abort "cannot reach the test database server"
  local name="haul_orch_$$_$RANDOM"
  psql -XAtq "$server" -c "CREATE DATABASE $name" || abort "cannot create database $name"
  at_exit "psql -XAtq '$server' -c 'DROP DATABASE IF EXISTS $name WITH (FORCE)'"
  export PGHOST=$host PGPORT=$port PGUSER=$user PGDATABASE=$name
}
sql() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }

# The repository's configuration with file-drop sources only (no url: nothing
# to scrape), so stage input is whatever the test writes into raw/.
make_file_drop_config() {
  local dir=$1
  mkdir -p "$dir"
  cp -r "$SOURCE_DIR/config/." "$dir/"
  cat >"$dir/sources.json" <<'EOF'
{
  "scrape": {"user_agent": "haul-test", "contact": "test@example.com"},
  "sources": [
    {"name": "gen-dealer", "type": "vehicles", "mapping": {"set": {"sourceName": "Gen Dealer"}}},
    {"name": "gen-market", "type": "vehicles", "mapping": {"set": {"sourceName": "Gen Market"}}}
  ]
}
EOF
}

# Vehicle listings for day DAY (0, 1, 2 ...) of a small market: listings
# 0..29 of gen-dealer, each listed from day (n % 3) on, so later days repeat
# earlier listings; on each new day every fifth repeat has a new price; one
# exact repeat within the day (a duplicate for dedup) and two invalid records
# (price 0, no make) a day. Written as an array file under DATA/raw/D/vehicles.
write_day() {
  local data=$1 date=$2 day=$3
  local dir=$data/raw/$date/vehicles
  mkdir -p "$dir"
  python3 - "$day" >"$dir/gen-dealer_001.json" <<'EOF'
import json, sys
day = int(sys.argv[1])
makes = [("Ford", "Mustang"), ("Chevrolet", "Corvette"), ("Porsche", "911"),
         ("Dodge", "Charger"), ("Toyota", "Supra"), ("Jaguar", "E-Type")]
records = []
for n in range(30):
    first = n % 3
    if first > day:
        continue
    make, model = makes[n % len(makes)]
    price = 20000 + 1000 * n
    if n % 5 == 0:
        price += 750 * (day - first)  # relisted at a new price every day
    records.append({"make": make, "model": model, "year": str(1960 + n % 30),
                    "price": f"${price:,}", "mileage": f"{10000 + 97 * n:,} Miles",
                    "stockNumber": f"GD-{n:04d}", "vin": f"1GEN{n:07d}X",
                    "sourceUrl": f"https://gen.example/cars/{n}",
                    "locationCity": "Toronto", "locationState": "ON"})
records.append(dict(records[0]))  # an exact repeat within the day
records.append({"make": "Ford", "model": "Pinto", "year": "1975", "price": "0",
                "stockNumber": f"BAD-{day}-1", "sourceUrl": "https://gen.example/cars/bad1"})
records.append({"model": "Nothing", "year": "1980", "price": "$5,000",
                "stockNumber": f"BAD-{day}-2", "sourceUrl": "https://gen.example/cars/bad2"})
print("[")
print(",\n".join(json.dumps(r) for r in records))
print("]")
EOF
}

# sha256 of every file under DIR's given subdirectories, for before/after
# checks. Report files are compared without what a rerun changes by design:
# their input fingerprint (input mtimes), the time spent, and how many rows
# enrich read from the database (the run before imported them; they are this
# batch's own listings, so no record changes).
tree_digest() {
  local root=$1 file
  shift
  (cd "$root" && find "$@" -type f ! -name '.*' 2>/dev/null | sort | while IFS= read -r file; do
    if [[ $file == *_report.json ]]; then
      printf '%s  %s\n' "$(jq -cS 'walk(if type == "object" then del(.fingerprint, .seconds, .duration_s, .database_rows, .database_rows_in_batch) else . end)' "$file" | sha256sum | cut -c1-64)" "$file"
    else
      sha256sum "$file"
    fi
  done)
}

# The file-stage tests' set-up: data and config under the scratch dir, no
# database, file-drop sources, and the tools behind logging wrappers.
setup_file_drop_run() {
  export HAUL_CONFIG_DIR=$scratch/config HAUL_DATA_DIR=$scratch/data
  unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE
  make_file_drop_config "$HAUL_CONFIG_DIR"
  make_logging_bin "$scratch/bin"
  export HAUL_BIN=$scratch/bin
}

# Wrappers for the built tools in DIR: each logs "tool args" to DIR/calls.log
# and runs the real one, so a test sees which stages ran, in which order.
make_logging_bin() {
  local dir=$1 tool
  mkdir -p "$dir"
  for tool in "${STAGE_TOOLS[@]}"; do
    printf '#!/usr/bin/env bash\necho "%s $*" >>"%s/calls.log"\nexec "%s" "$@"\n' \
      "$tool" "$dir" "$BINARY_DIR/$tool" >"$dir/$tool"
    chmod +x "$dir/$tool"
  done
  : >"$dir/calls.log"
}
