#!/usr/bin/env bash
# Trains the demo's warm start, configs/demo-warmstart/policy.pt: the tiny policy of configs/demo.yaml (seeded init)
# after SFT on the bundled tasks' oracle examples (issue + the files to edit -> the reference edits as editor calls).
# It knows those six edits, not the one-call-per-step format the demo's SFT warm-up then teaches.
# Needs Docker (oracle build reads the files in the task sandboxes) and the worker venv (npm run setup).
#   bash scripts/demo-warmstart.sh [work-dir]    (default runs/demo-warmstart; ~10-15 minutes on 2 CPU cores)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-runs/demo-warmstart}
steps=120
python=${SWE_SRL_PYTHON:-$(ls -d "$HOME"/.cache/swe-srl/venvs/worker-*/bin/python 2>/dev/null | head -n 1)}
[ -x "$python" ] || { echo "no worker python: run npm run setup (or set SWE_SRL_PYTHON)" >&2; exit 1; }

node bin/swe-srl.js oracle build --tasks bundled --out "$work/oracle.jsonl"
OPENBLAS_NUM_THREADS=1 node bin/swe-srl.js train --config configs/demo.yaml --train "$work/oracle.jsonl" --out "$work/sft" \
  mode=sft optimizer.lr=2e-3 optimizer.schedule=linear train.steps=$steps train.batch_size=6 train.val_every=0 \
  train.val_at_start=false train.checkpoint_every=30 train.keep_checkpoints=1

# The last checkpoint without its optimizer state (a third of the size): weights, RNG state, format version.
"$python" - "$work/sft/checkpoints/step-$(printf %06d $steps)" configs/demo-warmstart <<'PY'
import hashlib, json, os, sys
import torch
src, dst = sys.argv[1], sys.argv[2]
state = torch.load(os.path.join(src, "policy.pt"), map_location="cpu")
state.pop("optimizer", None)
os.makedirs(dst, exist_ok=True)
torch.save(state, os.path.join(dst, "policy.pt"))
with open(os.path.join(dst, "policy.json"), "w") as f:
    json.dump({"version": state["version"], "backend": state["backend"], "optimizer": False}, f)
with open(os.path.join(dst, "policy.pt"), "rb") as f:
    print("wrote", os.path.join(dst, "policy.pt"), "sha256", hashlib.sha256(f.read()).hexdigest())
PY
