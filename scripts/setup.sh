#!/usr/bin/env bash
# Create .venv with a Rasa-compatible Python and the pinned dependencies; fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
stamp="$VENV/.setup-stamp"
# Everything that should trigger a reinstall when it changes.
want=$( { cat requirements.lock scripts/setup.sh; cat nlp/packages/*.whl 2>/dev/null || true; } | sha256sum | cut -d" " -f1)

if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

# uv makes the venv and installs the pinned packages (it comes from PyPI).
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check uv >&2 \
    || { apt-get install -y -qq python3-pip >&2 && python3 -m pip install -q --break-system-packages uv >&2; }
  hash -r
fi
uv=$(command -v uv || echo "$HOME/.local/bin/uv")
py=$(scripts/find_python.sh)
echo "setup: using $py" >&2
[ -x "$VENV/bin/python" ] || "$uv" venv -q -p "$py" "$VENV"
"$uv" pip install -q -p "$VENV/bin/python" -r requirements.lock
# The project's own Norwegian spaCy pipeline (built by `make nlp`, committed as a wheel).
for whl in nlp/packages/*.whl; do
  [ -f "$whl" ] && "$uv" pip install -q -p "$VENV/bin/python" --no-deps --reinstall "$whl"
done
# Bytecode for every installed module, once. uv writes no .pyc files, and where
# PYTHONDONTWRITEBYTECODE is set (as on our CI machines) Python writes none either, so every
# start compiled Rasa and TensorFlow from source again: `import tensorflow` took 15-17 s
# instead of 6 s (docs/performance.md). A few files that are not Python 3 (templates, tests
# of other packages) do not compile; that is expected, hence the `|| true`.
site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
"$VENV/bin/python" -m compileall -q -j 0 "$site" >/dev/null 2>&1 || true
echo "$want" > "$stamp"
echo "setup: $VENV ready" >&2
