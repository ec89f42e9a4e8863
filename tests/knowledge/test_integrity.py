"""knowledge/ is complete: every topic has an answer, a source, training examples and a test."""
import re
from pathlib import Path

import pytest
import yaml

from actions.knowledge import fill, load_knowledge, profile_values
from scripts.build_domain import OUT, render_domain

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_TOPICS = {
    "what_does", "cannot_do", "who_is_entitled", "how_to_get", "cost", "how_meet", "duration",
    "parent_expectations", "what_to_expect", "who_are_coordinators", "individual_plan", "law",
    "diagnosis", "expecting", "hospital", "complaint", "not_working", "contact",
}
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
# One phone screen at 360 px is about 17 lines of 35 characters; the source line comes on top.
MAX_ANSWER_CHARS = 600
MAX_SOURCE_LINE_CHARS = 200

kb = load_knowledge()


def training_examples():
    counts = {}
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                n = len([line for line in block["examples"].splitlines() if line.strip().startswith("- ")])
                counts[block["intent"]] = counts.get(block["intent"], 0) + n
    return counts


def test_every_required_topic_exists():
    assert REQUIRED_TOPICS <= set(kb.topics)


@pytest.mark.parametrize("topic_id", sorted(kb.topics))
def test_topic_has_answer_and_known_source(topic_id):
    topic = kb.topics[topic_id]
    assert topic.answer.strip()
    assert topic.sources, f"{topic_id} has no source"
    for ref in topic.sources:
        assert ref.doc in kb.sources, f"{topic_id} cites unknown source {ref.doc}"


@pytest.mark.parametrize("topic_id", sorted(kb.topics))
def test_topic_has_enough_training_examples(topic_id):
    assert training_examples().get(f"faq/{topic_id}", 0) >= 25


@pytest.mark.parametrize("topic_id", sorted(kb.topics))
def test_rendered_answer_fits_a_phone_screen_and_names_its_source(topic_id):
    text = kb.render(topic_id)
    body = kb.render(topic_id, with_source=False)
    assert len(body) <= MAX_ANSWER_CHARS, f"{topic_id}: {len(body)} characters"
    source_line = text[len(body):].strip()
    assert source_line.startswith("Kilde:") and len(source_line) <= MAX_SOURCE_LINE_CHARS
    assert "{" not in text and "}" not in text, "an unfilled placeholder"


def test_every_topic_has_a_conversation_test():
    stories = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "stories").glob("*.yml"))
    missing = [t for t in kb.topics if f"intent: faq/{t}\n" not in stories]
    assert not missing


def test_sources_point_at_real_documents():
    for key, src in kb.sources.items():
        assert src["short"] and src["title"]
        if SHARED_SOURCES.exists():
            assert (SHARED_SOURCES / src["file"]).exists(), key
            if key.startswith("F"):
                assert f"| {key} |" in (SHARED_SOURCES / "FACTS.md").read_text(encoding="utf-8")


def test_phone_and_email_only_come_from_the_profile():
    """A kommune's contact details live in one file: no answer text hard-codes them."""
    profile = kb.profile()
    for path in (ROOT / "knowledge").rglob("*.yml"):
        if path.parent.name == "kommuner":
            continue
        text = path.read_text(encoding="utf-8")
        assert profile["contact"]["phone"] not in text, path
        assert profile["contact"]["email"] not in text, path
        assert not re.search(r"\b\d{2} ?\d{2} ?\d{2} ?\d{2}\b", text), f"a phone number in {path}"


def test_changing_the_profile_changes_every_answer_that_names_the_contact(tmp_path):
    values = profile_values(kb.profile())
    values = {**values, "contact_phone": "12 34 56 78"}
    rendered = fill(kb.topics["contact"].answer, values)
    assert "12 34 56 78" in rendered and kb.profile()["contact"]["phone"] not in rendered


def test_every_profile_fills_every_text():
    for kommune in kb.profiles:
        for topic_id in kb.topics:
            kb.render(topic_id, kommune)
        render_domain(kb, kommune)


def test_generated_domain_is_up_to_date():
    """The domain's answers are generated from knowledge/ (scripts/build_domain.py)."""
    assert OUT.exists(), "run scripts/build_domain.py (make train does it)"
    assert OUT.read_text(encoding="utf-8") == render_domain(kb)
