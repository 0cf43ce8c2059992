#!/usr/bin/env bash
# Builds the real kube-apiserver, kube-controller-manager and etcd from their Go modules (pinned in ./go.mod) into a cache
# directory outside the repo, once per version. A second run finds them and returns at once.
#
#   test/controlplane/build.sh            build if needed, print the binary directory on the last line
#   test/controlplane/build.sh --force    rebuild even if cached
#
# Environment:
#   CHARTRELEASE_CACHE   cache root (default ~/.cache/chartrelease); binaries go to
#                        $CHARTRELEASE_CACHE/controlplane/<kubernetes version>/
#   GO                   the go command (default: go on PATH, else /usr/local/go/bin/go)
# The cache, its lock and the Go check are shared with the other build: test/support/go-build-cache.sh.
# Progress goes to stderr; the last line on stdout is the directory holding the three binaries.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
force=0
[[ "${1:-}" == "--force" ]] && force=1

tag=controlplane
source "$here/../support/go-build-cache.sh"

k8s_version="$(sed -n 's#^[[:space:]]*k8s.io/kubernetes \(v[0-9.]*\).*#\1#p' "$here/go.mod" | head -1)"
etcd_version="$(sed -n 's#^[[:space:]]*go.etcd.io/etcd/server/v3 \(v[0-9.]*\).*#\1#p' "$here/go.mod" | head -1)"
[[ -n "$k8s_version" && -n "$etcd_version" ]] || die "cannot read the k8s.io/kubernetes and etcd versions from $here/go.mod"

cache_entry controlplane "$k8s_version" kube-apiserver kube-controller-manager etcd
cache_begin "kube-apiserver, kube-controller-manager $k8s_version and etcd $etcd_version"
start=$SECONDS

# Runs `go build -v`, which names each package it compiles, and turns that into a progress line
# every 100 packages. The full output is kept in $log.
progress_build() {
  local what="$1"
  shift
  say "building $what"
  set +e
  (cd "$here" && "$GO" build -v "$@" 2>&1) | tee -a "$log" | awk -v what="$what" -v t0="$(date +%s)" '
    /^go: downloading/ { d++; if (d % 50 == 1) { printf "[controlplane]   %s: downloading modules (%d so far)\n", what, d > "/dev/stderr"; fflush("/dev/stderr") } ; next }
    /^[a-zA-Z0-9_.\/-]+$/ { n++; if (n % 100 == 0) { printf "[controlplane]   %s: %d packages compiled, %ds\n", what, n, systime() - t0 > "/dev/stderr"; fflush("/dev/stderr") } ; next }
    { print "[controlplane]   " $0 > "/dev/stderr"; fflush("/dev/stderr") }'
  local rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}

ldflags="-s -w"
minor="${k8s_version#v1.}"
minor="${minor%%.*}"
for kv in "gitVersion=$k8s_version" gitMajor=1 "gitMinor=$minor" gitTreeState=clean "buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
  ldflags="$ldflags -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
done

fail_hints=(
  "The full log is $log."
  "Check: Go >= 1.26 ($go_version found), the module proxy is reachable (GOPROXY=$("$GO" env GOPROXY)),"
  "and the disk has ~4 GB free for GOMODCACHE ($("$GO" env GOMODCACHE)) and GOCACHE ($("$GO" env GOCACHE))."
  "'go: ... verifying module' means sum.golang.org is unreachable: retry with GONOSUMDB='*'."
  "After changing test/controlplane/go.mod, run 'cd test/controlplane && GOTOOLCHAIN=local go mod tidy'."
  "Retry with: bash test/controlplane/build.sh --force"
)

say "Go $go_version; output $out"
say "modules are downloaded as needed into $("$GO" env GOMODCACHE) and kept there"
say "a first build compiles ~2000 packages (about 3 minutes on 2 cores, more with downloads); Go's build cache makes later ones fast"

progress_build "kube-apiserver $k8s_version" -trimpath -tags=selinux,notest,grpcnotrace -ldflags "$ldflags" \
  -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver \
  || die "go build of kube-apiserver failed (last lines above)" "${fail_hints[@]}"
progress_build "kube-controller-manager $k8s_version" -trimpath -tags=selinux,notest,grpcnotrace -ldflags "$ldflags" \
  -o "$tmp/kube-controller-manager" k8s.io/kubernetes/cmd/kube-controller-manager \
  || die "go build of kube-controller-manager failed (last lines above)" "${fail_hints[@]}"
progress_build "etcd $etcd_version" -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3 \
  || die "go build of etcd failed (last lines above)" "${fail_hints[@]}"

"$tmp/kube-apiserver" --version >&2 || die "the built kube-apiserver does not run" "${fail_hints[@]}"
"$tmp/kube-controller-manager" --version >&2 || die "the built kube-controller-manager does not run" "${fail_hints[@]}"
# Not `| head -1`: with pipefail, etcd writing its later lines into a closed pipe fails the build at random.
etcd_says=$("$tmp/etcd" --version) || die "the built etcd does not run" "${fail_hints[@]}"
printf '%s\n' "${etcd_says%%$'\n'*}" >&2
cache_publish
say "built kube-apiserver, kube-controller-manager $k8s_version and etcd $etcd_version in $((SECONDS - start))s: $out"
echo "$out"
