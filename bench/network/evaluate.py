#!/usr/bin/env python3
"""Scores `safeguard network` against a synthetic world's planted networks (issue 7).

Usage: evaluate.py WORLD_DIR COMMUNITIES_JSON KEY_PLAYERS_JSON

Graph nodes are mapped to true people through their person-record ids
(truth/persons.csv). Communities are scored over the nodes of planted-network members
(organisers, associates, drivers, victims): adjusted Rand index and normalised mutual
information between the community a node is in and the network its person belongs to.
Key players: the share of planted organisers whose node ranks in the top 20.
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
    key_players = json.load(open(key_players_path))["key_players"][:20]
    found = {person(k["entity"]) for k in key_players} & organisers
    print(json.dumps({
        "planted_networks": len(set(network_of.values())),
        "planted_member_nodes_in_groups": len(truth),
        "groups": communities["groups"],
        "ari": round(ari(truth, predicted), 3) if truth else None,
        "nmi": round(nmi(truth, predicted), 3) if truth else None,
        "organisers": len(organisers),
        "organisers_in_top_20": len(found),
        "organiser_share_top_20": round(len(found) / len(organisers), 3) if organisers else None,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:4])
