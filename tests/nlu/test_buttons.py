"""Every button works: each payload in the domain reaches the intent or topic it stands for.

Buttons send their title as text (never "/intent"), so the trained model must understand each of
them; inside the eligibility check the answer buttons must fill the open question.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Dict, Set

import pytest
import yaml

from actions.eligibility import EXPECTING, NO, UNKNOWN, YES
from actions.eligibility_turn import read_turn
from actions.knowledge import load_knowledge
from scripts.eval_nlu import predicted_label

ROOT = Path(__file__).resolve().parents[2]

# What a button stands for, where its title is not a topic's title (those map to the topic).
BUTTON_TARGETS: Dict[str, str] = {
    "Sjekk om dere kan ha rett": "check_eligibility",
    "Snakk med et menneske": "request_human",
    "Hva kan du hjelpe med?": "help",
    "Hvem har rett til barnekoordinator?": "faq/who_is_entitled",
    "Ja": "affirm",
    "Nei": "deny",
    "Vet ikke": "dont_know",
    "Vi venter barn": "inform",
}
# The answer buttons of the check and what they fill.
CHECK_BUTTONS = {
    "child_status": {"Vi venter barn": EXPECTING, "Vet ikke": UNKNOWN},
    "serious_condition": {"Ja": YES, "Nei": NO, "Vet ikke": UNKNOWN},
    "long_term_needs": {"Ja": YES, "Nei": NO, "Vet ikke": UNKNOWN},
}


def domain_payloads() -> Set[str]:
    payloads = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        for items in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).values():
            for item in items:
                payloads.update(b["payload"] for b in item.get("buttons") or [])
    return payloads


def targets() -> Dict[str, str]:
    by_title = {t.title: f"faq/{t.id}" for t in load_knowledge().topics.values()}
    return {p: BUTTON_TARGETS.get(p) or by_title.get(p) for p in domain_payloads()}


def test_every_button_has_a_known_target():
    unknown = sorted(p for p, target in targets().items() if target is None)
    assert not unknown, f"buttons without a target (add them to BUTTON_TARGETS): {unknown}"


@pytest.mark.model
def test_every_button_reaches_its_intent_or_topic(nlu_agent):
    async def parse_all():
        return {p: predicted_label(await nlu_agent.parse_message(p)) for p in targets()}

    predicted = asyncio.run(parse_all())
    wrong = {p: (predicted[p], t) for p, t in targets().items() if predicted[p] != t}
    assert not wrong, f"button -> (understood as, should be): {wrong}"


@pytest.mark.parametrize("slot, payload, value", [
    (slot, payload, value) for slot, buttons in CHECK_BUTTONS.items()
    for payload, value in buttons.items()])
def test_check_buttons_fill_the_open_question(slot, payload, value):
    questions = load_knowledge().eligibility["questions"]
    assert payload in questions[slot]["buttons"]
    assert read_turn(payload, slot, BUTTON_TARGETS[payload], 1.0).slots[slot] == value
