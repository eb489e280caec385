#!/usr/bin/env bash
# Checks every published package as the ecosystem's own tools see it, from the tarball `npm pack`
# would publish: publint (package.json fields, exports, files) and arethetypeswrong (types for
# every resolution mode: node10, node16 from CommonJS and from ESM, bundler). Run after the build.
# Packages are checked three at a time (each check mostly waits on packing and reading files);
# each one's report is printed whole, in order.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PACKAGES=(core keyv-adapter cache-manager-store express-session-store unstorage-driver bentocache-driver next-cache-handler otel cli)
BIN="$PWD/node_modules/.bin"
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/dalli-check-packages-XXXXXX")"
trap 'rm -rf "$LOGS"' EXIT

check() {
  local package="$1"
  local failed=0
  {
    echo "== packages/$package"
    (cd "packages/$package" && "$BIN/publint" --strict) || failed=1
    (cd "packages/$package" && "$BIN/attw" --pack . --format table-flipped) || failed=1
  } >"$LOGS/$package.log" 2>&1
  echo "$failed" >"$LOGS/$package.status"
}

for package in "${PACKAGES[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n; done
  check "$package" &
done
wait

status=0
for package in "${PACKAGES[@]}"; do
  cat "$LOGS/$package.log"
  [ "$(cat "$LOGS/$package.status")" = 0 ] || status=1
done
exit $status
