#!/usr/bin/env bash
# Runs one example by name, after installing and building what is missing:
#   npm run example express-app            npm run example express-app -- --serve
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
name="${1:-}"
if [ -z "$name" ] || [ ! -f "examples/$name/package.json" ]; then
  names=$(for dir in examples/*/package.json; do basename "$(dirname "$dir")"; done | tr '\n' ' ')
  log "usage: npm run example <name> [-- options]; examples: $names"
  exit 2
fi
shift
log "build"
pnpm run build >/dev/null
cd "examples/$name"
pnpm run --silent start "$@"
