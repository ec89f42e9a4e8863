#!/usr/bin/env bash
# Print the path of a Python 3.10 or 3.9 interpreter for Rasa, installing one if none exists.
# Order: $RASA_PYTHON, interpreters already on the machine (PATH, pyenv), `uv python install 3.10`,
# then (Debian only) bullseye's python3.9 pinned low, as described in ENVIRONMENT.md.
set -euo pipefail

ok() { "$1" -c 'import sys, ssl, sqlite3, ctypes; sys.exit(0 if (3, 9) <= sys.version_info[:2] <= (3, 10) else 1)' >/dev/null 2>&1; }

# FIND_PYTHON_ROUTE=install skips the interpreters already present (to test the install routes).
route=${FIND_PYTHON_ROUTE:-any}
candidates=()
[ -n "${RASA_PYTHON:-}" ] && candidates+=("$RASA_PYTHON")
[ "$route" = install ] && candidates=()
[ "$route" = install ] || for v in 3.10 3.9; do
  command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
  for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin/python"$v"; do
    [ -x "$p" ] && candidates+=("$p")
  done
done
for p in "${candidates[@]+"${candidates[@]}"}"; do
  if ok "$p"; then echo "$p"; exit 0; fi
done

# The normal route on a machine with internet.
if [ "${FIND_PYTHON_SKIP_UV:-0}" != 1 ] && command -v uv >/dev/null 2>&1 && uv python install 3.10 >&2; then
  p=$(uv python find 3.10 2>/dev/null || true)
  if [ -n "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
fi

# Debian fallback: bullseye's python3.9 with a low pin so nothing else is upgraded from bullseye.
if [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ]; then
  echo "find_python: installing python3.9 from Debian bullseye (low pin)" >&2
  cat > /etc/apt/sources.list.d/bullseye-python.list <<'LIST'
deb http://deb.debian.org/debian bullseye main
deb http://deb.debian.org/debian-security bullseye-security main
LIST
  cat > /etc/apt/preferences.d/bullseye-python <<'PIN'
Package: *
Pin: release n=bullseye
Pin-Priority: 100
PIN
  apt-get update -qq >&2
  # Only the interpreter: python3.9-venv and -distutils cannot be installed on bookworm, so the
  # venv is made by uv and distutils/lib2to3 are unpacked from their packages below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bullseye python3.9 libpython3.9-dev >&2
  tmp=$(mktemp -d)
  chmod 777 "$tmp"
  (cd "$tmp" && apt-get download python3-distutils/bullseye python3-lib2to3/bullseye >&2)
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" /; done
  rm -rf "$tmp"
  if ok /usr/bin/python3.9 && /usr/bin/python3.9 -c "import distutils.sysconfig" 2>/dev/null; then
    echo /usr/bin/python3.9; exit 0
  fi
fi

echo "find_python: no Python 3.9 or 3.10 found and none could be installed." >&2
echo "Install Python 3.10 and set RASA_PYTHON=/path/to/python3.10." >&2
exit 1
