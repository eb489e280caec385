#!/usr/bin/env bash
# The project's demo: installs what is missing, builds, and runs the tour against a local
# memcached that the tour starts and stops itself. Extra arguments go to the tour.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
log "build"
pnpm run build >/dev/null
node examples/tour/tour.mjs "$@"
