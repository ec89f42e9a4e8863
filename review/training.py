"""Intents and FAQ topics a correction can choose, and the export of corrections as Rasa NLU YAML."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

import yaml

OUT_OF_SCOPE = "out_of_scope"
# Intents that are about the dialogue machinery, not something a family says.
HIDDEN = {"nlu_fallback"}


def known_intents(nlu_dir: Path) -> List[str]:
    """Intent names (FAQ topics as "faq/<topic>") in the training data, sorted."""
    names: Set[str] = set()
    for path in sorted(nlu_dir.glob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        for item in doc.get("nlu") or []:
            if isinstance(item, dict) and item.get("intent"):
                names.add(str(item["intent"]))
    names.add(OUT_OF_SCOPE)
    return sorted(names - HIDDEN)


def existing_examples(nlu_dir: Path) -> Set[Tuple[str, str]]:
    """(intent, example) pairs already in the training data."""
    out: Set[Tuple[str, str]] = set()
    for path in sorted(nlu_dir.glob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        for item in doc.get("nlu") or []:
            if isinstance(item, dict) and item.get("intent") and isinstance(item.get("examples"), str):
                for line in item["examples"].splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        out.add((str(item["intent"]), line[2:].strip()))
    return out


def example_text(text: str) -> str:
    """One line of masked text that Rasa reads back as the same plain text (no entity markup)."""
    text = " ".join(text.split())
    # "[x](y)", "[x]{...}" and "[x][...]" are entity annotations in Rasa's format.
    return re.sub(r"\](?=[({\[])", "] ", text)


def to_yaml(corrections: Iterable[Tuple[str, str]], skip: Set[Tuple[str, str]] = frozenset()) -> str:
    """Rasa NLU YAML (version "3.1") of (intent, masked text) pairs, grouped by intent."""
    groups: Dict[str, List[str]] = defaultdict(list)
    for intent, text in corrections:
        line = example_text(text)
        if line and line not in groups[intent] and (intent, line) not in skip:
            groups[intent].append(line)
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(groups):
        if not groups[intent]:
            continue
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {ex}" for ex in groups[intent])
    if len(lines) == 2:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"
