#!/usr/bin/env bash
# End-to-end test of the model's release path, on a real Cargo registry served
# on loopback by cargo-http-registry:
#   1. scripts/publish-model.sh publishes regression-model from a clean clone of
#      HEAD (uncommitted work is never published, CI leftovers never look dirty);
#   2. crates/model-consumer, which depends on `regression-model = "0.1"` from the
#      registry, predicts fixtures/synthetic/test.csv, and its output must equal
#      the `regression-model predict` output of that same commit byte for byte;
#   3. the publish script must refuse: no token, a dirty tree, a version already
#      published, a registry that is down.
# cargo-http-registry is installed once into $CI_CACHE_DIR (default
# ~/.cache/house-prices-ci: outside the clone, since CI runs on a fresh clone)
# and reused from there. Builds go to target/registry-e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
since() { echo $(( $(date +%s) - $1 )); }
say() { echo "registry-e2e: $*"; }
fail() { echo "registry-e2e: FAILED: $*" >&2; exit 1; }

registry=house-prices
# Fixed: a consumer's Cargo.lock records the registry's address.
port=35503
tool_version=0.1.8
cache=${CI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/house-prices-ci}
mkdir -p "$cache"
tool_root=$cache/cargo-http-registry-$tool_version
tool=$tool_root/bin/cargo-http-registry

# One run per machine at a time: the port and cargo's caches of it are shared.
exec 9>"${TMPDIR:-/tmp}/house-prices-registry-e2e-$port.lock"
flock -w 1200 9 || fail "another registry e2e run has held port $port for 20 minutes"

if [ -x "$tool" ]; then
  say "cargo-http-registry $tool_version: cached ($tool_root)"
else
  pkg-config --exists openssl 2>/dev/null \
    || fail "building cargo-http-registry needs pkg-config and the OpenSSL headers (Debian/Ubuntu: apt-get install pkg-config libssl-dev)"
  t=$(date +%s)
  say "installing cargo-http-registry $tool_version into $tool_root (once; about 2 minutes)"
  cargo install --quiet --locked cargo-http-registry --version "$tool_version" --root "$tool_root"
  say "cargo-http-registry installed in $(since "$t") s"
fi

work=$(mktemp -d)
server=
stop_registry() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=
}
trap 'stop_registry; rm -rf "$work"' EXIT

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  fail "something already listens on 127.0.0.1:$port"
fi
"$tool" --addr "127.0.0.1:$port" "$work/registry" >"$work/registry.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/registry.log" >&2; fail "cargo-http-registry did not start"; }
  sleep 0.2
done
index=http://127.0.0.1:$port/git
say "registry '$registry' serving $index (data in a temp dir)"

# Every run republishes the same version with new content, and cargo reuses a
# cached .crate of a known name and version without checking it: forget what
# earlier runs downloaded from this loopback registry.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/{index,cache,src}/127.0.0.1-*

# REGISTRY_E2E_REV: another commit to test (default HEAD).
head=$(git rev-parse --verify "${REGISTRY_E2E_REV:-HEAD}^{commit}")
git clone --quiet --no-hardlinks "$root" "$work/repo"
git -C "$work/repo" checkout --quiet --detach "$head"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  say "note: the workspace has uncommitted changes; this tests commit ${head:0:10} without them"
fi

export MODEL_REGISTRY_NAME=$registry MODEL_REGISTRY_INDEX=$index
export CARGO_REGISTRIES_HOUSE_PRICES_INDEX=$index CARGO_NET_GIT_FETCH_WITH_CLI=true
unset MODEL_REGISTRY_TOKEN CARGO_REGISTRIES_HOUSE_PRICES_TOKEN MODEL_RELEASE_TAG
# The server accepts any token; a real registry's token only ever comes from CI secrets.
token="registry-e2e-token"
# One target dir, out of the clone and kept between runs: the publish step's
# verify build compiles regression-model's dependencies with exactly the
# features the consumer needs, so the consumer build reuses them.
e2e_target=$root/target/registry-e2e
# publish [TOKEN]: the publish script on the clean clone (no token: none at all).
publish() { CARGO_TARGET_DIR=$e2e_target MODEL_REGISTRY_TOKEN=${1-} "$root/scripts/publish-model.sh" "$work/repo"; }

# expect_refusal NAME MESSAGE COMMAND...: COMMAND must fail and say MESSAGE.
checks=()
expect_refusal() {
  local name=$1 want=$2 status=0
  shift 2
  "$@" >"$work/out" 2>&1 || status=$?
  [ "$status" -ne 0 ] || { cat "$work/out" >&2; fail "$name: the publish script succeeded"; }
  grep -q -- "$want" "$work/out" || { cat "$work/out" >&2; fail "$name: exit $status without '$want'"; }
  checks+=("$(printf 'ok  %-17s exit %d: %s' "$name" "$status" "$(grep -m1 -- "$want" "$work/out" | sed 's/^publish-model: //')")")
  say "${checks[-1]}"
}

expect_refusal "missing token" "MODEL_REGISTRY_TOKEN is not set" publish

echo "uncommitted" >>"$work/repo/regression-model/Cargo.toml"
expect_refusal "dirty tree" "refusing to publish from a dirty tree" publish "$token"
git -C "$work/repo" checkout --quiet -- regression-model/Cargo.toml

t=$(date +%s)
publish "$token" >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; fail "publishing failed"; }
publish_secs=$(since "$t")
grep '^publish-model:' "$work/publish.log"
published=$(grep -m1 '^publish-model: published' "$work/publish.log" | sed 's/^publish-model: //')
version=$(sed -E 's/^published regression-model ([^ ]+) .*/\1/' <<<"$published")

expect_refusal "already published" "is already published" publish "$token"

# The consumer resolves regression-model from the registry; its other
# dependencies start from the workspace's lock, so both sides build the same code.
t=$(date +%s)
cp -R crates/model-consumer "$work/consumer"
rm -rf "$work/consumer/target"
cp "$work/repo/Cargo.lock" "$work/consumer/Cargo.lock"
consumer() { CARGO_TARGET_DIR=$e2e_target cargo "$1" --quiet --manifest-path "$work/consumer/Cargo.toml" "${@:2}"; }
# Cargo never rebuilds a registry crate of an unchanged version, but each run
# publishes new content under the same one: drop the last run's build of it.
consumer clean -p regression-model
consumer build
consumer_secs=$(since "$t")
t=$(date +%s)
consumer clippy --all-targets -- -D warnings
cargo fmt --manifest-path "$work/consumer/Cargo.toml" --check
lint_secs=$(since "$t")
source_line=$(grep -A2 '^name = "regression-model"' "$work/consumer/Cargo.lock" | grep '^source' || true)
[ "$source_line" = "source = \"registry+$index\"" ] \
  || fail "the consumer did not take regression-model from the registry (lock: ${source_line:-no source})"
grep -A1 '^name = "regression-model"' "$work/consumer/Cargo.lock" | grep -q "^version = \"$version\"" \
  || fail "the consumer did not resolve regression-model $version"

input=fixtures/synthetic/test.csv
consumer run -- "$work/repo/$input" >"$work/consumer.csv"
CARGO_TARGET_DIR=$e2e_target cargo run --quiet --locked --manifest-path "$work/repo/Cargo.toml" \
  -p regression-model --features cli -- predict --input "$work/repo/$input" >"$work/workspace.csv" 2>"$work/predict.err" \
  || { cat "$work/predict.err" >&2; fail "regression-model predict failed in the clone"; }
cmp "$work/workspace.csv" "$work/consumer.csv" \
  || { diff "$work/workspace.csv" "$work/consumer.csv" | head -20 >&2; fail "the consumer's predictions differ from the workspace's"; }
rows=$(( $(wc -l <"$work/consumer.csv") - 1 ))
digest=$(sha256sum "$work/consumer.csv" | cut -c1-16)

stop_registry
expect_refusal "registry down" "is unreachable" publish "$token"

echo
say "summary"
say "  $published"
say "  consumer: regression-model $version from registry+$index predicts $rows rows of $input identically to the workspace's own CLI at ${head:0:10}, byte for byte (sha256 $digest...)"
for c in "${checks[@]}"; do say "  $c"; done
say "  times: publish ${publish_secs} s, consumer build ${consumer_secs} s, consumer clippy + fmt ${lint_secs} s, total $(since "$started") s"
