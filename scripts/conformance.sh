#!/usr/bin/env bash
# Runs the OCI distribution-spec conformance suite (its four workflows, every data kind, push with
# tag parameters) against `crossdock serve`, once without auth and once with token auth.
#
#   scripts/conformance.sh /path/to/conformance-binary
#
# The binary is the conformance suite of opencontainers/distribution-spec (its conformance/
# directory), which the maintainer provides; it is not part of `npm test` because CI's machines
# have no Go toolchain. Results: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "${1:?usage: scripts/conformance.sh CONFORMANCE_BINARY}")"
work="$(mktemp -d)"
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

run() { # NAME [serve flags...]
  local name="$1"
  shift
  node bin/crossdock.js serve --storage "$work/$name-storage" --addr 127.0.0.1:0 --quiet "$@" >"$work/$name.out" &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$work/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  local host
  host="$(sed -n 's|^crossdock serve: listening on http://||p' "$work/$name.out")"
  (
    cd "$work"
    OCI_REGISTRY="$host" OCI_TLS=disabled OCI_VERSION=1.1 OCI_RESULTS_DIR="$work/$name-results" \
      OCI_API_MANIFESTS_TAG_PARAM=true OCI_API_BLOBS_UPLOAD_CANCEL=true \
      OCI_API_BLOBS_DIGEST_HEADER=true OCI_API_MANIFESTS_DIGEST_HEADER=true \
      "$bin" >"$work/$name.log" 2>&1
  ) || {
    cat "$work/$name.log"
    exit 1
  }
  echo "$name: $(grep -c ': Pass$' "$work/$name.log") passed, $(grep -c ': Skip$' "$work/$name.log") skipped, $(grep -c ': Fail$' "$work/$name.log") failed"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

run open
printf 'conformance:%s\n' "$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" >"$work/auth.txt"
OCI_USERNAME=conformance OCI_PASSWORD="$(cut -d: -f2 "$work/auth.txt")" run token --auth "$work/auth.txt"
