#!/usr/bin/env python3
"""Scores `safeguard network` against a synthetic world's planted networks (issue 7).

Usage: evaluate.py WORLD_DIR COMMUNITIES_JSON KEY_PLAYERS_JSON

Graph nodes are mapped to true people through their person-record ids
(truth/persons.csv). Communities are scored over the nodes of planted-network members
(organisers, associates, drivers, victims): adjusted Rand index and normalised mutual
information between the community a node is in and the network its person belongs to.
Key players: the share of planted organisers whose node ranks in the top 20, and the
"possible same person" groups behind them (network/suspect_groups.h) scored against the truth:
pairwise precision (pairs of nodes grouped together that are one true person, over all pairs
grouped together) and, over the nodes of planted-network members, pairwise recall (pairs of
one person's nodes grouped together, over all pairs of one person's nodes). A node is the
person most of its person records belong to.
"""
import collections
import csv
import json
import math
import sys


def comb2(n):
    return n * (n - 1) / 2


def ari(a, b):
    pairs = collections.Counter(zip(a, b))
    ca, cb = collections.Counter(a), collections.Counter(b)
    index = sum(comb2(v) for v in pairs.values())
    sa, sb = sum(comb2(v) for v in ca.values()), sum(comb2(v) for v in cb.values())
    expected = sa * sb / comb2(len(a)) if len(a) > 1 else 0
    top = (sa + sb) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def nmi(a, b):
    n = len(a)
    pairs = collections.Counter(zip(a, b))
    ca, cb = collections.Counter(a), collections.Counter(b)
    mi = sum(v / n * math.log(v * n / (ca[x] * cb[y])) for (x, y), v in pairs.items())
    ha = -sum(v / n * math.log(v / n) for v in ca.values())
    hb = -sum(v / n * math.log(v / n) for v in cb.values())
    return 1.0 if ha + hb == 0 else 2 * mi / (ha + hb)


def main(world, communities_path, key_players_path):
    person_of = {r["record_id"]: r["person_id"] for r in csv.DictReader(open(f"{world}/truth/persons.csv"))}
    network_of, organisers = {}, set()
    for r in csv.DictReader(open(f"{world}/truth/networks.csv")):
        network_of[r["person_id"]] = r["network_id"]
        if r["role"] == "organiser":
            organisers.add(r["person_id"])

    def person(entity):
        people = collections.Counter(person_of[r] for r in entity.get("record_ids", []) if r in person_of)
        return people.most_common(1)[0][0] if people else None

    communities = json.load(open(communities_path))
    truth, predicted = [], []
    for group in communities["communities"]:
        for member in group["members"]:
            p = person(member) if member["kind"] == "person" else None
            if p in network_of:
                truth.append(network_of[p])
                predicted.append(group["rank"])
    players = json.load(open(key_players_path))["key_players"]
    key_players = players[:20]
    found = {person(k["entity"]) for k in key_players} & organisers
    grouped_same = grouped_all = 0
    player_of = collections.defaultdict(list)
    for i, k in enumerate(players):
        members = [person(k["entity"])] + [person(m["entity"]) for m in k.get("possible_same_person", [])]
        for a in range(len(members)):
            player_of[members[a]].append(i)
            for b in range(a + 1, len(members)):
                grouped_all += 1
                grouped_same += members[a] == members[b]
    split_pairs = joined_pairs = 0
    for p, where in player_of.items():
        if p not in network_of:
            continue
        for a in range(len(where)):
            for b in range(a + 1, len(where)):
                split_pairs += 1
                joined_pairs += where[a] == where[b]
    print(json.dumps({
        "planted_networks": len(set(network_of.values())),
        "planted_member_nodes_in_groups": len(truth),
        "groups": communities["groups"],
        "ari": round(ari(truth, predicted), 3) if truth else None,
        "nmi": round(nmi(truth, predicted), 3) if truth else None,
        "organisers": len(organisers),
        "organisers_in_top_20": len(found),
        "organiser_share_top_20": round(len(found) / len(organisers), 3) if organisers else None,
        "possible_same_person_pairs": grouped_all,
        "possible_same_person_precision": round(grouped_same / grouped_all, 4) if grouped_all else None,
        "network_member_pair_recall": round(joined_pairs / split_pairs, 3) if split_pairs else None,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:4])
