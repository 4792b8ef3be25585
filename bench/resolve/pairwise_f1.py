#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of a clusters.csv against FEBRL-style ground truth.

Usage: pairwise_f1.py CLUSTERS.csv [--truth-regex REGEX | --truth TRUTH.csv]

Two records are truly the same entity when their ids share the entity key captured by
REGEX (default: FEBRL's rec-N-org / rec-N-dup-K, key N), or, with --truth, when they share
person_id in TRUTH.csv (record_id,person_id,..., e.g. `safeguard synth`'s truth/persons.csv).
Prints one JSON object.
"""
import csv
import json
import re
import sys
from collections import defaultdict
from itertools import combinations


def pairs_of(groups):
    out = set()
    for members in groups.values():
        for a, b in combinations(sorted(members), 2):
            out.add((a, b))
    return out


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    regex = re.compile(r"^rec-(\d+)-(?:org|dup-\d+)$")
    if "--truth-regex" in args:
        i = args.index("--truth-regex")
        regex = re.compile(args[i + 1])
        del args[i : i + 2]
    key_of = None
    if "--truth" in args:
        i = args.index("--truth")
        with open(args[i + 1], newline="") as f:
            key_of = {row["record_id"]: row["person_id"] for row in csv.DictReader(f)}
        del args[i : i + 2]
    predicted = defaultdict(list)
    truth = defaultdict(list)
    with open(args[0], newline="") as f:
        for row in csv.DictReader(f):
            rid = row["record_id"]
            predicted[row["entity_id"]].append(rid)
            if key_of is not None:
                truth[key_of.get(rid, rid)].append(rid)
            else:
                m = regex.match(rid)
                truth[m.group(1) if m else rid].append(rid)
    p, t = pairs_of(predicted), pairs_of(truth)
    tp = len(p & t)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(json.dumps({"true_pairs": len(t), "predicted_pairs": len(p), "true_positives": tp,
                      "precision": round(precision, 4), "recall": round(recall, 4),
                      "f1": round(f1, 4)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
