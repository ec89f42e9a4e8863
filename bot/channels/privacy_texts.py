"""What the channels tell families about storage and deletion, from knowledge/privacy/notices.yml."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Optional
from urllib.parse import urlsplit

import yaml

from actions.knowledge import knowledge, knowledge_dir
from bot.stores.retention import retention_days

SMS_DELETE_KEYWORD = "SLETT"


@lru_cache(maxsize=4)
def _texts(path: str) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def texts() -> Dict[str, Any]:
    return _texts(str(knowledge_dir() / "privacy" / "notices.yml"))


def privacy_url(kommune: Optional[str] = None) -> str:
    """The kommune's privacy page, or "" if the profile has none (or not an http(s) address)."""
    url = str(knowledge().profile(kommune).get("privacy_url") or "").strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def days_text(days: int) -> str:
    unit = texts()["days"]["one" if days == 1 else "many"]
    return f"{days} {unit}"


def sms_notice(days: Optional[int] = None, kommune: Optional[str] = None) -> str:
    """The sentence the first SMS of a conversation starts with (and the link, if any)."""
    sms = texts()["sms"]
    days = retention_days() if days is None else days
    out = sms["notice"].format(days=days_text(days), keyword=SMS_DELETE_KEYWORD)
    url = privacy_url(kommune)
    if url:
        out += " " + sms["privacy_link"].format(privacy_url=url)
    return out


def sms_deleted_text() -> str:
    return texts()["sms"]["deleted"]


def widget_privacy_info(kommune: Optional[str] = None) -> Dict[str, Any]:
    """What the widget needs to write its own notice (in the page's language)."""
    return {"retention_days": retention_days(), "privacy_url": privacy_url(kommune)}
