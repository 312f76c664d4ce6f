#!/usr/bin/env bash
# Frog side by side: runs Frog's NER (Debian packages frog + frogdata, GPL;
# installed here if missing, run as a separate process, never linked or
# shipped) on the CoNLL-2002 Dutch testb text and writes its labels mapped
# to CoNLL for the harness (`kroniek-eval frog-conll2002`, also shown under
# `kroniek-eval conll2002`).
#
# usage: crates/eval/scripts/frog_conll2002.sh [SHARED_DIR]
# output: $KRONIEK_FROG_OUT (default /tmp/kroniek-frog)/ned.testb.frog.conll
#         and ned.testb.frog.time ("TOTAL_SECONDS STARTUP_SECONDS"), outside
#         the repository. Frog runs single-threaded (OMP_NUM_THREADS=1) with
#         tokenizer, lemmatizer, morphology, chunker, multi-word units and
#         parser off: POS tagging + NER only, on the gold tokenisation.
set -euo pipefail
SHARED=${1:-"$(cd "$(dirname "$0")/../../../.." && pwd)/shared"}
OUT=${KRONIEK_FROG_OUT:-/tmp/kroniek-frog}
GOLD="$SHARED/corpora/conll2002_nl/ned.testb"
[ -f "$GOLD" ] || { echo "missing $GOLD" >&2; exit 1; }
mkdir -p "$OUT"

if ! command -v frog >/dev/null; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y frog frogdata
fi

# One sentence per line, gold tokens.
python3 - "$GOLD" "$OUT/ned.testb.sents" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
sents, cur = [], []
for line in open(src, encoding="utf-8"):
    f = line.split()
    if not f:
        if cur: sents.append(cur); cur = []
        continue
    if f[0] == "-DOCSTART-":
        if cur: sents.append(cur); cur = []
        continue
    cur.append(f[0])
if cur: sents.append(cur)
with open(dst, "w", encoding="utf-8") as o:
    for s in sents: o.write(" ".join(s) + "\n")
PY
head -1 "$OUT/ned.testb.sents" > "$OUT/one.sents"

export OMP_NUM_THREADS=1
FROG=(frog --skip=tlacmp -n)
cd "$OUT"
# Wall-clock and CPU (user+system) seconds of a one-sentence run (start-up:
# loading the models) and of the whole run.
TIMEFORMAT='%R %U %S'
{ time "${FROG[@]}" -t one.sents -o one.frog >/dev/null 2>&1 ; } 2> one.time
{ time "${FROG[@]}" -t ned.testb.sents -o ned.testb.frog >/dev/null 2>frog.log ; } 2> all.time
python3 - <<'PY' > ned.testb.frog.time
w1, u1, s1 = map(float, open("one.time").read().split())
w, u, s = map(float, open("all.time").read().split())
print(w, w1, u + s, u1 + s1)
PY

# Frog's columns: index, word, lemma, morph, (compound,) POS, confidence,
# NER, ...: the NER label is the field after the POS confidence.
# Labels PER/LOC/ORG kept, PRO/EVE/MISC → MISC; aligned to the gold sentences.
python3 - "$GOLD" ned.testb.frog ned.testb.frog.conll <<'PY'
import sys
gold, frog, dst = sys.argv[1:4]
fs, cur = [], []
for line in open(frog, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 7:
        if cur: fs.append(cur); cur = []
        continue
    def num(x):
        try: float(x); return True
        except ValueError: return False
    conf = next(i for i in range(2, len(f)) if num(f[i]))
    cur.append(f[conf + 1])
if cur: fs.append(cur)
def conll(tag):
    if tag in ("O", "", "_"): return "O"
    b, _, t = tag.partition("-")
    t = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}.get(t, "MISC")
    return f"{b}-{t}"
gs, cur = [], []
for line in open(gold, encoding="utf-8"):
    f = line.split()
    if not f or f[0] == "-DOCSTART-":
        if cur: gs.append(cur); cur = []
        continue
    cur.append(f[0])
if cur: gs.append(cur)
if len(gs) != len(fs):
    sys.exit(f"frog gave {len(fs)} sentences, gold has {len(gs)}")
bad = 0
with open(dst, "w", encoding="utf-8") as o:
    for g, t in zip(gs, fs):
        if len(g) != len(t):
            bad += 1
            t = (t + ["O"] * len(g))[: len(g)]
        for w, tag in zip(g, t):
            o.write(f"{w} {conll(tag)}\n")
        o.write("\n")
print(f"{len(gs)} sentences, {sum(map(len, gs))} tokens, {bad} realigned", file=sys.stderr)
PY
echo "frog: $(cat ned.testb.frog.time) (wall, start-up wall, CPU, start-up CPU seconds) -> $OUT/ned.testb.frog.conll"
