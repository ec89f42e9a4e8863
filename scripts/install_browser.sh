#!/usr/bin/env bash
# Install Chromium and fonts from Debian for the browser tests; does nothing when already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "Chromium is installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_browser.sh: run as root (or install sudo) to install Chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# fonts-dejavu-core and fonts-liberation2 give Latin glyphs incl. æøå, so screenshots and
# text measurements are stable on a bare server.
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation2
/usr/bin/chromium --version
