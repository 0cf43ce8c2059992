#!/usr/bin/env bash
# Regenerates go.mod for another Kubernetes release, e.g.  test/controlplane/gen-replace.sh 1.36.4 v3.6.8
# k8s.io/kubernetes requires its ~33 staging modules (k8s.io/api, k8s.io/apiserver, ...) at v0.0.0 and
# maps them to ./staging; a consumer must pin each one to the published v0.<minor>.<patch> tag. The list
# is read from k8s.io/kubernetes's own go.mod in the module cache, never maintained by hand.
# The etcd version must be the one k8s.io/apiserver of that release requires (see its go.mod).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
V="${1:?usage: gen-replace.sh <kubernetes version, e.g. 1.36.3> <etcd version, e.g. v3.6.8>}"
E="${2:?usage: gen-replace.sh <kubernetes version> <etcd version>}"
V="${V#v}"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
MOD="$(cd "$(mktemp -d)" && "$GO" mod download -json "k8s.io/kubernetes@v$V" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
[[ -f "$MOD" ]] || { echo "could not download the go.mod of k8s.io/kubernetes@v$V" >&2; exit 1; }
go_line="$(sed -n 's/^go \(.*\)/\1/p' "$MOD")"
{
  cat <<EOF
// A separate Go module that only builds the real kube-apiserver and etcd used by chartrelease's
// integration tests and demo. Nothing here is part of the operator. See docs/controlplane.md.
// The replace block pins every k8s.io staging module that k8s.io/kubernetes requires at v0.0.0;
// regenerate it with ./gen-replace.sh when changing the Kubernetes version.
module chartrelease.local/controlplane

go $go_line

require (
	go.etcd.io/etcd/server/v3 $E // the version k8s.io/apiserver v0.${V#1.} requires
	k8s.io/kubernetes v$V
)

tool (
	go.etcd.io/etcd/server/v3
	k8s.io/kubernetes/cmd/kube-apiserver
	k8s.io/kubernetes/cmd/kube-controller-manager
)

replace (
EOF
  sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*#\1#p' "$MOD" |
    while read -r m; do printf '\t%s => %s v0.%s\n' "$m" "$m" "${V#1.}"; done
  echo ")"
} >"$here/go.mod"
rm -f "$here/go.sum"
(cd "$here" && "$GO" mod tidy)
echo "wrote $here/go.mod for Kubernetes v$V and etcd $E; build with test/controlplane/build.sh" >&2
