#!/usr/bin/env bash
# Fuzzes one target for a bounded time on a scratch copy of its seed corpus,
# so new inputs never land in the source tree. Exits non-zero on any crash,
# leak, timeout or assertion; the reproducer is left in the scratch dir and
# its path printed.
# Usage: run_bounded.sh <fuzzer> <seed dir> <seconds>
set -euo pipefail
fuzzer=$1 seeds=$2 seconds=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/haul-fuzz.XXXXXX")
status=0
cp -r "$seeds" "$work/corpus"
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus" || status=$?
if [[ $status -ne 0 ]]; then
  echo "fuzz: $fuzzer failed ($status); reproducer(s) in $work" >&2
  exit "$status"
fi
rm -rf "$work"
