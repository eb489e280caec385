#!/usr/bin/env bash
# The project's test command: build, lint, typecheck, packaging checks, API reference, then the whole suite on Node 20 and on
# Node 24 against real memcached processes the tests start themselves, and a check that the run left
# nothing in /tmp. Ends with one line, "N passed, N failed", summed over both Node versions.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

NODE20="$(node_binary 20 "$NODE20_VERSION")"
NODE24="$(node_binary 24 "$NODE24_VERSION")"
RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
status=0

step() {
  local name="$1" started=$SECONDS; shift
  log "$name"
  if ! "$@"; then log "$name failed"; status=1; fi
  log "$name: $((SECONDS - started)) s"
}

# Suites whose answer cannot depend on the Node version that runs vitest run once, on Node 20, and
# the Node 24 pass leaves them out: the oracles compare our rings and our value and key formats,
# pure JavaScript, with real peers (Ruby Dalli, pylibmc, nutcracker, memjs, memcached@2) and with
# the rings as they were before they were made fast (ring-build-reference, random fleets); the
# runtime suites drive Bun, Deno and workerd, whose versions are pinned; the Next.js example pays
# for a `next build`.
ORACLES=(
  "packages/core/test/integration/distribution/**"
  "packages/core/test/unit/cluster/ring-build-reference.test.ts"
  "packages/core/test/integration/dalli-ring.test.ts"
  "packages/core/test/integration/dalli-interop.test.ts"
  "packages/core/test/integration/value-formats.test.ts"
  "packages/core/test/runtimes/**"
  "examples/workers/**"
  "examples/nextjs-app/**"
)
oracle_exclusions() {
  [ "$1" = 20 ] && return
  for glob in "${ORACLES[@]}"; do printf -- '--exclude\n%s\n' "$glob"; done
}

# Everything the tests put in the temp directory is named dalli-* (the run folder of
# scripts/vitest-global-setup.ts, which holds every scratch directory of the run); other tools'
# files are not ours to count, and entries that were there before are left out. A run of another
# checkout of this project at the same time makes dalli-* entries too: time the check alone.
ours_in_tmp() { find "${TMPDIR:-/tmp}" -mindepth 1 -maxdepth 1 -name 'dalli-*' -printf '%f\n' | sort; }
left_in_tmp() {
  local left
  left="$(comm -13 "$RESULTS/tmp-before.txt" <(ours_in_tmp))"
  [ -z "$left" ] && return 0
  log "$(wc -l <<<"$left") entries left in ${TMPDIR:-/tmp}:"; printf '  %s\n' $left >&2
  return 1
}
ours_in_tmp >"$RESULTS/tmp-before.txt"

# One vitest pass on one Node version; oracles and the like only on Node 20 (see ORACLES).
test_pass() {
  local version="$1" binary_var="NODE$1"
  mapfile -t exclusions < <(oracle_exclusions "$version")
  step "tests on Node $("${!binary_var}" -v)" "${!binary_var}" node_modules/vitest/vitest.mjs run \
    --reporter=default --reporter=json --outputFile.json="$RESULTS/node$version.json" "${exclusions[@]}"
  return $status
}

# The static checks are CPU work; the test passes mostly wait on sockets, timers and child
# processes. So they overlap: the checks run beside the Node 20 pass, and the Node 24 pass starts
# once the checks are done. Each background part writes its own log, shown when it ends.
static_checks() {
  step "lint (biome)" pnpm run lint
  step "typecheck (tsc)" pnpm run typecheck
  step "packages as published (publint, attw --pack)" bash scripts/check-packages.sh
  step "API reference (typedoc, warnings are errors)" pnpm --filter @dalli/docs run build
  return $status
}

step "build" pnpm run build
static_checks >"$RESULTS/checks.log" 2>&1 &
checks=$!
test_pass 20 >"$RESULTS/node20.log" 2>&1 &
node20=$!
wait "$checks" || status=1
cat "$RESULTS/checks.log"
test_pass 24 || status=1
wait "$node20" || status=1
cat "$RESULTS/node20.log"

step "nothing left in ${TMPDIR:-/tmp}" left_in_tmp

node scripts/summarize-tests.mjs "$RESULTS/node20.json" "$RESULTS/node24.json" || status=1
exit $status
