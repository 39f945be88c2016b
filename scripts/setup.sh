#!/usr/bin/env bash
# Installs what the main job (run) or the tests (test) need, idempotently, on a machine that starts with the
# .NET SDK, Node and npm. System packages are installed only when missing and only with apt-get as root;
# otherwise the script says what to install.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-test}

log() { echo "setup: $*" >&2; }

need_apt() { # package, command-or-path that proves it is there
  local pkg=$1 probe=$2
  if command -v "$probe" >/dev/null 2>&1 || [ -e "$probe" ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing $pkg"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null; }
  else
    log "missing $pkg ($probe); install it with your package manager"
    return 1
  fi
}

npm_ci() { # folder with package.json + package-lock.json
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci in ${dir#$root/}"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

command -v dotnet >/dev/null || { log "the .NET 10 SDK is required: https://dot.net"; exit 1; }
command -v npm >/dev/null || { log "Node.js 20+ and npm are required to render the report"; exit 1; }

npm_ci "$root/reports"
if [ "$mode" = test ]; then
  npm_ci "$root/drivers/interop"
  need_apt default-jre-headless java || true
  need_apt postgresql /usr/lib/postgresql/15/bin/initdb || true
fi
