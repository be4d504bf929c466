#!/usr/bin/env bash
# Soak test of ml-api (issue #6), loopback only and bounded in time:
#   1. builds ml-api, regression-model and the load tool (ml-api/examples/soak) in release;
#   2. trains a second artifact (generation-1 config on fixtures/synthetic/train.csv),
#      relabelled as model version "<version>-gen1" so answers tell the two models apart;
#   3. for each swap in SOAK_SWAPS ("reload promote"), starts ml-api (2 workers,
#      MAX_BODY_BYTES 64 KiB, 1% input logging into a temp LOG_DIR):
#      - reload: the shipped artifact from a temp MODEL_PATH;
#      - promote: MODELS=a=<shipped>,b=<model B>, CHALLENGER=b, SHADOW_SAMPLE
#        (SOAK_SHADOW_SAMPLE, 1: every champion request is also scored by the challenger);
#   4. drives it for SOAK_SECONDS (60) with SOAK_CONNECTIONS (32) keep-alive connections after
#      a 10 s warm-up: valid JSON/CSV/OIP predictions, malformed, unprocessable, wrong type,
#      oversized (80 KiB), too deep, unknown routes, /health, /metrics; swaps into model B at
#      1/3 and back into A at 2/3 (reload: POST /admin/reload, then SIGHUP; promote:
#      POST /admin/promote, then again to roll back);
#   5. checks every answer (status; each price against the model whose version it names;
#      that version against the reload times), zero 5xx, zero dropped connections,
#      RSS growth under 10%, and a clean exit on SIGTERM;
#   6. writes the figures to ml-api/SOAK.md (SOAK_REPORT to write elsewhere).
# Exit status 0 only if everything held.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SOAK_SECONDS:-60}
swaps=${SOAK_SWAPS:-reload promote}
shadow_sample=${SOAK_SHADOW_SAMPLE:-1}
connections=${SOAK_CONNECTIONS:-32}
report=${SOAK_REPORT:-ml-api/SOAK.md}
target=${CARGO_TARGET_DIR:-target}
say() { echo "soak: $*"; }
fail() { echo "soak: FAILED: $*" >&2; exit 1; }

say "building (release)"
cargo build --quiet --release --locked -p ml-api --example soak
# The CLI (to train model B) is behind the `cli` feature.
cargo build --quiet --release --locked -p regression-model --features cli --bin regression-model

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

version=$(sed -n 's/^version = "\(.*\)"/\1/p' regression-model/Cargo.toml | head -1)
model_a=regression-model/trained_models/regression_model_output_v$version.postcard
[ -f "$model_a" ] || fail "no shipped artifact $model_a"
say "training model B (generation-1 config)"
"$target/release/regression-model" train --data fixtures/synthetic/train.csv \
  --config regression-model/config/generation-1.toml --out "$work/gen1.postcard" >"$work/train.log" 2>&1 \
  || { cat "$work/train.log" >&2; fail "training model B"; }

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
# Model B relabelled once, for the promote run (the service loads it at start-up).
ADMIN_TOKEN=$token "$target/release/examples/soak" --address 127.0.0.1:1 --server-pid 0 \
  --model-path "$work/model.postcard" --model-a "$model_a" --model-b "$work/gen1.postcard" \
  --model-b-version "$version-gen1" --fixture fixtures/synthetic/test.csv --report /dev/null \
  --relabel-only "$work/gen1-relabelled.postcard"

status=0
sections=()
for swap in $swaps; do
  cp "$model_a" "$work/model.postcard"
  case $swap in
    reload) models=(MODEL_PATH="$work/model.postcard") ;;
    promote) models=(MODELS="a=$work/model.postcard,b=$work/gen1-relabelled.postcard" CHALLENGER=b
                     SHADOW_SAMPLE="$shadow_sample") ;;
    *) fail "unknown swap $swap (SOAK_SWAPS: reload, promote)" ;;
  esac
  say "starting ml-api ($swap)"
  : >"$work/server.err"
  env -i PATH="$PATH" HOST=127.0.0.1 PORT=0 WORKERS=2 MAX_BODY_BYTES=65536 LOG_INPUT_SAMPLE=0.01 \
    LOG_DIR="$work/logs-$swap" ADMIN_TOKEN="$token" "${models[@]}" \
    "$target/release/ml-api" >"$work/server.out" 2>"$work/server.err" &
  server=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.err" | head -1)
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.err" >&2; fail "ml-api did not start"; }
    sleep 0.1
  done
  [ -n "$port" ] || fail "ml-api did not say where it listens"
  say "ml-api (pid $server) on 127.0.0.1:$port; ${seconds}s at $connections connections, swap by $swap"

  run_status=0
  ADMIN_TOKEN=$token "$target/release/examples/soak" \
    --address "127.0.0.1:$port" --server-pid "$server" --swap "$swap" \
    --model-path "$work/model.postcard" --model-a "$model_a" \
    --model-b "$work/gen1-relabelled.postcard" --fixture fixtures/synthetic/test.csv \
    --connections "$connections" --seconds "$seconds" --report "$work/figures-$swap.md" || run_status=$?

  exit_code=0
  if kill -TERM "$server" 2>/dev/null; then
    wait "$server" || exit_code=$?
    [ "$exit_code" = 0 ] || { say "ml-api exited with $exit_code after SIGTERM"; run_status=1; }
  else
    wait "$server" || exit_code=$?
    say "ml-api died during the soak with exit status $exit_code (128+N: signal N); its last lines:"
    grep -v ' INFO ' "$work/server.err" | tail -20 >&2
    run_status=1
  fi
  server=
  [ -f "$work/figures-$swap.md" ] || fail "the load tool wrote no figures ($swap)"
  echo "| ml-api exit after SIGTERM | $exit_code |" >>"$work/figures-$swap.md"
  [ "$run_status" = 0 ] || status=1
  sections+=("$swap")
done

{
  echo "# Soak test: last run"
  echo
  echo "Written by \`scripts/soak.sh\` (see its header for what it does and checks). Loopback,"
  echo "release build, $(nproc) cores shared with the load tool, $(date -u +%Y-%m-%d)."
  echo "Model A: the artifact shipped with regression-model $version; model B: the generation-1"
  echo "config trained on the synthetic fixture, relabelled $version-gen1. Server: 2 workers,"
  echo "MAX_BODY_BYTES 64 KiB, LOG_INPUT_SAMPLE 0.01, other settings at their defaults."
  for swap in "${sections[@]}"; do
    echo
    case $swap in
      reload) echo "## Swapped by reloads (MODEL_PATH; POST /admin/reload, then SIGHUP)" ;;
      promote) echo "## Swapped by promotions (MODELS a and b, CHALLENGER=b, SHADOW_SAMPLE=$shadow_sample; POST /admin/promote twice)" ;;
    esac
    echo
    cat "$work/figures-$swap.md"
  done
} >"$report"
say "figures written to $report"
[ "$status" = 0 ] || fail "see $report"
say "passed"
