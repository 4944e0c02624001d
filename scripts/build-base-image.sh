#!/usr/bin/env bash
# Builds a swe-srl base image from Debian with debootstrap + `docker import` (no registry): one per Python line.
# Usage: scripts/build-base-image.sh SUITE [TAG]   SUITE: bookworm (Python 3.11), bullseye (3.9), trixie (3.13)
# The tag (default swe-srl-base:SUITE) carries labels swe-srl.recipe (hash of what built it), swe-srl.suite and
# swe-srl.python (the interpreter's version); a second run with the same recipe is a no-op. Prints the tag.
set -euo pipefail
suite=${1:?usage: build-base-image.sh SUITE [TAG]}
tag=${2:-swe-srl-base:$suite}
MIRROR="${SWE_SRL_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# What a base holds: enough to look like a SWE-bench image to an agent (python on PATH, git, patch, the usual tools)
# and to run pytest-based test suites. Changing this list changes the recipe hash, so every base is built again.
BASE_PACKAGES="python3,python-is-python3,python3-pytest,python3-pip,python3-setuptools,git,patch,procps,ca-certificates,less,file"
SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
log() { printf '[base %s] %s\n' "$suite" "$*" >&2; }

recipe="$suite minbase ${MIRROR} ${BASE_PACKAGES}"
recipe_hash=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
have_hash=$(docker image inspect -f '{{ index .Config.Labels "swe-srl.recipe" }}' "$tag" 2>/dev/null || true)
if [ "$have_hash" = "$recipe_hash" ]; then echo "$tag"; exit 0; fi

started=$(date +%s)
root=$(mktemp -d "/tmp/swe-srl-rootfs-$suite.XXXXXX")
trap '$SUDO rm -rf "$root"' EXIT
logfile="/tmp/swe-srl-debootstrap-$suite.log"
log "debootstrap of Debian $suite (a few minutes; log: $logfile)"
$SUDO debootstrap --variant=minbase --include="$BASE_PACKAGES" "$suite" "$root" "$MIRROR" >"$logfile" 2>&1 \
  || { log "debootstrap failed; see $logfile"; tail -20 "$logfile" >&2; exit 1; }
$SUDO rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
# pip may install into the system interpreter inside sandboxes (as SWE-bench images allow).
$SUDO rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
py=$($SUDO chroot "$root" python3 -c 'import platform; print(platform.python_version())')
log "importing the root file system into Docker (Python $py)"
$SUDO tar -C "$root" -c . | docker import \
  -c "LABEL swe-srl.recipe=$recipe_hash swe-srl.suite=$suite swe-srl.python=$py" \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1' \
  -c 'CMD ["/bin/bash"]' - "$tag" >/dev/null
log "$tag ready in $(( $(date +%s) - started )) s"
echo "$tag"
