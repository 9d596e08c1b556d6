#!/usr/bin/env bash
# Bundles the dashboard's charting library (uPlot, from the npm registry) into the job jar's
# resources: fetched once with `npm pack` into ~/.cache/depthflow/npm (as the embedded
# ClickHouse engine is), checked against the registry's pinned integrity hash, unpacked into
# $1. Run by the job module's generate-resources phase; no CDN at run time.
set -euo pipefail
out="$1"
name=uplot
version=1.6.32
integrity='sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw=='
cache="${DEPTHFLOW_CACHE_DIR:-${DEPTHFLOW_CACHE:-$HOME/.cache/depthflow}}/npm"
tgz="$cache/$name-$version.tgz"

check() {
  [ "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)" = "$integrity" ]
}

if [ ! -f "$tgz" ] || ! check "$tgz"; then
  command -v npm >/dev/null || { echo "bundle-uplot: npm is needed once to fetch $name@$version (apt-get install -y npm)" >&2; exit 1; }
  mkdir -p "$cache"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  if ! check "$work/$name-$version.tgz"; then
    echo "bundle-uplot: $name@$version does not match its pinned integrity hash" >&2
    exit 1
  fi
  mv "$work/$name-$version.tgz" "$tgz"
fi
mkdir -p "$out"
tar -xzf "$tgz" -C "$out" --strip-components=2 package/dist/uPlot.iife.min.js package/dist/uPlot.min.css
tar -xzf "$tgz" -O package/LICENSE > "$out/uPlot.LICENSE"
