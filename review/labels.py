"""Norwegian labels and formats for what staff read (channel, outcome, intent, dates, numbers)."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parents[1]

CHANNELS = {"widget": "Nettprat", "sms": "SMS", "rest": "REST"}
OUTCOMES = {
    "likely": "Trolig rett",
    "likely_not": "Trolig ikke rett",
    "unclear": "Uklart",
    "abandoned": "Sjekk ikke fullført",
    "none": "Ingen sjekk",
}
STATUSES = {"unreviewed": "Ikke gjennomgått", "reviewed": "Gjennomgått", "flagged": "Flagget"}
ACTIONS = {
    "login": "logget inn", "open": "åpnet", "delete": "slettet", "export": "eksporterte rettelser",
    "correct": "rettet", "undo_correction": "angret rettelse", "lockout": "konto låst",
    "user_created": "opprettet bruker", "user_updated": "endret bruker", "user_unlock": "låste opp bruker",
    "user_deactivate": "slo av bruker", "user_activate": "slo på bruker",
}
ROLES = {"reviewer": "Gjennomgår", "admin": "Administrator"}
MONTHS = ["jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."]
# Plain names for intents that are not FAQ topics.
INTENTS = {
    "affirm": "ja", "deny": "nei", "dont_know": "vet ikke", "greet": "hilsen", "goodbye": "ha det",
    "thanks": "takk", "help": "hjelp", "restart": "start på nytt", "stop": "stopp",
    "bot_challenge": "er du en robot?", "check_eligibility": "sjekke rett", "inform": "svar i sjekken",
    "request_human": "vil snakke med et menneske", "frustration": "frustrasjon",
    "out_of_scope": "utenfor det assistenten svarer på", "nlu_fallback": "forsto ikke", "faq": "spørsmål",
}


@lru_cache(maxsize=1)
def topic_titles() -> Dict[str, str]:
    """Topic id -> its title in knowledge/topics (e.g. "cost" -> "Koster det noe?")."""
    out: Dict[str, str] = {}
    for path in sorted((ROOT / "knowledge" / "topics").glob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        if isinstance(doc, dict) and doc.get("title"):
            out[str(doc.get("id") or path.stem)] = str(doc["title"])
    return out



def channel(value: Optional[str]) -> str:
    return CHANNELS.get(value or "", value or "ukjent")


def outcome(value: Optional[str]) -> str:
    return OUTCOMES.get(value or "none", value or "")


def intent(name: Optional[str]) -> str:
    """"faq/cost" -> "tema: cost"; known intents get a plain Norwegian name beside the code."""
    if not name:
        return "ukjent"
    if name.startswith("faq/"):
        title = topic_titles().get(name[4:])
        return f"Tema: {title}" if title else f"Tema: {name[4:]}"
    plain = INTENTS.get(name)
    return f"{name} ({plain})" if plain else name


def when(ts: Optional[float], tz: ZoneInfo) -> str:
    if ts is None:
        return ""
    d = datetime.fromtimestamp(ts, tz)
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year} kl. {d:%H.%M}"


def clock(ts: Optional[float], tz: ZoneInfo) -> str:
    return "" if ts is None else datetime.fromtimestamp(ts, tz).strftime("%H.%M.%S")


def iso(ts: Optional[float], tz: ZoneInfo) -> str:
    return "" if ts is None else datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


def percent(part: int, whole: int) -> str:
    if not whole:
        return "0 %"
    return f"{round(100 * part / whole)} %"


def confidence(value: Optional[float]) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def day(d) -> str:
    """A date as staff write it: "3. nov. 2026"."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"
