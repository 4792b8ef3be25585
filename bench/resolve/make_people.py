#!/usr/bin/env python3
"""Writes a noisy synthetic person file for the entity-resolution scale benchmark.

Usage: make_people.py N OUT.csv [--seed S]

About 70% of the rows are distinct people and 30% are noisy copies of them (typos, swapped
names, nicknames, missing values, day/month swaps, moved house). Ids are p<person>-<copy>, so
pairwise_f1.py --truth-regex '^p(\\d+)-\\d+$' scores the result. Names are built from syllables
with a Zipf-like spread, so common and rare names both occur, as in a real population.
This stands in for the synthetic-world generator (src/synth) until that can write this size.
"""
import random
import sys

GIVEN_SYLLABLES = ["ja", "mo", "ha", "li", "so", "an", "el", "ri", "ka", "na", "mi", "to", "da",
                   "ra", "le", "ni", "sa", "ma", "jo", "be", "ay", "za", "ol", "is", "fre", "gu",
                   "pe", "vi", "ty", "bru", "cha", "dmi", "fi", "qu", "we", "xa", "yu", "ze"]
GIVEN_ENDINGS = ["", "n", "h", "a", "e", "y", "ah", "el", "ie", "ed", "ra", "on"]
FAMILY_SYLLABLES = ["smi", "jon", "wil", "tay", "bro", "dav", "ev", "kh", "pat", "wri", "wal",
                    "hus", "beg", "kow", "now", "gre", "hal", "wo", "cla", "hug", "ed", "ro",
                    "thom", "rob", "ba", "ash", "mor", "har", "lew", "fis", "pin", "gut", "zak",
                    "vel", "dun", "kir", "sto", "bur", "cop", "nag", "jef", "lun", "mac", "fer",
                    "tri", "sel", "quin", "dal", "ok", "yat", "bec", "gil", "rus", "tam", "ull"]
FAMILY_ENDINGS = ["", "th", "es", "son", "lor", "wn", "ies", "an", "el", "ski", "ak", "en",
                  "ley", "ton", "ford", "er", "ain", "um", "ard"]
TOWNS = ["sheffield", "rotherham", "leeds", "bradford", "doncaster", "barnsley", "wakefield",
         "huddersfield", "halifax", "york", "hull", "lincoln", "derby", "nottingham", "chesterfield"]
STREETS = ["high", "church", "station", "mill", "park", "victoria", "green", "manor", "school",
           "king", "queen", "new", "albert", "york", "west", "north", "south", "east", "spring"]
STREET_TYPES = ["street", "road", "lane", "avenue", "close", "drive", "way", "crescent"]
NICKNAMES = {"jan": "janny", "mon": "mo", "han": "hannah", "lia": "lee", "ana": "annie"}


def zipf_pick(rng, items, offset):
    # Index i drawn with P(index >= i) = offset / (i + offset): a long tail, with the commonest
    # value held by about 1/offset of people (Smith is about 1.3% of the UK).
    i = int(rng.paretovariate(1.0) * offset) - offset
    return items[i % len(items)]


def make_pool(rng, syllables, endings, size):
    pool = set()
    while len(pool) < size:
        n = rng.choice((1, 2, 2, 3))
        pool.add("".join(rng.choice(syllables) for _ in range(n)) + rng.choice(endings))
    out = sorted(pool)
    rng.shuffle(out)
    return out


def typo(rng, s):
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    k = rng.randrange(4)
    if k == 0:
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i + 1:]
    if k == 1:
        return s[:i] + s[i + 1:]
    if k == 2:
        return s[:i] + rng.choice("aeiou") + s[i:]
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    n, out_path = int(args[0]), args[1]
    rng = random.Random(seed)
    given_pool = make_pool(rng, GIVEN_SYLLABLES, GIVEN_ENDINGS, 6000)
    family_pool = make_pool(rng, FAMILY_SYLLABLES, FAMILY_ENDINGS, 30000)
    people = int(n * 0.7)
    with open(out_path, "w") as out:
        out.write("id,given_name,surname,date_of_birth,sex,address,town,postcode,phone\n")
        written = 0
        person = 0
        while written < n:
            given = zipf_pick(rng, given_pool, 40)
            family = zipf_pick(rng, family_pool, 80)
            dob = (rng.randrange(1940, 2021), rng.randrange(1, 13), rng.randrange(1, 29))
            sex = rng.choice("MF")
            address = "%d %s %s" % (rng.randrange(1, 300), rng.choice(STREETS), rng.choice(STREET_TYPES))
            town = rng.choice(TOWNS)
            postcode = "%s%d %d%s%s" % (rng.choice(["S", "LS", "BD", "DN", "HD", "HX", "YO", "HU", "LN", "DE", "NG"]),
                                         rng.randrange(1, 40), rng.randrange(10),
                                         rng.choice("ABDEFGHJLNPQRSTUWXYZ"), rng.choice("ABDEFGHJLNPQRSTUWXYZ"))
            phone = "07%09d" % rng.randrange(10 ** 9) if rng.random() < 0.6 else ""
            copies = 1
            if person >= people or rng.random() < 0.3:
                copies += 1 + (rng.random() < 0.3)
            for c in range(copies):
                if written >= n:
                    break
                g, f, d, s, a, t, p, ph = given, family, "%04d-%02d-%02d" % dob, sex, address, town, postcode, phone
                if c > 0:
                    for _ in range(rng.choice((1, 1, 2, 3))):
                        k = rng.randrange(10)
                        if k == 0: g = typo(rng, g)
                        elif k == 1: f = typo(rng, f)
                        elif k == 2: g, f = f, g
                        elif k == 3: g = NICKNAMES.get(g[:3], g[:3]) if len(g) > 4 else g
                        elif k == 4: d = "%04d-%02d-%02d" % (dob[0], dob[2], dob[1]) if dob[2] <= 12 else d
                        elif k == 5: d = "%02d/%02d/%04d" % (dob[2], dob[1], dob[0])
                        elif k == 6: a, p = "%d %s %s" % (rng.randrange(1, 300), rng.choice(STREETS), rng.choice(STREET_TYPES)), ""
                        elif k == 7: ph = ""
                        elif k == 8: g = ""
                        else: t = typo(rng, t)
                out.write("p%d-%d,%s,%s,%s,%s,%s,%s,%s,%s\n" % (person, c, g, f, d, s, a, t, p, ph))
                written += 1
            person += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
