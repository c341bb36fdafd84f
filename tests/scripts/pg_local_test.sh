#!/usr/bin/env bash
# End-to-end test of scripts/pg-local: a real server in a temporary directory,
# reached over its Unix socket only, started twice (idempotent), stopped, gone.
# Exit 0 pass, 1 fail, 77 skipped (ctest SKIP_RETURN_CODE) when the machine
# cannot run PostgreSQL at all.
set -euo pipefail

SOURCE_DIR=${HAUL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PG_LOCAL=$SOURCE_DIR/scripts/pg-local

failures=0
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }
# A failed step that makes every later one meaningless.
abort() { fail "$*"; exit 1; }

bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[[ -x $bindir/initdb && -x $bindir/pg_ctl ]] || skip "PostgreSQL 15 server binaries not found in $bindir"
command -v psql >/dev/null || skip "psql not installed"
command -v ss >/dev/null || skip "ss (iproute2) not installed"
if ((EUID == 0)) && ! id -u postgres >/dev/null 2>&1; then
  skip "running as root without a 'postgres' user"
fi

# The cluster must not be left running by a failing assertion, nor its
# directory left behind: stop and remove on every exit.
# A Unix socket path is limited to ~100 bytes: fall back to /tmp if TMPDIR is deep.
tmp=${TMPDIR:-/tmp}
((${#tmp} <= 60)) || tmp=/tmp
dir=$(mktemp -d "$tmp/pg-local-test.XXXXXX")
cleanup() {
  local rc=$?
  "$PG_LOCAL" stop "$dir" >/dev/null 2>&1 || true
  rm -rf -- "$dir"
  if ((rc == 0 && failures > 0)); then rc=1; fi
  if ((rc == 0)); then echo "pg_local_test: all checks passed"; else echo "pg_local_test: FAILED"; fi
  exit "$rc"
}
trap cleanup EXIT
# Turn Ctrl-C and kill into a normal exit so the EXIT trap still stops the server.
trap 'exit 130' INT
trap 'exit 143' TERM

# Don't let the caller's environment point psql elsewhere.
unset PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD PGSERVICE DATABASE_URL

settings=$("$PG_LOCAL" start "$dir") || abort "pg-local start exited non-zero"
pass "pg-local start"
eval "$settings"
if [[ -z ${PGHOST:-} || -z ${PGPORT:-} || ${PGDATABASE:-} != haul || ${PGUSER:-} != postgres
  || -z ${DATABASE_URL:-} ]]; then
  abort "start printed incomplete settings: $settings"
fi
pass "settings exported (PGHOST=$PGHOST PGPORT=$PGPORT)"
if [[ $PGHOST == "$dir"/* ]]; then
  pass "socket lives inside the cluster dir"
else
  fail "PGHOST $PGHOST is outside $dir"
fi

out=$(psql -XAtc 'select 1' 2>&1) || true
[[ $out == 1 ]] || abort "psql select 1 printed: $out"
pass "psql select 1 via the PG* variables"
out=$(psql "$DATABASE_URL" -XAtc 'select current_database()' 2>&1) || true
if [[ $out == haul ]]; then
  pass "psql via DATABASE_URL reaches database haul"
else
  fail "psql via DATABASE_URL printed: $out"
fi

tcp=$(ss -Hltn "sport = :$PGPORT")
if [[ -z $tcp ]]; then pass "nothing listens on TCP port $PGPORT"; else fail "TCP listener on $PGPORT: $tcp"; fi
out=$(psql -XAtc 'show listen_addresses' 2>&1) || true
if [[ -z $out ]]; then pass "listen_addresses is empty"; else fail "listen_addresses = '$out'"; fi

out=$(psql -XAt -v ON_ERROR_STOP=1 2>&1 <<'SQL'
create table pg_local_probe (id int primary key, note text);
insert into pg_local_probe values (1, 'crème brûlée — ok');
select note from pg_local_probe where id = 1;
SQL
) || true
if [[ $out == *'crème brûlée — ok' ]]; then
  pass "create table, insert and read back a UTF-8 row"
else
  fail "table round trip printed: $out"
fi

again=$("$PG_LOCAL" start "$dir" 2>/dev/null) || fail "second pg-local start exited non-zero"
if [[ $again == "$settings" ]]; then
  pass "second start is a no-op with identical settings (port $PGPORT)"
else
  fail "second start printed different settings: $again"
fi
out=$("$PG_LOCAL" env "$dir" 2>/dev/null) || true
if [[ $out == "$settings" ]]; then pass "pg-local env matches start"; else fail "pg-local env printed: $out"; fi
if "$PG_LOCAL" status "$dir" 2>/dev/null; then pass "status reports running"; else fail "status: not running"; fi
out=$(psql -XAtc 'select count(*) from pg_local_probe' 2>&1) || true
if [[ $out == 1 ]]; then pass "data survives the idempotent start"; else fail "after second start: $out"; fi

# Where PID 1 does not reap orphans (some containers), the stopped postmaster
# stays a zombie: it is dead, but kill -0 still succeeds. Ask ps for its state.
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $stat && $stat != Z* ]]
}
pid=$(sed -n 1p "$dir/pgdata/postmaster.pid")
if "$PG_LOCAL" stop "$dir" 2>/dev/null; then pass "pg-local stop"; else fail "pg-local stop exited non-zero"; fi
for _ in $(seq 1 50); do
  alive "$pid" || break
  sleep 0.1
done
if alive "$pid"; then fail "server process $pid still alive after stop"; else pass "server process $pid is gone"; fi
if [[ ! -e $PGHOST/.s.PGSQL.$PGPORT ]]; then pass "socket file removed"; else fail "socket file still there"; fi
if psql -XAtc 'select 1' >/dev/null 2>&1; then fail "psql still connects after stop"; else pass "psql no longer connects"; fi
rc=0
"$PG_LOCAL" status "$dir" 2>/dev/null || rc=$?
if ((rc == 3)); then pass "status reports stopped (exit 3)"; else fail "status after stop exited $rc, want 3"; fi
if "$PG_LOCAL" stop "$dir" 2>/dev/null; then pass "stop on a stopped cluster succeeds"; else fail "second stop failed"; fi

((failures == 0))
