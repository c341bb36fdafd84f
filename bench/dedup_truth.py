#!/usr/bin/env python3
"""Scores haul-dedup's output against the generated duplicate truth.

    bench/dedup_truth.py DEDUPED.jsonl DUPLICATES.jsonl > scores.json

Every record carries `_meta.truth` (its car) and `_meta.truth_kind` (original,
sibling, exact, near, cross), put there by bench_gen_dedup_vehicles. A removed
record (a line of duplicates.jsonl) is correctly removed when its car is the
car of its survivor (found in deduped.jsonl by raw_file and raw_index).

    recall    = correctly removed / (records in - distinct cars)
    precision = correctly removed / removed

Per kind, `found` is the share of that kind's records that ended in the same
cluster as their car's first listing (its `original` or `sibling` record),
split by whether the record has a VIN. False merges are counted by dedup's
rule and by the kinds of the two records merged.
"""
import collections
import json
import sys


def meta_key(meta):
    return (meta["raw_file"], meta["raw_index"])


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: dedup_truth.py DEDUPED.jsonl DUPLICATES.jsonl")
    cluster_of = {}  # (raw_file, raw_index) -> (raw_file, raw_index) of its survivor
    truth_of = {}    # (raw_file, raw_index) -> car
    records = []     # (key, car, kind, has_vin)
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            meta = record["_meta"]
            key = meta_key(meta)
            truth_of[key] = meta["truth"]
            cluster_of[key] = key
            records.append((key, meta["truth"], meta["truth_kind"], "vin" in record))
    survivors = len(records)

    removed = correct = 0
    false_by_rule = collections.Counter()
    false_by_kinds = collections.Counter()
    # Which kind of survivor wrongly absorbed a record: merged into a sibling
    # (a different car of the same make/model/year) is the hard case.
    false_by_survivor_kind = collections.Counter()
    kind_of = {key: kind for key, _, kind, _ in records}
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            duplicate = json.loads(line)
            record = duplicate["record"]
            meta = record["_meta"]
            key = meta_key(meta)
            survivor = meta_key(duplicate["survivor"])
            if survivor not in truth_of:
                sys.exit(f"survivor {survivor} of {key} is not in {sys.argv[1]}")
            cluster_of[key] = survivor
            truth_of[key] = meta["truth"]
            records.append((key, meta["truth"], meta["truth_kind"], "vin" in record))
            removed += 1
            if truth_of[survivor] == meta["truth"]:
                correct += 1
            else:
                false_by_rule[duplicate["rule"]] += 1
                false_by_kinds[meta["truth_kind"]] += 1
                false_by_survivor_kind[kind_of[survivor]] += 1

    first_listing = {}  # car -> cluster of its first listing
    for key, car, kind, _ in records:
        if kind in ("original", "sibling"):
            first_listing[car] = cluster_of[key]
    found = collections.defaultdict(lambda: [0, 0])  # kind/vin -> [found, total]
    clusters_per_car = collections.defaultdict(set)
    for key, car, kind, has_vin in records:
        clusters_per_car[car].add(cluster_of[key])
        if kind in ("original", "sibling") or car not in first_listing:
            continue
        hit = cluster_of[key] == first_listing[car]
        for label in (kind, f"{kind} ({'with' if has_vin else 'no'} VIN)"):
            found[label][0] += hit
            found[label][1] += 1
    cars = len(clusters_per_car)
    records_in = len(records)
    expected = records_in - cars
    print(json.dumps({
        "records_in": records_in,
        "survivors": survivors,
        "removed": removed,
        "distinct_cars": cars,
        "true_duplicates": expected,
        "correctly_removed": correct,
        "wrongly_removed": removed - correct,
        "recall": correct / expected if expected else 1.0,
        "precision": correct / removed if removed else 1.0,
        "cars_split_over_clusters": sum(1 for c in clusters_per_car.values() if len(c) > 1),
        "found_by_kind": {k: {"found": v[0], "of": v[1], "share": v[0] / v[1]}
                          for k, v in sorted(found.items())},
        "false_merges_by_rule": dict(false_by_rule),
        "false_merges_by_kind": dict(false_by_kinds),
        "false_merges_by_survivor_kind": dict(false_by_survivor_kind),
    }, indent=1))


if __name__ == "__main__":
    main()
