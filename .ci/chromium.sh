#!/usr/bin/env bash
# Installs Debian's Chromium for the sandbox's browser test (test/sandbox/sandbox.browser.test.ts),
# unless /usr/bin/chromium is already there. Quiet: one line on stderr when it installs.
set -euo pipefail

[ -x /usr/bin/chromium ] && exit 0

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

# The package lists are fetched only when they lack chromium, or are stale enough that installing fails.
if ! apt-cache show chromium >/dev/null 2>&1 || ! install; then
  as_root apt-get update -qq >/dev/null
  install
fi
echo "chromium.sh: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)" >&2
