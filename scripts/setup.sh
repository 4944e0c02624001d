#!/usr/bin/env bash
# Prepares a machine for swe-srl: Debian packages, a running Docker engine, the base image, the worker's Python
# environment (scripts/setup-python.sh), npm packages.
# Idempotent and quick when everything is already there; used by `npm test`, `npm run demo` and `.ci/run`.
# Set SWE_SRL_SKIP_SETUP=1 to skip it (e.g. when an engine is provided some other way).
set -euo pipefail
[ "${SWE_SRL_SKIP_SETUP:-0}" = "1" ] && exit 0
cd "$(dirname "$0")/.."

BASE_IMAGE="${SWE_SRL_BASE_IMAGE:-swe-srl-base:bookworm}"
SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"

log() { printf '[setup] %s\n' "$*" >&2; }

# Runs a long, quiet step with a line every 30 s saying it is alive: alive WHAT COMMAND [ARGS...]
alive() {
  local what=$1 start rc=0 ticker
  shift
  start=$(date +%s)
  # The ticker's sleep dies with it, so that nothing holds the caller's stderr open afterwards.
  ( trap 'kill $nap 2>/dev/null; exit 0' TERM
    while :; do sleep 30 & nap=$!; wait $nap; log "  still $what ($(( $(date +%s) - start )) s)"; done ) &
  ticker=$!
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  return "$rc"
}

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need_pkgs+=(libopenblas0-pthread)
# headless Chromium: the report's browser test opens the page and screenshots it
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
# pytest on the host: the local sandbox fake (src/testing/local-sandbox.ts) runs the bundled tasks' tests there
command -v pytest >/dev/null 2>&1 || need_pkgs+=(python3-pytest)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_pkgs[*]} (about 1-2 minutes, once)"
  # (&&: errexit does not apply inside a function that alive runs)
  apt_install() {
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  }
  alive "installing Debian packages" apt_install
fi

# A running engine: reuse one that answers, else start dockerd in the background. A local engine whose default
# bridge is gone (deleted under it) answers but cannot build images: restart it, when this machine runs it.
if [ -z "${DOCKER_HOST:-}" ] && command -v ip >/dev/null 2>&1 && docker info >/dev/null 2>&1 && pgrep -x dockerd >/dev/null 2>&1 \
   && [ "$(docker network inspect -f '{{ index .Options "com.docker.network.bridge.name" }}' bridge 2>/dev/null)" = "docker0" ] \
   && ! ip link show docker0 >/dev/null 2>&1; then
  log "the Docker engine lost its default bridge docker0: restarting dockerd"
  $SUDO pkill -TERM -x dockerd || true
  for _ in $(seq 1 30); do pgrep -x dockerd >/dev/null 2>&1 || break; sleep 1; done
fi
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (a few seconds; gives up after a minute)"
  ($SUDO dockerd >/tmp/swe-srl-dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /tmp/swe-srl-dockerd.log"; tail -20 /tmp/swe-srl-dockerd.log >&2; exit 1; }
fi

# The base image, from Debian with debootstrap (no registry is needed), by the script that builds every Python
# line's base: tagged by the hash of its recipe (a second run is a no-op), labelled with its suite and Python version.
# Building it takes about 1-3 minutes, once.
alive "preparing the base image $BASE_IMAGE (log: /tmp/swe-srl-debootstrap-bookworm.log)" \
  bash scripts/build-base-image.sh bookworm "$BASE_IMAGE" >/dev/null

# The worker's Python (torch, transformers, peft, ...) in a cached venv pinned by the project; the script says how
# long it takes and prints a line every 30 s while it installs.
bash scripts/setup-python.sh >/dev/null

# npm packages, when this checkout has none yet, installed as the lockfile says (the checkout stays unchanged).
# onnxruntime-node would download CUDA binaries at install time.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -d node_modules ]; then
  log "installing npm packages from package-lock.json (about a minute, once)"
  alive "installing npm packages" npm install --no-audit --no-fund
fi
