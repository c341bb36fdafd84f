#!/usr/bin/env bash
# crontab.example is a working crontab: every line is a comment, a variable
# or an entry with five valid schedule fields (numbers in range, ranges,
# lists, steps, month and weekday names) or an @keyword, whose program (after
# `flock -n LOCK`) is a haul tool that exists and answers --help with exit 0.
# The variables cron needs are set. The systemd units carry what the issue
# asks for and pass `systemd-analyze verify` where it can run.
# Exit 0 pass, 1 fail, 77 skipped.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/orchestration_support.sh"
make_scratch
CRONTAB=$SOURCE_DIR/crontab.example
[[ -f $CRONTAB ]] || abort "no crontab.example"

# valid_field FIELD MIN MAX [NAMES...]: NAMES (lower case) stand for MIN, MIN+1, ...
valid_field() {
  local field=${1,,} min=$2 max=$3
  shift 3
  local -a names=("$@")
  local item range step lo hi part
  IFS=, read -ra items <<<"$field"
  ((${#items[@]} > 0)) || return 1
  for item in "${items[@]}"; do
    range=${item%%/*} step=""
    [[ $item == */* ]] && step=${item#*/}
    if [[ -n $step || $item == */ ]]; then [[ $step =~ ^[0-9]+$ ]] && ((step > 0)) || return 1; fi
    [[ $range == '*' ]] && continue
    lo=${range%%-*} hi=${range#*-}
    for part in lo hi; do
      local value=${!part} i
      for i in "${!names[@]}"; do [[ $value == "${names[$i]}" ]] && value=$((min + i)); done
      [[ $value =~ ^[0-9]+$ ]] || return 1
      ((10#$value >= min && 10#$value <= max)) || return 1
      printf -v "$part" '%d' "$((10#$value))"
    done
    ((lo <= hi)) || return 1
  done
}

# The checker must refuse what cron refuses, or it proves nothing.
for bad in "60:0 59" "5-3:0 59" "*/0:0 59" "1,,2:0 59" "x:0 59" "13:1 12"; do
  read -r lo hi <<<"${bad#*:}"
  valid_field "${bad%%:*}" "$lo" "$hi" && fail "the checker accepts '${bad%%:*}'"
done
valid_field "*/15" 0 59 && valid_field "1-5,10" 0 23 && valid_field mon-fri 0 7 sun mon tue wed thu fri sat \
  && valid_field jan,jul 1 12 jan feb mar apr may jun jul aug sep oct nov dec \
  && pass "the field checker accepts ranges, lists, steps and names" || fail "the field checker"

# The program a cron command runs: the first word after `flock [options] LOCK`.
declare -A vars=()
entries=0 programs=()
line_no=0
while IFS= read -r line || [[ -n $line ]]; do
  line_no=$((line_no + 1))
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  if [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=(.*)$ ]]; then
    vars[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
    continue
  fi
  read -ra words <<<"$line"
  if [[ ${words[0]} == @* ]]; then
    [[ ${words[0]} =~ ^@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)$ ]] \
      || fail "line $line_no: unknown ${words[0]}"
    command=("${words[@]:1}")
  else
    ((${#words[@]} >= 6)) || { fail "line $line_no: fewer than six fields: $line"; continue; }
    valid_field "${words[0]}" 0 59 || fail "line $line_no: bad minute '${words[0]}'"
    valid_field "${words[1]}" 0 23 || fail "line $line_no: bad hour '${words[1]}'"
    valid_field "${words[2]}" 1 31 || fail "line $line_no: bad day of month '${words[2]}'"
    valid_field "${words[3]}" 1 12 jan feb mar apr may jun jul aug sep oct nov dec \
      || fail "line $line_no: bad month '${words[3]}'"
    valid_field "${words[4]}" 0 7 sun mon tue wed thu fri sat \
      || fail "line $line_no: bad day of week '${words[4]}'"
    command=("${words[@]:5}")
  fi
  entries=$((entries + 1))
  [[ $line != *%* || $line == *\\%* ]] || fail "line $line_no: an unescaped % (cron turns it into a newline)"
  if [[ ${command[0]} == flock ]]; then
    [[ ${command[1]} == -n ]] || fail "line $line_no: flock without -n would queue runs up"
    command=("${command[@]:3}")
  else
    fail "line $line_no: not under flock -n: $line"
  fi
  programs+=("${command[0]}")
  [[ " ${command[*]:1} " == *" -q "* ]] || fail "line $line_no: ${command[0]} without -q mails on success"
done <"$CRONTAB"

((entries >= 7)) && pass "$entries schedule entries parsed" || fail "only $entries entries"
for var in SHELL PATH MAILTO CRON_TZ HAUL_DATA_DIR HAUL_CONFIG_DIR; do
  [[ -n ${vars[$var]:-} ]] && pass "$var is set" || fail "$var is not set"
done
# HAUL_TZ decides the tools' "today"; the schedule's zone must be the same one,
# or the 02:00 entries would run for a date the schedule did not mean.
check "HAUL_TZ is the schedule's zone" "${vars[CRON_TZ]:-}" "${vars[HAUL_TZ]:-}"
for stage in scrape validate dedup enrich import report cleanup; do
  [[ " ${programs[*]} " == *" haul-$stage "* ]] && pass "an entry runs haul-$stage" \
    || fail "no entry runs haul-$stage"
done
grep -Eq '^[0-9*,/-]+ +[0-9*,/-]+ +\* +\* +(sun|0|7|mon|1) .*haul-cleanup' "$CRONTAB" \
  && pass "cleanup is weekly" || fail "cleanup is not a weekly entry"

# Every program exists (built, or one of our scripts) and answers --help.
for program in "${programs[@]}"; do
  name=$(basename "$program")
  path=""
  for dir in "$BINARY_DIR" "$SCRIPTS"; do [[ -x $dir/$name ]] && path=$dir/$name && break; done
  if [[ -z $path ]]; then
    fail "$program: not in $BINARY_DIR or $SCRIPTS"
    continue
  fi
  if "$path" --help >/dev/null 2>&1; then pass "$name --help exits 0"; else fail "$name --help fails"; fi
done

# The commented alternatives use programs that exist too.
for script in haul-run haul-backfill; do
  grep -q "^# .*flock -n .* $script\|^# .* $script " "$CRONTAB" || fail "no $script example"
  "$SCRIPTS/$script" --help >/dev/null 2>&1 && pass "$script --help exits 0" || fail "$script --help"
done

# --- systemd -----------------------------------------------------------------
UNITS=$SOURCE_DIR/config/systemd
grep -qx 'Type=oneshot' "$UNITS/haul-run.service" && pass "the service is oneshot" || fail "Type=oneshot"
grep -qx 'User=haul' "$UNITS/haul-run.service" && pass "it runs as haul" || fail "User=haul"
grep -q '^EnvironmentFile=' "$UNITS/haul-run.service" && pass "secrets from an EnvironmentFile" \
  || fail "no EnvironmentFile"
grep -q '^ExecStart=/opt/haul/bin/haul-run' "$UNITS/haul-run.service" && pass "it starts haul-run" \
  || fail "ExecStart"
grep -qx 'Persistent=true' "$UNITS/haul-run.timer" && pass "the timer is persistent" || fail "Persistent=true"
grep -q '^OnCalendar=' "$UNITS/haul-run.timer" && pass "the timer has OnCalendar" || fail "OnCalendar"
if ! command -v systemd-analyze >/dev/null; then
  echo "NOTE: systemd-analyze not installed: units not verified"
else
  # verify checks that ExecStart exists: point it at the script in this tree.
  mkdir -p "$scratch/units"
  sed "s#/opt/haul/bin/haul-run#$SCRIPTS/haul-run#" "$UNITS/haul-run.service" >"$scratch/units/haul-run.service"
  cp "$UNITS/haul-run.timer" "$scratch/units/"
  verify=$(systemd-analyze verify "$scratch/units/haul-run.service" "$scratch/units/haul-run.timer" 2>&1)
  rc=$?
  if ((rc != 0)) && [[ $verify == *"System has not been booted"* || $verify == *"Failed to"*"manager"* ]]; then
    echo "NOTE: systemd-analyze cannot run here (no systemd in this container): $verify"
  elif ((rc == 0)) && [[ -z $verify ]]; then
    pass "systemd-analyze verify: no complaint"
  else
    fail "systemd-analyze verify (exit $rc): $verify"
  fi
fi
