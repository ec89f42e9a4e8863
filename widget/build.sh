#!/usr/bin/env bash
# Build the widget bundle (npm ci + esbuild). `build.sh --check` fails if the committed bundle is stale.
set -euo pipefail
cd "$(dirname "$0")"

OUT=dist/barnekoordinator-widget.js
if [ ! -x node_modules/.bin/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

build() {
  node_modules/.bin/esbuild src/widget.js --bundle --minify --format=iife --target=es2018 \
    --legal-comments=eof --log-level=warning --outfile="$1" \
    --banner:js="/*! barnekoordinator-widget (Apache-2.0). Includes socket.io-client, engine.io-client, socket.io-parser, engine.io-parser, @socket.io/component-emitter (MIT, (c) Guillermo Rauch and Socket.IO contributors) */"
}

if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  build "$tmp/bundle.js"
  if ! cmp -s "$tmp/bundle.js" "$OUT"; then
    echo "widget/$OUT does not match widget/src: run widget/build.sh and commit the result" >&2
    exit 1
  fi
  echo "widget/$OUT matches widget/src"
  exit 0
fi

build "$OUT"
echo "built widget/$OUT: $(wc -c <"$OUT") bytes, $(gzip -9 -c "$OUT" | wc -c) bytes gzipped"
