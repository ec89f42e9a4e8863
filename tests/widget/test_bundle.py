"""The committed bundle is what the source builds to, and it stays small."""
from __future__ import annotations

import gzip
import shutil
import subprocess

import pytest

from tests.support.servers import ROOT

BUNDLE = ROOT / "widget" / "dist" / "barnekoordinator-widget.js"
MAX_GZIPPED_BYTES = 30_000


def test_committed_bundle_matches_the_source():
    if shutil.which("npm") is None:
        pytest.fail("npm is needed to rebuild the widget bundle and compare it (Node.js 20)")
    result = subprocess.run(
        [str(ROOT / "widget" / "build.sh"), "--check"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_bundle_is_small():
    assert len(gzip.compress(BUNDLE.read_bytes(), compresslevel=9)) < MAX_GZIPPED_BYTES


def test_bundle_never_builds_html_from_strings():
    source = "\n".join(p.read_text() for p in (ROOT / "widget" / "src").glob("*.js"))
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert risky not in source, risky
