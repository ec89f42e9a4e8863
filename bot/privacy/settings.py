"""Masking settings: which personal data is masked, from environment variables (one place).

| variable          | default | what |
| ----------------- | ------- | ---- |
| `MASKING`         | `on`    | `off` (exactly) stores text as typed and logs a warning at start; anything else keeps masking on |
| `MASK_CATEGORIES` | `all`   | comma-separated categories to mask: NAVN, FØDSELSNUMMER, TELEFON, E-POST, NETTADRESSE, ADRESSE, NUMMER, HELSE (also FODSELSNUMMER, FNR, EPOST, URL) |
| `MASK_HEALTH`     | the kommune profile's `privacy: {mask_health: ...}`, else `true` | `false` keeps diagnoses and conditions readable |
| `KOMMUNE`         | `tromso` | the kommune profile in knowledge/kommuner/ |
| `MASK_NER_MODEL`  | `nb_barnekoordinator_sm` | spaCy pipeline whose PER entities are names |
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import FrozenSet, Mapping, Optional

import yaml

logger = logging.getLogger(__name__)

NAVN = "NAVN"
FODSELSNUMMER = "FØDSELSNUMMER"
TELEFON = "TELEFON"
EPOST = "E-POST"
NETTADRESSE = "NETTADRESSE"
ADRESSE = "ADRESSE"
NUMMER = "NUMMER"
HELSE = "HELSE"

CATEGORIES: FrozenSet[str] = frozenset(
    {NAVN, FODSELSNUMMER, TELEFON, EPOST, NETTADRESSE, ADRESSE, NUMMER, HELSE})

_ALIASES = {
    "NAVN": NAVN, "NAME": NAVN,
    "FØDSELSNUMMER": FODSELSNUMMER, "FODSELSNUMMER": FODSELSNUMMER, "FNR": FODSELSNUMMER,
    "TELEFON": TELEFON, "PHONE": TELEFON,
    "E-POST": EPOST, "EPOST": EPOST, "EMAIL": EPOST,
    "NETTADRESSE": NETTADRESSE, "URL": NETTADRESSE,
    "ADRESSE": ADRESSE, "ADDRESS": ADRESSE,
    "NUMMER": NUMMER, "NUMBER": NUMMER,
    "HELSE": HELSE, "HEALTH": HELSE,
}

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nei"}


@dataclass(frozen=True)
class MaskingSettings:
    """What mask_text masks. The default masks everything."""

    enabled: bool = True
    categories: FrozenSet[str] = field(default_factory=lambda: CATEGORIES)
    mask_health: bool = True

    @property
    def active(self) -> FrozenSet[str]:
        if not self.enabled:
            return frozenset()
        if self.mask_health:
            return self.categories
        return self.categories - {HELSE}


def parse_categories(value: Optional[str]) -> FrozenSet[str]:
    """`all` or empty: every category; else a comma/space separated list. Unknown: ValueError."""
    if value is None or not value.strip() or value.strip().lower() == "all":
        return CATEGORIES
    out = set()
    for raw in value.replace(";", ",").replace(" ", ",").split(","):
        name = raw.strip().upper()
        if not name:
            continue
        if name not in _ALIASES:
            raise ValueError(
                f"MASK_CATEGORIES: unknown category {raw.strip()!r}; "
                f"use 'all' or some of {', '.join(sorted(CATEGORIES))}")
        out.add(_ALIASES[name])
    return frozenset(out)


def _parse_bool(name: str, value: str) -> bool:
    low = value.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"{name}: expected true or false, got {value!r}")


def _profile_mask_health(environ: Mapping[str, str]) -> Optional[bool]:
    root = Path(environ.get("KNOWLEDGE_DIR") or Path(__file__).resolve().parents[2] / "knowledge")
    path = root / "kommuner" / f"{environ.get('KOMMUNE', 'tromso')}.yml"
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as fh:
        profile = yaml.safe_load(fh) or {}
    privacy = profile.get("privacy") or {}
    value = privacy.get("mask_health")
    return None if value is None else bool(value)


def from_env(environ: Optional[Mapping[str, str]] = None) -> MaskingSettings:
    """Read the settings; logs a warning when masking is turned off or MASKING is unclear."""
    env = os.environ if environ is None else environ
    masking = env.get("MASKING", "on")
    enabled = masking.strip().lower() != "off"
    if not enabled:
        logger.warning(
            "MASKING=off: personal data (names, fødselsnummer, phone numbers, diagnoses) is "
            "stored and logged as typed. Never run like this with real families.")
    elif masking.strip().lower() not in {"on", ""}:
        logger.warning("MASKING=%r is not 'on' or 'off'; masking stays on.", masking)
    if env.get("MASK_HEALTH", "").strip():
        mask_health = _parse_bool("MASK_HEALTH", env["MASK_HEALTH"])
    else:
        from_profile = _profile_mask_health(env)
        mask_health = True if from_profile is None else from_profile
    return MaskingSettings(
        enabled=enabled,
        categories=parse_categories(env.get("MASK_CATEGORIES")),
        mask_health=mask_health,
    )


_current: Optional[MaskingSettings] = None


def current() -> MaskingSettings:
    """The process's settings, read from the environment on first use (and logged then)."""
    global _current
    if _current is None:
        _current = from_env()
    return _current


def reset() -> None:
    """Forget the cached settings (tests, or after changing the environment)."""
    global _current
    _current = None
