#!/usr/bin/env bash
# Builds the swe-srl image (see Dockerfile): stages this machine's Node binary and the production packages into
# .docker/, then `docker build`. Usage: scripts/build-docker-image.sh [TAG] [BASE_IMAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-swe-srl:latest}
base=${2:-${SWE_SRL_BASE_IMAGE:-swe-srl-base:bookworm}}
rm -rf .docker && mkdir -p .docker/app
cp "$(command -v node)" .docker/node
cp package.json package-lock.json .docker/app/
(cd .docker/app && npm install --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null)
rm .docker/app/package.json .docker/app/package-lock.json
docker build -q --build-arg BASE_IMAGE="$base" -t "$tag" . >/dev/null
rm -rf .docker
echo "$tag"
