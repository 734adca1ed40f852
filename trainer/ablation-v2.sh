#!/usr/bin/env bash
# The second model's ablation (trainer/MODEL_CARD.md): each run adds one
# change to the one before, on a shorter schedule than the shipped model (EPOCHS, SHARE), then
# `compare` writes the tables the card includes. Usage: trainer/ablation-v2.sh [DATA] [OUT]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data}"
OUT="${2:-$ROOT/trainer/target/ablation-v2}"
EPOCHS="${EPOCHS:-10}"
SHARE="${SHARE:-0.5}"
CHARS_ONLY=(--no-project-suffixes --synthetic 0 --no-char-stats)
# The settings of the second model, which this ablation was run for (the defaults have moved on
# since: word-list LMs, the first model's family weighting, no synthetic names, weight averaging,
# length bins).
MODEL2=(--family-balance --synthetic 2000 --word-lms= --average-last 0 --length-bins 0)
run() { # name, options...
  local name="$1"; shift
  [[ -f "$OUT/$name/dga-detector.onnx" ]] || \
    "$ROOT/bin/dgad-train" train --data "$DATA" --out "$OUT/$name" --epochs "$EPOCHS" --train-share "$SHARE" \
      "${MODEL2[@]}" "$@" \
      > "$OUT/$name.log" 2>&1
}
mkdir -p "$OUT"
run 1-characters-only "${CHARS_ONLY[@]}"
run 2-suffix-list --synthetic 0 --no-char-stats
run 3-synthetic-word-dgas --no-char-stats
run 4-character-statistics
"$ROOT/bin/dgad-train" compare --data "$DATA" --report "$ROOT/trainer/ablation-v2.md" \
  "characters only=$OUT/1-characters-only/dga-detector.onnx" \
  "+ suffix list (co.cc, cz.cc)=$OUT/2-suffix-list/dga-detector.onnx" \
  "+ synthetic word-list DGAs=$OUT/3-synthetic-word-dgas/dga-detector.onnx" \
  "+ character statistics=$OUT/4-character-statistics/dga-detector.onnx"
# The leave-family-out table is the shipped settings' own: trainer/leave-family-out.sh.
