#!/usr/bin/env python3
"""How small the passage store could be: the text of the first N papers of a load-benchmark
corpus (`$OUT/papers.jsonl`, written by run.sh), cut into blocks as the store cuts them
(passages appended until a block holds at least BLOCK bytes), compressed block by block with
LZ4 (what the store uses), zstd levels 1 and 3, and zstd 3 with a dictionary trained on a
sample of the blocks. Prints the compressed size over the raw size of the blocks.

    pip install lz4 zstandard
    benches/load/store_compression.py /tmp/load100k/papers.jsonl [N=10000]
"""
import json
import random
import sys

import lz4.block
import zstandard


def blocks(texts, size):
    out, current = [], bytearray()
    for text in texts:
        for passage in text.split("\n\n"):
            current += passage.encode()
            if len(current) >= size:
                out.append(bytes(current))
                current = bytearray()
    if current:
        out.append(bytes(current))
    return out


def main():
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    texts = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            texts.append(json.loads(line)["text"])
            if len(texts) >= limit:
                break
    print(f"{len(texts)} papers, {sum(len(t.encode()) for t in texts) / 1e6:.1f} MB of text")
    for size in (4096, 16384):
        cut = blocks(texts, size)
        raw = sum(map(len, cut))
        ratio = lambda compress: sum(len(compress(block)) for block in cut) / raw
        level1 = zstandard.ZstdCompressor(level=1)
        level3 = zstandard.ZstdCompressor(level=3)
        sample = random.Random(1).sample(cut, min(2000, len(cut)))
        dictionary = zstandard.train_dictionary(112640, sample)
        with_dictionary = zstandard.ZstdCompressor(level=3, dict_data=dictionary)
        print(
            f"block {size}: lz4 {ratio(lambda b: lz4.block.compress(b, store_size=False)):.3f}"
            f"  zstd1 {ratio(level1.compress):.3f}  zstd3 {ratio(level3.compress):.3f}"
            f"  zstd3+dictionary {ratio(with_dictionary.compress):.3f}"
        )


if __name__ == "__main__":
    main()
