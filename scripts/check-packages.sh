#!/usr/bin/env bash
# Checks every published package as the ecosystem's own tools see it, from the tarball `npm pack`
# would publish: publint (package.json fields, exports, files) and arethetypeswrong (types for
# every resolution mode: node10, node16 from CommonJS and from ESM, bundler). Run after the build.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
status=0
for package in core keyv-adapter cache-manager-store express-session-store unstorage-driver bentocache-driver next-cache-handler otel cli; do
  echo "== packages/$package"
  (cd "packages/$package" && pnpm exec publint --strict) || status=1
  (cd "packages/$package" && pnpm exec attw --pack . --format table-flipped) || status=1
done
exit $status
