"""Review app settings, all from environment variables with their defaults in this one place."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]


def database_url(env: Mapping[str, str]) -> str:
    """Where the tracker store is: REVIEW_DB_URL, else the DB_* variables of
    bot/endpoints.production.yml (PostgreSQL), else the SQLite file TRACKER_DB."""
    if env.get("REVIEW_DB_URL"):
        return env["REVIEW_DB_URL"]
    if env.get("DB_HOST"):
        user = quote(env.get("DB_USER", ""), safe="")
        password = quote(env.get("DB_PASSWORD", ""), safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        port = f":{env['DB_PORT']}" if env.get("DB_PORT") else ""
        return f"postgresql://{auth}{env['DB_HOST']}{port}/{env.get('DB_NAME', 'rasa')}"
    path = Path(env.get("TRACKER_DB", "var/tracker.db"))
    if not path.is_absolute():
        path = ROOT / path
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class Settings:
    db_url: str
    host: str = "127.0.0.1"
    port: int = 8090
    # Signing key for session cookies. Without it a random key is kept in the app's own table.
    secret: Optional[str] = None
    session_minutes: int = 480
    lockout_after: int = 5
    lockout_minutes: int = 15
    page_size: int = 25
    timezone: str = "Europe/Oslo"
    # Seconds between two looks for new events in the tracker store.
    refresh_seconds: float = 2.0
    secure_cookies: bool = False
    nlu_dir: Path = field(default=ROOT / "data" / "nlu")
    export_file: Path = field(default=ROOT / "var" / "review" / "corrections.yml")

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        export = Path(env.get("REVIEW_EXPORT_FILE", "var/review/corrections.yml"))
        return cls(
            db_url=database_url(env),
            host=env.get("REVIEW_HOST", "127.0.0.1"),
            port=int(env.get("REVIEW_PORT", "8090")),
            secret=env.get("REVIEW_SECRET") or None,
            session_minutes=int(env.get("REVIEW_SESSION_MINUTES", "480")),
            lockout_after=int(env.get("REVIEW_LOCKOUT_AFTER", "5")),
            lockout_minutes=int(env.get("REVIEW_LOCKOUT_MINUTES", "15")),
            page_size=int(env.get("REVIEW_PAGE_SIZE", "25")),
            timezone=env.get("REVIEW_TIMEZONE", "Europe/Oslo"),
            refresh_seconds=float(env.get("REVIEW_REFRESH_SECONDS", "2")),
            secure_cookies=env.get("REVIEW_SECURE_COOKIES", "0") == "1",
            nlu_dir=Path(env.get("REVIEW_NLU_DIR", str(ROOT / "data" / "nlu"))),
            export_file=export if export.is_absolute() else ROOT / export,
        )
