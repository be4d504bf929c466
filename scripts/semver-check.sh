#!/usr/bin/env bash
# Checks regression-model's public API against its previous release with
# cargo-semver-checks (path as $1, default: on PATH). Run by .ci/run.
#
# The previous release is the commit that set the version in
# regression-model/Cargo.toml (the release commit: docs/release.md bumps the
# version there when it releases); on a release commit itself, the release
# before it. Between releases the version stays the released one, so the
# change allowed is the one regression-model/CHANGELOG.md announces in its
# "## Unreleased" section with a line `Next release: X.Y.Z`: an API break
# passes only when that version is a breaking step from the released one
# (0.2.x -> 0.3.0 while 0.x). Without the line, only compatible changes pass.
# When the line names the version Cargo.toml already has, that release is
# being prepared (bumped, not yet tagged): the check is against the release
# before it.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-cargo-semver-checks}
manifest=regression-model/Cargo.toml
changelog=regression-model/CHANGELOG.md
say() { echo "semver-check: $*"; }
fail() { echo "semver-check: FAILED: $*" >&2; exit 1; }

version_at() { git show "$1:$manifest" | sed -n 's/^version = "\([^"]*\)"$/\1/p' | head -1; }
released=$(version_at HEAD)
baseline=$(git log -1 --format=%H -G'^version = "' HEAD -- "$manifest")
[ -n "$baseline" ] || fail "no commit sets the version in $manifest (a shallow clone?)"
if [ "$baseline" = "$(git rev-parse HEAD)" ]; then
  baseline=$(git log -1 --format=%H -G'^version = "' HEAD^ -- "$manifest")
  [ -n "$baseline" ] || { say "HEAD is the first release: nothing to compare with"; exit 0; }
  say "HEAD releases $released: comparing with $(version_at "$baseline") (${baseline:0:10})"
  exec "$tool" semver-checks -p regression-model --baseline-rev "$baseline"
fi

# The release type the next version makes, in cargo's reading of semver: a
# change of the left-most non-zero component is breaking ("major").
release_type() {
  local M m p DM Dm Dp
  IFS=. read -r M m p <<<"$1"
  IFS=. read -r DM Dm Dp <<<"$2"
  if [ "$DM" != "$M" ] || { [ "$M" = 0 ] && [ "$Dm" != "$m" ]; } || { [ "$M$m" = 00 ] && [ "$Dp" != "$p" ]; }; then
    echo major
  elif [ "$Dm" != "$m" ] || [ "$M" = 0 ]; then
    echo minor
  else
    echo patch
  fi
}

next=$(awk '/^## Unreleased/ { open = 1; next } /^## / { open = 0 } open && /^Next release: / { print $3; exit }' "$changelog")
args=()
if [ -n "$next" ] && [ "$next" = "$released" ]; then
  # A release in preparation: the version is bumped (docs/release.md step 2)
  # and more changes land before the tag, still announced as the next
  # release. Compare with the release before the bump, as on the release
  # commit itself; cargo-semver-checks reads the change allowed from the
  # two versions.
  previous=$(git log -1 --format=%H -G'^version = "' "$baseline^" -- "$manifest")
  [ -n "$previous" ] || { say "$released is the first release: nothing to compare with"; exit 0; }
  say "$released in preparation since ${baseline:0:10}: comparing with $(version_at "$previous") (${previous:0:10})"
  exec "$tool" semver-checks -p regression-model --baseline-rev "$previous"
fi
if [ -n "$next" ]; then
  [[ $next =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "$changelog: 'Next release: $next' is not a version X.Y.Z"
  [ "$(printf '%s\n%s\n' "$released" "$next" | sort -V | tail -1)" = "$next" ] && [ "$next" != "$released" ] \
    || fail "$changelog announces $next, which is not after the released $released"
  type=$(release_type "$released" "$next")
  say "comparing with the $released release (${baseline:0:10}); $changelog announces $next: a $type change"
  args=(--release-type "$type")
else
  say "comparing with the $released release (${baseline:0:10}); no next version announced: compatible changes only"
fi
"$tool" semver-checks -p regression-model --baseline-rev "$baseline" "${args[@]}"
