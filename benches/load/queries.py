#!/usr/bin/env python3
"""Draws the seeded query mix of the load benchmark from the exported corpus.

Usage: queries.py DF.tsv PAPERS.jsonl N_QUERIES SEED OUT_DIR

Terms come from three document-frequency bands of the corpus (high > 10 % of papers,
middle 0.1-10 %, rare < 0.1 % and at least 2 papers). The mix (as in
shared/research/performance.md section 6.2): 35 % one term, 25 % two terms (AND),
10 % a two-word phrase taken from a paper, 10 % a term with a paper-type filter,
10 % a term with a date range (from 2020-01-01), 10 % a term with a council-group filter.
Writes OUT_DIR/queries.json (for the peers) and OUT_DIR/urls.txt (for wrk and the
in-process floor); every URL asks for 10 hits, and ratsuche always returns facets and snippets.
"""

import json
import os
import random
import sys
import urllib.parse

STOP_FILE = "/usr/share/postgresql/15/tsearch_data/german.stop"


def main():
    df_path, jsonl_path, n_queries, seed, out_dir = sys.argv[1:6]
    n_queries, seed = int(n_queries), int(seed)
    rng = random.Random(seed)
    stop = set()
    if os.path.exists(STOP_FILE):
        stop = {line.strip() for line in open(STOP_FILE, encoding="utf-8") if line.strip()}
    n_papers = 0
    bands = {"high": [], "middle": [], "rare": []}
    with open(df_path, encoding="utf-8") as df_file:
        for line in df_file:
            word, count = line.rstrip("\n").split("\t")
            if word == "#papers":
                n_papers = int(count)
                continue
            count = int(count)
            if word in stop or len(word) < 4:
                continue
            share = count / n_papers
            if share > 0.10:
                bands["high"].append(word)
            elif share >= 0.001:
                bands["middle"].append(word)
            elif count >= 2:
                bands["rare"].append(word)
    for name in bands:
        bands[name].sort()
    # Phrases and filter values come from the first papers of the export (a seeded sample).
    phrases, types, fractions = [], [], []
    middle = set(bands["middle"]) | set(bands["high"])
    with open(jsonl_path, encoding="utf-8") as jsonl:
        for line_idx, line in enumerate(jsonl):
            if line_idx >= 3000:
                break
            paper = json.loads(line)
            if paper.get("type"):
                types.append(paper["type"])
            fractions.extend(paper.get("fractions") or [])
            words = paper["text"][:4000].split()
            for first, second in zip(words, words[1:]):
                if first.isalpha() and second.isalpha() and len(first) > 3 and len(second) > 3:
                    if first.lower() in middle and second.lower() in middle and rng.random() < 0.05:
                        phrases.append(f"{first} {second}")
    phrases.sort()
    types.sort()
    fractions.sort()

    def term(band=None):
        band = band or rng.choice(["high", "middle", "middle", "rare"])
        return band, rng.choice(bands[band])

    queries = []
    for _ in range(n_queries):
        roll = rng.random()
        query = {"type": None, "fraction": None, "from": None}
        if roll < 0.35:
            band, word = term()
            query.update(kind="term", band=band, q=word)
        elif roll < 0.60:
            band_a, word_a = term(rng.choice(["high", "middle"]))
            band_b, word_b = term(rng.choice(["middle", "middle", "rare"]))
            query.update(kind="and", band=f"{band_a}+{band_b}", q=f"{word_a} {word_b}")
        elif roll < 0.70 and phrases:
            query.update(kind="phrase", band="phrase", q=f'"{rng.choice(phrases)}"')
        elif roll < 0.80 and types:
            band, word = term()
            query.update(kind="type", band=band, q=word, type=rng.choice(types))
        elif roll < 0.90:
            band, word = term()
            query.update(kind="date", band=band, q=word, **{"from": "2020-01-01"})
        else:
            band, word = term()
            query.update(kind="fraction", band=band, q=word, fraction=rng.choice(fractions))
        queries.append(query)

    with open(os.path.join(out_dir, "queries.json"), "w", encoding="utf-8") as out:
        json.dump(queries, out, ensure_ascii=False, indent=0)
    with open(os.path.join(out_dir, "urls.txt"), "w", encoding="utf-8") as out:
        for query in queries:
            pairs = [("q", query["q"])]
            for name in ("type", "fraction", "from"):
                if query[name]:
                    pairs.append((name, query[name]))
            pairs.append(("per_page", "10"))
            out.write("/api/search?" + urllib.parse.urlencode(pairs) + "\n")
    sizes = {name: len(words) for name, words in bands.items()}
    print(f"{len(queries)} queries; band sizes {sizes}; {len(phrases)} phrases")


if __name__ == "__main__":
    main()
