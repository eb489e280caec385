#!/usr/bin/env bash
# The benchmark: installs what is missing, builds, and runs bench/ (arguments pass through, e.g. --quick).
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
log "build"
pnpm run build >/dev/null
node bench/src/main.mjs "$@"
