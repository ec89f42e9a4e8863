"""Checks that the held-out NLU test set stays separate from, and covers, the training data."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TRAINING_DIR = ROOT / "data" / "nlu"
HELDOUT_FILE = ROOT / "tests" / "nlu" / "heldout.yml"

# Rasa entity annotations: [text](entity), [text]{"entity": ...}, [text]{...}
_ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_PUNCT = str.maketrans({c: " " for c in string.punctuation + "«»–—…’‘“”"})
MIN_HELDOUT_PER_FAQ = 6
MIN_HELDOUT_PER_INTENT = 4


def normalise(text: str) -> str:
    text = _ENTITY.sub(r"\1", text)
    text = text.lower().translate(_PUNCT)
    return " ".join(text.split())


def examples_of(block: str) -> list[str]:
    """The '- text' lines of a Rasa examples block, entity annotations stripped."""
    out = []
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("- "):
            out.append(_ENTITY.sub(r"\1", line[2:].strip()))
    return out


def load_examples(paths: list[Path]) -> dict[str, list[str]]:
    by_intent: dict[str, list[str]] = {}
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu") or []:
            if "intent" in item:
                by_intent.setdefault(item["intent"], []).extend(
                    examples_of(item.get("examples") or "")
                )
    return by_intent


def training() -> dict[str, list[str]]:
    return load_examples(sorted(TRAINING_DIR.rglob("*.yml")))


def heldout() -> dict[str, list[str]]:
    return load_examples([HELDOUT_FILE])


def test_training_data_exists() -> None:
    assert training(), f"no intents found under {TRAINING_DIR}"


def test_no_heldout_message_is_in_training_data() -> None:
    seen = {normalise(text): intent for intent, texts in training().items() for text in texts}
    leaks = [
        f"{intent}: {text!r} (in training as {seen[normalise(text)]})"
        for intent, texts in heldout().items()
        for text in texts
        if normalise(text) in seen
    ]
    assert not leaks, "held-out messages also in data/nlu:\n" + "\n".join(leaks)


def test_heldout_has_no_internal_duplicates() -> None:
    counts: dict[str, int] = {}
    for texts in heldout().values():
        for text in texts:
            counts[normalise(text)] = counts.get(normalise(text), 0) + 1
    assert not [t for t, n in counts.items() if n > 1]


def test_every_training_intent_has_heldout_examples() -> None:
    held = heldout()
    missing = []
    for intent in training():
        need = MIN_HELDOUT_PER_FAQ if intent.startswith("faq/") else MIN_HELDOUT_PER_INTENT
        have = len(held.get(intent, []))
        if have < need:
            missing.append(f"{intent}: {have} held-out examples, need {need}")
    assert not missing, "\n".join(missing)


def test_heldout_has_no_unknown_intents() -> None:
    unknown = set(heldout()) - set(training())
    assert not unknown, f"held-out intents not in training data: {sorted(unknown)}"


BLIND_QUESTIONS = sorted((ROOT / "tests" / "nlu").glob("blind_questions*.yml"))
BLIND_CONVERSATIONS = sorted((ROOT / "tests" / "dialogue").glob("blind_conversations*.yml"))


def blind_messages() -> list[str]:
    texts = []
    for path in BLIND_QUESTIONS:
        texts += [q["text"] for q in yaml.safe_load(path.read_text(encoding="utf-8"))]
    for path in BLIND_CONVERSATIONS:
        texts += [turn["user"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))
                  for turn in c["turns"]]
    return texts


def button_payloads() -> set[str]:
    payloads = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        for items in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).values():
            for item in items:
                payloads.update(normalise(b["payload"]) for b in item.get("buttons") or [])
    return payloads


def test_no_blind_message_is_in_training_data() -> None:
    # The blind sets were written from the sources alone; none of their longer messages may be
    # in data/nlu (short ones such as "ja" or "5" occur in both by nature, and button payloads
    # are trained on purpose so that every button works).
    seen = {normalise(text) for texts in training().values() for text in texts} - button_payloads()
    leaks = [t for t in blind_messages() if len(normalise(t).split()) > 3 and normalise(t) in seen]
    assert not leaks, "blind test messages also in data/nlu:\n" + "\n".join(leaks)
