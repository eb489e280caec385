#!/usr/bin/env bash
# The project's test command: build, lint, typecheck, packaging checks, API reference, then the whole suite on Node 20 and on
# Node 24 against real memcached processes the tests start themselves. Ends with one line,
# "N passed, N failed", summed over both Node versions.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

NODE20="$(node_binary 20 "$NODE20_VERSION")"
NODE24="$(node_binary 24 "$NODE24_VERSION")"
RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
status=0

step() {
  local name="$1"; shift
  log "$name"
  if ! "$@"; then log "$name failed"; status=1; fi
}

step "build" pnpm run build
step "lint (biome)" pnpm run lint
step "typecheck (tsc)" pnpm run typecheck
step "packages as published (publint, attw --pack)" bash scripts/check-packages.sh
step "API reference (typedoc, warnings are errors)" pnpm --filter @dalli/docs run build
for version in 20 24; do
  binary_var="NODE$version"
  step "tests on Node $("${!binary_var}" -v)" "${!binary_var}" node_modules/vitest/vitest.mjs run \
    --reporter=default --reporter=json --outputFile.json="$RESULTS/node$version.json"
done

node scripts/summarize-tests.mjs "$RESULTS/node20.json" "$RESULTS/node24.json" || status=1
exit $status
