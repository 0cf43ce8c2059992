#!/usr/bin/env bash
# Builds the CNCF distribution registry (github.com/distribution/distribution/v3, pinned in ./go.mod)
# into a cache directory outside the repo, once per version. A second run finds it and returns at once.
# The OCI integration tests push charts to it with the real `helm push` (see docs/registry.md).
#
#   test/registry/build.sh            build if needed, print the binary's directory on the last line
#   test/registry/build.sh --force    rebuild even if cached
#
# Environment:
#   CHARTRELEASE_CACHE   cache root (default ~/.cache/chartrelease); the binary goes to
#                        $CHARTRELEASE_CACHE/registry/<distribution version>/registry
#   GO                   the go command (default: go on PATH, else /usr/local/go/bin/go)
# The cache, its lock and the Go check are shared with the other build: test/support/go-build-cache.sh.
# Progress goes to stderr; the last line on stdout is the directory holding the `registry` binary.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
force=0
[[ "${1:-}" == "--force" ]] && force=1
tag=registry
source "$here/../support/go-build-cache.sh"

module=github.com/distribution/distribution/v3
version="$(sed -n 's#^[[:space:]]*github.com/distribution/distribution/v3 \(v[0-9.]*\).*#\1#p' "$here/go.mod" | head -1)"
[[ -n "$version" ]] || die "cannot read the $module version from $here/go.mod"

cache_entry registry "$version" registry
cache_begin "the distribution registry $version"
start=$SECONDS
say "building the distribution registry $version with $go_version into $out (about 1-2 minutes the first time; log: $log)"
if ! (cd "$here" && "$GO" build -trimpath -ldflags "-s -w -X $module/version.version=$version" \
  -o "$tmp/registry" "$module/cmd/registry") >"$log" 2>&1; then
  tail -n 20 "$log" | sed 's/^/[registry]   /' >&2
  die "go build of $module/cmd/registry failed (last lines above)" \
    "The full log is $log." \
    "Check that the module proxy is reachable (GOPROXY=$("$GO" env GOPROXY)) and the disk has room for GOMODCACHE." \
    "After changing test/registry/go.mod, run 'cd test/registry && GOTOOLCHAIN=local go mod tidy'." \
    "Retry with: bash test/registry/build.sh --force"
fi
"$tmp/registry" --version >&2 || die "the built registry does not run" "The full log is $log."
cache_publish
say "built the distribution registry $version in $((SECONDS - start))s: $out"
echo "$out"
