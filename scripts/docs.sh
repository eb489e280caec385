#!/usr/bin/env bash
# Generates the API reference of the published packages from their TSDoc into docs/api/ (HTML).
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
log "API reference (TypeDoc)"
pnpm --filter @dalli/docs run build
log "open docs/api/index.html"
