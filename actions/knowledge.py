"""Load knowledge/ (topics, sources, eligibility texts, kommune profiles) and render answers."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
DEFAULT_KOMMUNE = "tromso"
# Opens the line that names an answer's sources (the SMS channel sends it last when space is short).
SOURCE_LABEL = "Kilde:"


def knowledge_dir() -> Path:
    """The knowledge folder: $KNOWLEDGE_DIR, default ./knowledge beside the code."""
    return Path(os.environ.get("KNOWLEDGE_DIR", DEFAULT_KNOWLEDGE_DIR))


def kommune_id() -> str:
    """The active kommune profile: $KOMMUNE (file name in knowledge/kommuner/), default tromso."""
    return os.environ.get("KOMMUNE", DEFAULT_KOMMUNE)


@dataclass(frozen=True)
class SourceRef:
    doc: str
    section: Optional[str] = None


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    answer: str
    sources: List[SourceRef]
    next_step: Optional[str] = None
    buttons: List[str] = field(default_factory=list)


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def source_refs(raw: Optional[List[Mapping[str, Any]]]) -> List[SourceRef]:
    return [SourceRef(doc=str(s["doc"]), section=s.get("section")) for s in raw or []]


def profile_values(profile: Mapping[str, Any]) -> Dict[str, str]:
    """Flatten a kommune profile into the placeholders answers may use."""
    contact = profile["contact"]
    coordinators = profile.get("coordinators") or {}
    return {
        "kommune": profile["name"],
        "contact_name": contact["name"],
        "contact_phone": contact["phone"],
        "contact_email": contact["email"],
        "contact_role": contact.get("role", ""),
        "coordinators_who": coordinators.get("who", ""),
        "coordinators_complex_cases": coordinators.get("complex_cases", ""),
        "general_contact": (profile.get("general_contact") or {}).get("web", ""),
    }


def fill(text: str, values: Mapping[str, str]) -> str:
    """Fill {placeholders}; an unknown placeholder raises KeyError (caught by the tests)."""
    filled = text.format_map(dict(values))
    # A placeholder whose value is empty must not leave blank lines behind.
    return "\n".join(line.rstrip() for line in filled.splitlines() if line.strip()).strip()


@dataclass(frozen=True)
class Knowledge:
    root: Path
    topics: Dict[str, Topic]
    sources: Dict[str, Dict[str, str]]
    eligibility: Dict[str, Any]
    handoff: Dict[str, Any]
    scope: Dict[str, Any]
    profiles: Dict[str, Dict[str, Any]]

    def profile(self, kommune: Optional[str] = None) -> Dict[str, Any]:
        key = kommune or kommune_id()
        if key not in self.profiles:
            raise KeyError(f"no kommune profile {key!r} in {self.root / 'kommuner'}")
        return self.profiles[key]

    def values(self, kommune: Optional[str] = None) -> Dict[str, str]:
        return profile_values(self.profile(kommune))

    def source_line(self, refs: List[SourceRef]) -> str:
        """One short line naming where an answer comes from, e.g. 'Kilde: Nettsiden «...» (Koster det noe?)'."""
        parts: List[str] = []
        for ref in refs:
            label = self.sources[ref.doc]["short"]
            if ref.section and ref.section not in label:
                label += f" ({ref.section})"
            if label not in parts:
                parts.append(label)
        return f"{SOURCE_LABEL} " + "; ".join(parts)

    def render(self, topic_id: str, kommune: Optional[str] = None, with_source: bool = True) -> str:
        """The full answer a family reads: answer, next step, and the source line."""
        topic = self.topics[topic_id]
        values = self.values(kommune)
        blocks = [fill(topic.answer, values)]
        if topic.next_step:
            blocks.append(fill(topic.next_step, values))
        if with_source:
            blocks.append(self.source_line(topic.sources))
        return "\n\n".join(blocks)

    def text(self, section: Mapping[str, Any], key: str, kommune: Optional[str] = None) -> str:
        """A profile-filled text from eligibility.yml or handoff.yml (value may be str or {text})."""
        value = section[key]
        if isinstance(value, Mapping):
            value = value["text"]
        return fill(value, self.values(kommune))


def load_knowledge(root: Optional[Path] = None) -> Knowledge:
    """Read every file in knowledge/ (uncached; use `knowledge()` in long-running code)."""
    root = Path(root) if root else knowledge_dir()
    topics = {}
    for path in sorted((root / "topics").glob("*.yml")):
        raw = _read_yaml(path)
        topic = Topic(
            id=raw["id"],
            title=raw["title"],
            answer=raw["answer"],
            sources=source_refs(raw.get("sources")),
            next_step=raw.get("next_step"),
            buttons=list(raw.get("buttons") or []),
        )
        if topic.id != path.stem:
            raise ValueError(f"{path}: id {topic.id!r} must match the file name")
        topics[topic.id] = topic
    profiles = {p.stem: _read_yaml(p) for p in sorted((root / "kommuner").glob("*.yml"))}
    return Knowledge(
        root=root,
        topics=topics,
        sources={str(k): v for k, v in _read_yaml(root / "sources.yml").items()},
        eligibility=_read_yaml(root / "eligibility.yml"),
        handoff=_read_yaml(root / "handoff.yml"),
        scope=_read_yaml(root / "scope.yml"),
        profiles=profiles,
    )


@lru_cache(maxsize=4)
def knowledge(root: Optional[str] = None) -> Knowledge:
    """Cached knowledge for servers; read on first use, not at import."""
    return load_knowledge(Path(root) if root else None)


@lru_cache(maxsize=4)
def channel_texts(root: Optional[str] = None) -> Dict[str, Dict[str, str]]:
    """What the channels say by themselves (knowledge/channels.yml), per channel."""
    return _read_yaml((Path(root) if root else knowledge_dir()) / "channels.yml")


def load_profile(kommune: Optional[str] = None) -> Dict[str, str]:
    """The active kommune's contact placeholders (name, phone, e-mail ...)."""
    return knowledge().values(kommune)
