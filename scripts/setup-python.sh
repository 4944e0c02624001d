#!/usr/bin/env bash
# The worker's Python environment: a venv under the cache, made from the machine's pip index and pinned by
# src/policy/worker/requirements.lock. Its folder is named by the lock's hash, so a changed lock makes a new venv and
# src/policy/python-env.ts finds it with no setting. A `.complete` marker is written last: a venv whose install died
# midway is removed and made again. Prints the venv's python on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK=src/policy/worker/requirements.lock
CACHE="${SWE_SRL_CACHE:-$HOME/.cache/swe-srl}"
hash=$(sha256sum "$LOCK" | cut -c1-12)
VENV="$CACHE/venvs/worker-$hash"
BASE_PYTHON="${SWE_SRL_BASE_PYTHON:-/usr/bin/python3}"
log() { printf '[setup] %s\n' "$*" >&2; }

if [ -f "$VENV/.complete" ] && "$VENV/bin/python" -c 'import torch, transformers' >/dev/null 2>&1; then
  echo "$VENV/bin/python"; exit 0
fi
if ! "$BASE_PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  log "installing python3-venv"
  SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
log "making the worker's Python environment $VENV from the local pip index ($(grep -c '==' "$LOCK") pinned packages, ~1.5 GB; about 2 minutes, once)"
"$BASE_PYTHON" -m venv "$VENV"
start=$(date +%s)
# pip's own progress is per file; a line every 30 s says the install is alive.
( while sleep 30; do log "  still installing ($(( $(date +%s) - start )) s, $(du -sm "$VENV" 2>/dev/null | cut -f1) MB so far)"; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
# --retries 0: where the default index is unreachable (an offline machine with a local index configured), each
# look-up there fails at once instead of backing off for seconds per package. SWE_SRL_PIP_ARGS adds pip options.
# shellcheck disable=SC2086
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --retries 0 ${SWE_SRL_PIP_ARGS:-} -r "$LOCK" >/tmp/swe-srl-pip.log 2>&1; then
  log "pip install failed; see /tmp/swe-srl-pip.log (last lines below)"; tail -20 /tmp/swe-srl-pip.log >&2; exit 1
fi
"$VENV/bin/python" -c 'import torch, transformers, peft, tokenizers' || { log "the venv's packages do not import"; exit 1; }
touch "$VENV/.complete"
log "worker Python ready in $(( $(date +%s) - start )) s: $VENV"
echo "$VENV/bin/python"
