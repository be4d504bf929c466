#!/usr/bin/env bash
# Publishes the `regression-model` crate (code + the trained model it embeds)
# to the private Cargo registry, once per version.
#
#   scripts/publish-model.sh [REPO_DIR]
#
# REPO_DIR: the git checkout to publish from (default: the one holding this
# script). Configuration comes from the environment, never from committed files:
#   MODEL_REGISTRY_NAME   registry name, as in `publish = [...]` (default house-prices)
#   MODEL_REGISTRY_INDEX  its index URL: `https://...`/`http://...` (git index) or
#                         `sparse+https://...` (default: $CARGO_REGISTRIES_<NAME>_INDEX)
#   MODEL_REGISTRY_TOKEN  the publish token (required)
#   MODEL_RELEASE_TAG     optional; when set (CI sets it to the git tag), it must be
#                         regression-model-v<crate version>
#
# It refuses, with a message and a non-zero status: a missing token, a dirty
# tree (anything in `git status --porcelain`), an unreachable registry, a tag
# that does not match the version, and a version the registry already has.
set -euo pipefail

crate=regression-model
repo=${1:-"$(dirname "$0")/.."}
fail() { echo "publish-model: $*" >&2; exit 1; }

cd "$repo" || fail "cannot enter $repo"
repo=$(git rev-parse --show-toplevel 2>/dev/null) || fail "$PWD is not a git checkout"
cd "$repo"

name=${MODEL_REGISTRY_NAME:-house-prices}
env_name=$(tr 'a-z-' 'A-Z_' <<<"$name")
index_var="CARGO_REGISTRIES_${env_name}_INDEX"
index=${MODEL_REGISTRY_INDEX:-${!index_var:-}}
[ -n "$index" ] || fail "no index URL for registry '$name': set MODEL_REGISTRY_INDEX (or $index_var)"
[ -n "${MODEL_REGISTRY_TOKEN:-}" ] \
  || fail "MODEL_REGISTRY_TOKEN is not set: a publish token for registry '$name' is required (it is never committed)"

dirty=$(git status --porcelain)
if [ -n "$dirty" ]; then
  sed 's/^/  /' <<<"$dirty" >&2
  fail "refusing to publish from a dirty tree: $(wc -l <<<"$dirty") uncommitted change(s), listed above; commit or remove them first"
fi

# `cargo pkgid` prints `path+file:///.../regression-model#0.1.0` (or `...#name@0.1.0`).
pkgid=$(cargo pkgid --quiet --manifest-path "$crate/Cargo.toml" -p "$crate") \
  || fail "cannot read the version of $crate"
version=${pkgid##*[#@]}
commit=$(git rev-parse --short HEAD)
if [ -n "${MODEL_RELEASE_TAG:-}" ] && [ "$MODEL_RELEASE_TAG" != "$crate-v$version" ]; then
  fail "tag $MODEL_RELEASE_TAG does not match the crate version $version (expected tag $crate-v$version)"
fi

# The index file of a crate: 1/, 2/, 3/<c>/ or <ab>/<cd>/ by name length.
case ${#crate} in
  1) index_path=1/$crate ;;
  2) index_path=2/$crate ;;
  3) index_path=3/${crate:0:1}/$crate ;;
  *) index_path=${crate:0:2}/${crate:2:2}/$crate ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints the crate's index file (empty when the crate has never been
# published); fails when the registry cannot be reached.
read_index_entry() {
  if [[ $index == sparse+* ]]; then
    local url=${index#sparse+} status
    url=${url%/}
    status=$(curl --silent --show-error --connect-timeout 10 --max-time 60 \
      --output "$work/entry" --write-out '%{http_code}' "$url/$index_path") \
      || fail "registry '$name' is unreachable at $index"
    case $status in
      200) cat "$work/entry" ;;
      404 | 410 | 451) ;;
      *) fail "registry '$name' answered HTTP $status for $url/$index_path" ;;
    esac
  else
    rm -rf "$work/index"
    timeout 120 git -c credential.helper= clone --quiet "$index" "$work/index" 2>"$work/git.err" \
      || { sed 's/^/  /' "$work/git.err" >&2; fail "registry '$name' is unreachable at $index"; }
    if [ -f "$work/index/$index_path" ]; then cat "$work/index/$index_path"; fi
  fi
}

version_re=${version//./\\.}
version_re=${version_re//+/\\+}
published() { grep -Eq "\"vers\": *\"$version_re\"" <<<"$1"; }

entry=$(read_index_entry)
if published "$entry"; then
  fail "$crate $version is already published on '$name' ($index); bump the version in $crate/Cargo.toml (see docs/release.md)"
fi

echo "publish-model: publishing $crate $version (commit $commit) to '$name' ($index)"
export "CARGO_REGISTRIES_${env_name}_INDEX=$index"
export "CARGO_REGISTRIES_${env_name}_TOKEN=$MODEL_REGISTRY_TOKEN"
# Cargo's built-in git cannot fetch from some registry servers; the git CLI can.
export CARGO_NET_GIT_FETCH_WITH_CLI=true
started=$(date +%s)
cargo publish --locked --package "$crate" --registry "$name" \
  || fail "cargo publish of $crate $version to '$name' failed (see above)"

entry=$(read_index_entry)
published "$entry" || fail "$crate $version was uploaded but '$name' does not list it yet"
checksum=$(grep -E "\"vers\": *\"$version_re\"" <<<"$entry" | grep -Eo '"cksum": *"[0-9a-f]+"' | grep -Eo '[0-9a-f]{64}' || true)
echo "publish-model: published $crate $version to '$name' from commit $commit in $(( $(date +%s) - started )) s (sha256 ${checksum:-unknown})"
echo "publish-model: depend on it with: $crate = { version = \"${version%.*}\", registry = \"$name\" }"
