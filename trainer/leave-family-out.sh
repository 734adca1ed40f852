#!/usr/bin/env bash
# The card's leave-family-out table (trainer/MODEL_CARD.md, the issue's target "not below
# characters-only"): the shipped settings (the trainer's defaults) and characters only, both
# trained without suppobox and nymaim2 on the short schedule, then `compare` writes
# trainer/leave-family-out.md, which `evaluate` includes and reads its headline verdict from.
# Usage: trainer/leave-family-out.sh [DATA] [OUT]   (about 11 minutes on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data}"
OUT="${2:-$ROOT/trainer/target/leave-family-out}"
SCHEDULE=(--epochs 10 --train-share 0.5 --average-last 3 --leave-out suppobox,nymaim2)
# What the shipped settings add to the characters: the project's suffix list, the character
# statistics, the word-list LMs (none here: both word-list families are left out) and the length bins.
CHARS_ONLY=(--no-project-suffixes --no-char-stats --word-lms= --length-bins 0 --synthetic 0)
run() { # name, options...
  local name="$1"; shift
  [[ -f "$OUT/$name/dga-detector.onnx" ]] || \
    "$ROOT/bin/dgad-train" train --data "$DATA" --out "$OUT/$name" "${SCHEDULE[@]}" "$@" > "$OUT/$name.log" 2>&1
}
mkdir -p "$OUT"
run characters-only "${CHARS_ONLY[@]}"
run shipped-settings
"$ROOT/bin/dgad-train" compare --data "$DATA" --report "$ROOT/trainer/leave-family-out.md" \
  "characters only, without suppobox and nymaim2=$OUT/characters-only/dga-detector.onnx" \
  "shipped settings, without suppobox and nymaim2=$OUT/shipped-settings/dga-detector.onnx"
