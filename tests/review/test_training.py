"""Corrections become Rasa NLU YAML that reads back as the same plain examples."""
from __future__ import annotations

import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from review import training
from review.settings import ROOT


def test_export_groups_by_intent_and_reads_back_as_plain_text():
    text = training.to_yaml([("faq/cost", "Hva koster det?"), ("out_of_scope", "Hvem er [navn](x) sin lege?"),
                             ("faq/cost", "Hva koster det?"), ("greet", "hei: du\nder"), ("greet", "# ikke kommentar")])
    doc = yaml.safe_load(text)
    assert doc["version"] == "3.1"
    assert [i["intent"] for i in doc["nlu"]] == ["faq/cost", "greet", "out_of_scope"]
    data = RasaYAMLReader().reads(text)
    examples = {(m.get_full_intent(), m.get("text")) for m in data.intent_examples}
    assert ("faq/cost", "Hva koster det?") in examples
    assert ("greet", "hei: du der") in examples and ("greet", "# ikke kommentar") in examples
    # Masked text with brackets is not read as an entity annotation.
    assert not data.entity_examples
    assert len([e for e in examples if e[0] == "faq/cost"]) == 1


def test_examples_already_in_the_training_data_are_left_out():
    known = training.existing_examples(ROOT / "data" / "nlu")
    intent, example = sorted(known)[0]
    assert yaml.safe_load(training.to_yaml([(intent, example)], skip=known))["nlu"] == []


def test_the_choices_are_the_intents_and_topics_of_the_training_data():
    names = training.known_intents(ROOT / "data" / "nlu")
    assert "faq/cost" in names and "out_of_scope" in names and "request_human" in names
    assert "nlu_fallback" not in names
