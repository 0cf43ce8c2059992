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
# Progress goes to stderr; the last line on stdout is the directory holding the `registry` binary.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
force=0
[[ "${1:-}" == "--force" ]] && force=1

say() { printf '[registry] %s\n' "$*" >&2; }
die() {
  say "BUILD FAILED: $1"
  shift
  for line in "$@"; do say "  $line"; done
  exit 1
}

module=github.com/distribution/distribution/v3
version="$(sed -n 's#^[[:space:]]*github.com/distribution/distribution/v3 \(v[0-9.]*\).*#\1#p' "$here/go.mod" | head -1)"
[[ -n "$version" ]] || die "cannot read the $module version from $here/go.mod"

cache_root="${CHARTRELEASE_CACHE:-$HOME/.cache/chartrelease}"
out="$cache_root/registry/$version"
# The stamp ties the cached binary to the exact module graph (go.mod + go.sum) it was built from.
stamp="$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-16)"

cached() { [[ -x "$out/registry" && "$(cat "$out/.stamp" 2>/dev/null)" == "$stamp" ]]; }

if [[ $force == 0 ]] && cached; then
  say "the distribution registry $version is cached in $out"
  echo "$out"
  exit 0
fi

GO="${GO:-$(command -v go || true)}"
[[ -n "$GO" ]] || GO=/usr/local/go/bin/go
[[ -x "$GO" ]] || die "no Go toolchain found" \
  "Install Go >= 1.26 (https://go.dev/dl/) and put it on PATH, or set GO=/path/to/go." \
  "Go's module proxy (GOPROXY) must be reachable."

mkdir -p "$cache_root/registry"
# One build at a time per cache (test/run.js, .ci/run and a developer may start it together).
exec 9>"$cache_root/registry/.build.lock"
if ! flock -n 9; then
  say "another build is running; waiting for it to finish"
  flock 9
fi
if [[ $force == 0 ]] && cached; then
  say "the distribution registry $version was built by the other run: $out"
  echo "$out"
  exit 0
fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
log="$cache_root/registry/build-$version.log"
tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
say "building the distribution registry $version with $("$GO" env GOVERSION) into $out (about 1-2 minutes the first time; log: $log)"
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
echo "$stamp" >"$tmp/.stamp"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
say "built the distribution registry $version in $((SECONDS - start))s: $out"
echo "$out"
