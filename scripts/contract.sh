#!/usr/bin/env bash
# Starts the app as `npm start` does (embedded database, fresh data directory, demo seed) and runs
# the shared contract checks (../shared/contract) against it.
set -euo pipefail
cd "$(dirname "$0")/.."
contract="${CONTRACT_DIR:-../shared/contract}"
if [ ! -f "$contract/run.mjs" ]; then
  echo "no contract checks at $contract (set CONTRACT_DIR)"; exit 1
fi
[ -f build/index.html ] && [ -f dist/server/main.js ] || npm run build
port="${CONTRACT_PORT:-3999}"
if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then
  echo "port $port already serves something; stop it or set CONTRACT_PORT"; exit 1
fi
data="$(mktemp -d)"
# The compiled server, as `npm start` runs it; node itself runs it (no npx wrapper process), so
# killing $pid stops the server.
PORT="$port" DATA_DIR="$data" node --enable-source-maps dist/server/main.js >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 1
done
BASE_URL="http://127.0.0.1:$port" node "$contract/run.mjs"
