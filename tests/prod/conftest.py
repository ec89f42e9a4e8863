"""One production stack for all tests in tests/prod that need it (scripts/prod.sh)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.prod import existing_stack, running_stack


@pytest.fixture(scope="package")  # stopped when tests/prod is done
def stack(tmp_path_factory):
    """A fresh stack on free ports; PROD_RUNNING=1 uses the one of `make prod` instead."""
    if os.environ.get("PROD_RUNNING") == "1":
        prod = existing_stack(Path(os.environ.get("PROD_DIR", "var/prod")))
        prod.wait_healthy(timeout=30)
        yield prod
        return
    # Not under pytest's tmp folder: PostgreSQL runs as user postgres and must reach its data.
    workdir = Path(tempfile.mkdtemp(prefix="bk-prod-"))
    workdir.chmod(0o711)
    try:
        with running_stack(workdir) as prod:
            yield prod
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
