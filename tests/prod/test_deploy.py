"""The deployment files kommune IT installs: systemd units, nginx site, production credentials."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.services import install_services

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").iterdir())


def installed_units(tmp_path: Path) -> list:
    """The units as installed in this checkout instead of /opt/barnekoordinator."""
    out = []
    for unit in UNITS:
        name = unit.name.replace("@.", "@5005.")
        target = tmp_path / name
        target.write_text(unit.read_text().replace("/opt/barnekoordinator", str(ROOT)))
        out.append(target)
    return out


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_units_verify(tmp_path):
    units = installed_units(tmp_path)
    assert {u.name for u in units} >= {"barnekoordinator-rasa@5005.service",
                                        "barnekoordinator-actions@5005.service",
                                        "barnekoordinator.target"}
    r = subprocess.run(["systemd-analyze", "verify", *map(str, units)], capture_output=True,
                       text=True)
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr
    # The same check refuses a broken unit, so a typo in ours would fail here.
    bad = tmp_path / "broken.service"
    bad.write_text(units[0].read_text().replace("ExecStart=", "ExecStrat="))
    assert subprocess.run(["systemd-analyze", "verify", str(bad)], capture_output=True).returncode


@pytest.mark.e2e  # installs nginx from Debian when missing
def test_nginx_site_is_valid_and_limits_requests(tmp_path, monkeypatch):
    install_services()
    monkeypatch.setenv("PROD_DIR", str(tmp_path / "prod"))
    sys.path.insert(0, str(ROOT))
    from scripts import prod_config

    s = prod_config.settings()
    prod_dir = tmp_path / "prod"
    (prod_dir / "nginx").mkdir(parents=True)
    (prod_dir / "logs").mkdir()
    site = prod_config.render_site(s)
    (prod_dir / "nginx" / "site.conf").write_text(site)
    (prod_dir / "nginx.conf").write_text(prod_config.nginx_conf(s, prod_dir))
    r = subprocess.run(["nginx", "-t", "-c", str(prod_dir / "nginx.conf")], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    assert "client_max_body_size 256k" in site
    assert "limit_req zone=bk_per_ip" in site and "limit_req_status 429" in site
    assert "ip_hash" in site  # socket.io is sticky


def test_production_credentials_protect_rest_and_endpoints_use_the_atomic_lock_store():
    credentials = yaml.safe_load((ROOT / "deploy" / "credentials.production.yml").read_text())
    assert "rest" not in credentials and "bot.channels.rest.SafeRestInput" not in credentials
    assert "bot.channels.rest_token.TokenRestInput" in credentials
    endpoints = yaml.safe_load((ROOT / "bot" / "endpoints.production.yml").read_text())
    assert endpoints["lock_store"]["type"] == "bot.stores.lock_store.AtomicRedisLockStore"
    assert endpoints["tracker_store"]["dialect"] == "postgresql"


def test_the_production_entry_point_refuses_enable_api():
    r = subprocess.run([sys.executable, "-m", "bot.serve", "run", "--enable-api"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "--enable-api" in r.stderr
