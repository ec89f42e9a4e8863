"""Play scripted family conversations against the running assistant and score what it answered.

A conversation (tests/dialogue/blind_conversations.yml) is a list of user turns, each with what
the reply must contain (`expect`: question:child_status, topic:cost, outcome:likely, stopped,
...). Replies are recognised by the domain responses they contain, so the texts can change in
knowledge/ without touching the sets. REST conversations use the REST channel, SMS ones the
signed SMS webhook, as a gateway would.
"""
from __future__ import annotations

import random
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set

import requests
import yaml

from bot.channels.sms_text import markdown_to_sms

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DIR = ROOT / "bot" / "domain"

# What each expectation accepts, as response names.
QUESTION_RESPONSES = {
    "child_status": {"utter_ask_child_status", "utter_ask_child_status_again"},
    "serious_condition": {"utter_ask_serious_condition", "utter_ask_serious_condition_again"},
    "long_term_needs": {"utter_ask_long_term_needs", "utter_ask_long_term_needs_again"},
    "which_child": {"utter_ask_which_child"},
}
REASKS = {"utter_reask_child_status", "utter_reask_child_status_impossible", "utter_reask_yes_no",
          "utter_ask_which_child"}
OUTCOMES = {
    "likely": {"utter_eligibility_likely"},
    "likely_not": {"utter_eligibility_likely_not", "utter_eligibility_adult"},
    "unclear": {"utter_eligibility_unclear"},
    "stopped": {"utter_eligibility_stopped"},
    "handoff": {"utter_handoff"},
}
OTHER = {
    "out_of_scope": {"utter_out_of_scope"},
    "offer": {"utter_offer_check"},
    # The same as question:which_child (set 7's brief wrote it without "question:").
    "which_child": {"utter_ask_which_child"},
}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", markdown_to_sms(text).lower()).split())


def load_responses(domain_dir: Path = DOMAIN_DIR) -> Dict[str, str]:
    """Response name -> its first text variant, from every domain file (generated ones too)."""
    out: Dict[str, str] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses")
                               or {}).items():
            if variants and variants[0].get("text"):
                out[name] = variants[0]["text"]
    return out


class ReplyReader:
    """Which responses a reply contains, judged by the first line of each response."""

    def __init__(self, responses: Dict[str, str]) -> None:
        self._keys = {name: _norm(text.splitlines()[0]) for name, text in responses.items()}
        # A longer first line that contains a shorter one must not count as both.
        self._names = sorted(self._keys, key=lambda n: len(self._keys[n]), reverse=True)

    def responses_in(self, reply: str) -> Set[str]:
        text = _norm(reply)
        found: Set[str] = set()
        for name in self._names:
            key = self._keys[name]
            if key and key in text:
                found.add(name)
                text = text.replace(key, " ", 1)
        return found


def expected_responses(expect: str) -> Set[str]:
    kind, _, value = expect.partition(":")
    if kind == "question":
        return QUESTION_RESPONSES[value]
    if kind == "topic":
        return {f"utter_faq/{value}"}
    if kind == "outcome":
        return OUTCOMES[value]
    if expect == "reask":
        return REASKS
    if expect in OUTCOMES:
        return OUTCOMES[expect]
    return OTHER[expect]


@dataclass
class TurnResult:
    user: str
    expect: str
    reply: str
    found: List[str]
    ok: bool


@dataclass
class ConversationResult:
    id: str
    style: str
    channel: str
    outcome: str
    turns: List[TurnResult] = field(default_factory=list)

    @property
    def outcome_ok(self) -> bool:
        return bool(self.turns) and self.turns[-1].ok

    @property
    def all_turns_ok(self) -> bool:
        return all(t.ok for t in self.turns)


class RestClient:
    def __init__(self, rasa_url: str) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"

    def say(self, sender: str, text: str) -> str:
        r = requests.post(self.url, json={"sender": sender, "message": text}, timeout=60)
        r.raise_for_status()
        return "\n".join(m.get("text") or "" for m in r.json())


class SmsClient:
    """Posts like the gateway does, signed with the test auth token."""

    def __init__(self, rasa_url: str, auth_token: str) -> None:
        from twilio.request_validator import RequestValidator

        self.url = f"{rasa_url}/webhooks/sms/webhook"
        self.validator = RequestValidator(auth_token)

    def say(self, number: str, text: str) -> str:
        form = {"From": number, "To": "+4700000000", "Body": text,
                "MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": "ACtest"}
        headers = {"X-Twilio-Signature": self.validator.compute_signature(self.url, form)}
        r = requests.post(self.url, data=form, headers=headers, timeout=60)
        r.raise_for_status()
        return "\n".join(m.text or "" for m in ET.fromstring(r.content).findall("Message"))


def play(conversation: Dict, rest: RestClient, sms: Optional[SmsClient],
         reader: ReplyReader) -> ConversationResult:
    result = ConversationResult(conversation["id"], conversation.get("style", ""),
                                conversation.get("channel", "rest"), conversation["outcome"])
    over_sms = result.channel == "sms" and sms is not None
    # +47 00.. is no Norwegian subscriber range: a test number, never a real phone.
    who = ("+4700" + "".join(random.choice("0123456789") for _ in range(6)) if over_sms
           else f"blind-{conversation['id']}-{uuid.uuid4().hex[:8]}")
    for turn in conversation["turns"]:
        reply = sms.say(who, turn["user"]) if over_sms else rest.say(who, turn["user"])
        found = reader.responses_in(reply)
        ok = bool(found & expected_responses(turn["expect"]))
        result.turns.append(TurnResult(turn["user"], turn["expect"], reply, sorted(found), ok))
    return result


def load_conversations(path: Path) -> List[Dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def summary(results: List[ConversationResult]) -> Dict:
    def share(items: List[bool]) -> float:
        return sum(items) / len(items) if items else 0.0

    groups: Dict[str, Dict[str, List[bool]]] = {}
    for r in results:
        for key in (f"outcome:{r.outcome}", f"style:{r.style}", f"channel:{r.channel}"):
            groups.setdefault(key, {"outcome": []})["outcome"].append(r.outcome_ok)
    turns = [t.ok for r in results for t in r.turns]
    return {
        "conversations": len(results),
        "right_outcome": sum(r.outcome_ok for r in results),
        "all_turns_right": sum(r.all_turns_ok for r in results),
        "turns": len(turns),
        "turns_right": sum(turns),
        "groups": {k: {"n": len(v["outcome"]), "right_outcome": share(v["outcome"])}
                   for k, v in sorted(groups.items())},
        "failures": [
            {"id": r.id, "style": r.style, "channel": r.channel,
             "turns": [{"user": t.user, "expect": t.expect, "found": t.found, "ok": t.ok,
                        "reply": t.reply[:300]} for t in r.turns]}
            for r in results if not r.all_turns_ok
        ],
    }
