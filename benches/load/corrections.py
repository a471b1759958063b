#!/usr/bin/env python3
"""Which correct words get a "did you mean": long capitalised words of real council texts
(the Karlsruhe bulk archive of ../shared, unpacked), searched one by one on a running
`ratsuche serve`; prints every word the server answers with `did_you_mean` or `suggestion`,
with the hit count. Words of published papers are nearly all spelt right, so each line is a
correction to look at (most are words cut by a PDF line break). Two servers (an old and a new
binary on the same index) print only the words whose answer differs.

    mkdir -p /tmp/kbulk && zstd -q -d --long=27 -c \\
        ../shared/corpus/text/karlsruhe-council-pdf-text/karlsruhe_pdf_text_bulk_85MB.tar.zst |
        tar -x -C /tmp/kbulk
    ratsuche serve --index /tmp/real --addr 127.0.0.1:18092 &
    benches/load/corrections.py /tmp/kbulk http://127.0.0.1:18092 [http://127.0.0.1:18091]

Word list: capitalised words of 10 or more letters, sorted, shuffled with seed 7, the first
6,000 (WORDS=N to change).
"""
import json
import os
import random
import re
import sys
import urllib.parse
import urllib.request

WORD = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]{9,}\b")


def words(root, limit):
    found = set()
    for folder, _, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), encoding="utf-8", errors="ignore") as text:
                found.update(WORD.findall(text.read()))
    ordered = sorted(found)
    random.Random(7).shuffle(ordered)
    return ordered[:limit]


def answer(server, word):
    url = server + "/api/search?" + urllib.parse.urlencode({"q": word, "per_page": 1})
    with urllib.request.urlopen(url) as response:
        found = json.load(response)
    return found["total"], found["did_you_mean"], found["suggestion"]


def main():
    root, servers = sys.argv[1], sys.argv[2:]
    checked = words(root, int(os.environ.get("WORDS", "6000")))
    changed = 0
    for word in checked:
        answers = [answer(server, word) for server in servers]
        if len(answers) == 1 and (answers[0][1] or answers[0][2]):
            changed += 1
            print(word, answers[0])
        elif len(answers) == 2 and answers[0] != answers[1]:
            changed += 1
            print(word, answers[0], "->", answers[1])
    print(f"{len(checked)} words, {changed} listed", file=sys.stderr)


if __name__ == "__main__":
    main()
