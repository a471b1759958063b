#!/usr/bin/env python3
"""Writes index/data/plural-s.txt: nouns that take an -s ending Snowball does not strip.

The German Snowball stemmer removes a final -s only after b d f g h k l m n r t, so plurals
and genitives such as Kitas, Autos, Laptops, Handys, Archivs keep their -s and miss their
singular. This script lists the words of ratsuche's compound lexicon (wordfreq, CC-BY-SA-4.0)
that end in another letter and whose -s form is itself a word in wordfreq, minus the pairs we
reviewed as two different words (Andreas is not Andrea's genitive, Klaus is not Klau's).

Run from the repository root with the workplace's shared folder beside it:
    python3 index/data/make-plural-s.py ../shared/corpus/text/wordfreq/wordfreq-3.1.1_large_de.tsv.gz
"""
import gzip
import sys

# Letters after which Snowball keeps a final s (the complement of its s-ending class), minus
# e: Snowball strips -es as an ending of its own.
KEPT_AFTER = set("aiouyäöüpvwc")
# Least Zipf frequency of the -s form in wordfreq: the form must really occur.
MIN_S_ZIPF = 1.5
# Reviewed: the -s form is another word or name, not an inflection of the base.
NOT_INFLECTIONS = set("""
    abba andrea andrew carlo christo corp drau drew elia elli etwa hella isaac jesu jona juli
    juri klau kovac lago levi luca luka manu marc marco mari mary matthew milo mina niko nikola
    nicola omni philip phillip prima santo thoma vega willi campo
""".split())
# Short words (the lexicon starts at four letters) reviewed by us.
SHORT = ["abo", "akw", "app", "bau", "dia", "kmu", "lkw", "ngo", "oma", "opa", "pkw", "suv",
         "typ", "ufo", "uni", "zoo"]

def main():
    zipf = {}
    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as tsv:
        for line in tsv:
            word, _, value = line.rstrip("\n").partition("\t")
            if value and value != "zipf":
                zipf[word] = float(value)
    with open("index/data/compound-lexicon.txt", encoding="utf-8") as lexicon:
        words = [line.strip() for line in lexicon if line.strip() and not line.startswith("#")]
    chosen = sorted({w for w in words
                     if w[-1] in KEPT_AFTER and zipf.get(w + "s", 0) >= MIN_S_ZIPF
                     and w not in NOT_INFLECTIONS} | set(SHORT))
    with open("index/data/plural-s.txt", "w", encoding="utf-8") as out:
        out.write(
            "# Nouns whose -s form (plural or genitive: Kitas, Autos, Laptops) the German Snowball\n"
            "# stemmer keeps; ratsuche strips that -s before stemming. Written by\n"
            "# index/data/make-plural-s.py from the compound lexicon, i.e. from wordfreq 3.1.1\n"
            "# (large_de), https://github.com/rspeer/wordfreq, by Robyn Speer, with pairs reviewed\n"
            "# by us removed and a few short words added.\n"
            "# Licence of this file: CC-BY-SA-4.0 (as the wordfreq data).\n")
        for word in chosen:
            out.write(word + "\n")
    print(f"{len(chosen)} words")

main()
