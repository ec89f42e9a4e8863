"""Throwaway PostgreSQL and Redis servers on loopback for tests (Debian's binaries, own data dirs)."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"  # initdb and postgres refuse to run as root


def install_services() -> None:
    """Install PostgreSQL, Redis and nginx with the project's own script (fast when present)."""
    subprocess.run([str(ROOT / "scripts" / "install_services.sh")], check=True)


def _as_postgres(cmd: List[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", PG_USER, "--"] + cmd
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


@dataclass
class Postgres:
    host: str
    port: int
    user: str
    password: str
    db: str
    datadir: Path

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{self.db}"

    def restart(self) -> None:
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-w", "-m", "fast", "restart"])

    def stop(self) -> None:
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-w", "-m", "fast", "stop"])

    def start(self) -> None:
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-w", "-l",
                      str(self.datadir / "server.log"), "start"])


@contextmanager
def running_postgres(db: str = "rasa", user: str = "rasa", password: str = "test-only-password",
                     max_connections: int = 100) -> Iterator[Postgres]:
    """A fresh PostgreSQL 15 cluster on 127.0.0.1 and a free port, with one database and user."""
    install_services()
    base = Path(tempfile.mkdtemp(prefix="pg-"))
    datadir = base / "data"
    datadir.mkdir()
    if os.geteuid() == 0:
        pw = pwd.getpwnam(PG_USER)
        os.chown(base, pw.pw_uid, pw.pw_gid)
        os.chown(datadir, pw.pw_uid, pw.pw_gid)
    _as_postgres([str(PG_BIN / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8"])
    port = free_port()
    with open(datadir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{base}'\n"
                   f"max_connections = {max_connections}\nfsync = off\n")
    pg = Postgres("127.0.0.1", port, user, password, db, datadir)
    pg.start()
    try:
        psql = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-v",
                "ON_ERROR_STOP=1", "-c"]
        _as_postgres(psql + [f"CREATE USER {user} PASSWORD '{password}'"])
        _as_postgres(psql + [f"CREATE DATABASE {db} OWNER {user}"])
        yield pg
    finally:
        try:
            pg.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Redis:
    host: str
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"


@contextmanager
def running_redis() -> Iterator[Redis]:
    """A redis-server on 127.0.0.1 and a free port, without persistence."""
    install_services()
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG":
                break
            time.sleep(0.1)
        else:
            raise TimeoutError("redis-server did not answer")
        yield Redis("127.0.0.1", port, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
