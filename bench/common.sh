# Sourced by bench/levenshtein.sh and bench/dedup.sh: the build directory,
# the benchmark peers, and how a figure is judged against its target.
# Expects ROOT (the repository) to be set by the caller.

say() { printf '%s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# Installs the benchmark peers if missing (python3-levenshtein, GNU time...);
# a no-op when everything is present.
bench_setup() {
  "$ROOT/scripts/setup" --bench >"$WORK/setup.log" 2>&1 || die "scripts/setup --bench failed (see $WORK/setup.log)"
}

# Sets BUILD (HAUL_BUILD_DIR, default build/) and builds the given targets in
# it. A build dir that does not exist yet is configured as Release; an
# existing one is used as it is, with a note when its figures would not be
# representative (reconfiguring a shared dir would rebuild everything).
bench_build() {
  BUILD=${HAUL_BUILD_DIR:-$ROOT/build}
  [[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
  if [[ ! -f $BUILD/CMakeCache.txt ]]; then
    say "== configuring $BUILD (Release)"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
  fi
  local type
  type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
  case ${type:-RelWithDebInfo} in
    Release) ;;
    RelWithDebInfo) say "note: $BUILD is RelWithDebInfo (-O2), not Release (-O3); figures may be slightly low" ;;
    *) say "WARNING: $BUILD is a '$type' build: figures are not representative" ;;
  esac
  say "== building $* in $BUILD"
  cmake --build "$BUILD" --target "$@" >"$WORK/build.log" 2>&1 || die "build failed (see $WORK/build.log)"
}

# verdict VALUE OP TARGET: prints "met" or "MISSED" (OP is >= or <).
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v < t; print ok ? "met" : "MISSED" }'
}

# The load average, with a warning when something else is using the CPUs.
load_note() {
  awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v c="$(nproc)" \
    'BEGIN { printf "%s CPUs, load average %s at start%s", c, l, (l > c / 2) ? " -- BUSY: timings are unreliable" : "" }'
}
