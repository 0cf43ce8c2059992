# Sourced (not run) by the scripts that build test servers from Go modules into a cache outside the
# repo, once per version: test/controlplane/build.sh and test/registry/build.sh. What they share lives
# here: the cache layout and its stamp, the cache lock, the Go toolchain check and the temporary build
# directory that becomes the cache entry only once everything in it runs.
#
# The sourcing script sets, before calling anything here:
#   tag     the prefix of its progress lines ("registry" prints "[registry] ...")
#   here    the folder holding the go.mod and go.sum it builds from
#   force   1 to rebuild even if cached (--force), else 0
# and then calls, in this order:
#   cache_entry KIND VERSION BINARY...   the entry $CHARTRELEASE_CACHE/KIND/VERSION (default cache root
#                                        ~/.cache/chartrelease) holding BINARY...; sets cache_root, out, stamp, log
#   cache_begin WHAT                     prints $out and exits when the entry is there (also when another run
#                                        built it while this one waited for the lock); else finds Go (sets GO,
#                                        go_version), takes the lock and makes $tmp, where the build writes
#   cache_publish                        $tmp becomes $out (stamped), atomically for readers of $out
# Progress goes to stderr through say/die; the last line on stdout is $out.

say() { printf '[%s] %s\n' "$tag" "$*" >&2; }
die() {
  say "BUILD FAILED: $1"
  shift
  for line in "$@"; do say "  $line"; done
  exit 1
}

cache_entry() {
  cache_kind="$1"
  cache_version="$2"
  shift 2
  cache_binaries=("$@")
  cache_root="${CHARTRELEASE_CACHE:-$HOME/.cache/chartrelease}"
  out="$cache_root/$cache_kind/$cache_version"
  log="$cache_root/$cache_kind/build-$cache_version.log"
  # The stamp ties the cached binaries to the exact module graph (go.mod + go.sum) they were built from.
  stamp="$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-16)"
}

cache_valid() {
  local b
  for b in "${cache_binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
  [[ "$(cat "$out/.stamp" 2>/dev/null)" == "$stamp" ]]
}

cache_begin() {
  local what="$1"
  if [[ $force == 0 ]] && cache_valid; then
    say "$what: cached in $out"
    echo "$out"
    exit 0
  fi

  GO="${GO:-$(command -v go || true)}"
  [[ -n "$GO" ]] || GO=/usr/local/go/bin/go
  local need
  need="$(sed -n 's/^go \(1\.[0-9]*\).*/\1/p' "$here/go.mod" | head -1)"
  [[ -x "$GO" ]] || die "no Go toolchain found" \
    "Install Go >= $need (https://go.dev/dl/) and put it on PATH, or set GO=/path/to/go." \
    "Go's module proxy (GOPROXY, default https://proxy.golang.org) must be reachable."
  go_version="$("$GO" env GOVERSION)"
  local have_minor="$(sed -n 's/^go1\.\([0-9]*\).*/\1/p' <<<"$go_version")"
  [[ -n "$have_minor" && "$have_minor" -ge "${need#1.}" ]] || die "$go_version is too old: $here/go.mod needs Go >= $need" \
    "Install Go $need or newer and put it on PATH (or set GO=/path/to/go)."

  mkdir -p "$cache_root/$cache_kind"
  # One build at a time per cache entry kind (test/run.js, .ci/run, the demo and a developer may start it together).
  exec 9>"$cache_root/$cache_kind/.build.lock"
  if ! flock -n 9; then
    say "another build is running; waiting for it to finish"
    flock 9
  fi
  if [[ $force == 0 ]] && cache_valid; then
    say "$what: built by the other run: $out"
    echo "$out"
    exit 0
  fi

  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
  : >"$log"
  tmp="$out.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  trap 'rm -rf "$tmp"' EXIT
}

cache_publish() {
  echo "$stamp" >"$tmp/.stamp"
  rm -rf "$out"
  mv "$tmp" "$out"
  trap - EXIT
}
