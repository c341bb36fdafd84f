#!/usr/bin/python3
"""python-Levenshtein on the title pairs of PAIRS.tsv: the peer of bench_levenshtein_pairs.

    /usr/bin/python3 bench/levenshtein_py.py PAIRS.tsv [MIN_SECONDS]

Loads every pair as two Python str (code points, like haul) before the clock
starts, then times Levenshtein.distance over all pairs, repeated until
MIN_SECONDS (default 2) have passed. The call goes through map() so the
interpreter's per-pair overhead is as small as Python allows. Prints one JSON
object with the same distance_sum and checksum (sum of line number * distance,
mod 2^64) as the C++ side, so the two can be checked against each other.
Debian's python3-levenshtein installs for /usr/bin/python3 only.
"""
import json
import sys
import time

import Levenshtein


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: levenshtein_py.py PAIRS.tsv [MIN_SECONDS]")
    min_seconds = float(sys.argv[2]) if len(sys.argv) == 3 else 2.0
    firsts, seconds = [], []
    with open(sys.argv[1], encoding="utf-8", newline="\n") as f:
        for number, line in enumerate(f, 1):
            a, tab, b = line.rstrip("\n").partition("\t")
            if not tab:
                sys.exit(f"{sys.argv[1]}:{number}: no tab between the two titles")
            firsts.append(a)
            seconds.append(b)

    distance = Levenshtein.distance
    rounds = 0
    start = time.perf_counter()
    while True:
        distances = list(map(distance, firsts, seconds))
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            break

    checksum = sum(i * d for i, d in enumerate(distances, 1)) % (1 << 64)
    print(json.dumps({
        "pairs": len(firsts),
        "distance_sum": sum(distances),
        "checksum": checksum,
        "pairs_per_s": round(rounds * len(firsts) / elapsed),
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
