#!/usr/bin/env bash
# Drives a release ml-api with NVIDIA's tritonclient[http], the most used
# Open Inference Protocol v2 client: health, server and model metadata,
# infer with JSON tensors and with the binary tensor data extension, and
# compares every price with /v1/predict/regression for the same rows
# (scripts/oip_conformance.py does the talking).
#
#   [OIP_MODELS=name=path,...] scripts/oip-conformance.sh [--target VERSION=V1_PATH ...]
#
# With no --target it checks the unversioned routes (/v2/models/regression-model/...
# against /v1/predict/regression); each --target adds a model version, checked on
# /v2/models/regression-model/versions/VERSION/... against V1_PATH.
# OIP_MODELS, when set, is the server's MODELS (several models in one process).
#
# The client lives in a venv in $CI_CACHE_DIR (default ~/.cache/house-prices-ci),
# made once and reused, like .ci/run's validators.
set -euo pipefail
cd "$(dirname "$0")/.."
client=("tritonclient[http]==2.73.0")
export CI_CACHE_DIR=${CI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/house-prices-ci}
venv=$CI_CACHE_DIR/oip-venv
if ! "$venv/bin/python" -c 'import tritonclient.http' 2> /dev/null \
  || [ "$(cat "$venv/client.txt" 2> /dev/null)" != "${client[*]}" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${client[@]}"
  echo "${client[*]}" > "$venv/client.txt"
fi

cargo build --release --locked --quiet -p ml-api
bin=target/release/ml-api
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
settings=(PATH="$PATH" PORT="$port" WORKERS=1 LOG_DIR="$work/logs")
[ -n "${OIP_MODELS:-}" ] && settings+=(MODELS="$OIP_MODELS")
env -i "${settings[@]}" "$bin" 2> "$work/stderr" &
pid=$!
for _ in $(seq 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/health')" 2> /dev/null && break
  sleep 0.1
done
if ! "$venv/bin/python" scripts/oip_conformance.py --url "127.0.0.1:$port" \
  --rows fixtures/synthetic/test.csv "$@"; then
  echo "the server's stderr:" >&2
  tail -n 20 "$work/stderr" >&2
  exit 1
fi
