"""Evaluate masking on a labelled set: recall per category and how many clean messages change.

The set (default tests/privacy/pii_blind.yml, written by someone who had not seen the masking
code) is a list of {text, spans: [{value, category}]}; a message without spans is clean.

A labelled value counts as caught when none of its content survives masking:
- numbers (FØDSELSNUMMER, TELEFON, NUMMER): no run of 4 or more of its digits is left in the
  masked text (digits read across spaces, dots, dashes and slashes, as they were written);
- words (NAVN, HELSE, E-POST, URL, ADRESSE): the value, as written (case matters: "Stein" the
  name, "en stein" the word), no longer occurs as a whole beyond the times it also occurs
  outside any labelled value, and no run of 4+ of its digits is left (a postcode).
A stricter figure for names is printed too: every word of the name is gone ("Kari Nordmann"
with "Nordmann" left counts as missed there).

Prints a table and writes JSON (default results/masking.json). Exit code 0 always; the floors
live in tests/privacy/test_masking_eval.py.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NUMERIC = {"FØDSELSNUMMER", "TELEFON", "NUMMER"}
TARGETS = {"FØDSELSNUMMER": 1.0, "TELEFON": 1.0, "NUMMER": 1.0, "E-POST": 1.0,
           "NAVN": 0.97, "ADRESSE": 0.95}
CLEAN_TARGET = 0.03
ORDER = ["NAVN", "FØDSELSNUMMER", "TELEFON", "E-POST", "URL", "ADRESSE", "NUMMER", "HELSE"]

_DIGIT_RUN = re.compile(r"\d+(?:[ \u00a0.\-/]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def load(path: Path) -> List[Dict]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if isinstance(data, dict):  # tolerate {messages: [...]}
        data = next(v for v in data.values() if isinstance(v, list))
    out = []
    for item in data:
        spans = [{"value": str(s["value"]), "category": str(s["category"]).upper()}
                 for s in (item.get("spans") or [])]
        out.append({"text": str(item["text"]), "spans": spans})
    return out


def digit_runs(text: str) -> List[str]:
    return [re.sub(r"\D", "", m.group(0)) for m in _DIGIT_RUN.finditer(text)]


def digits_survive(value: str, masked: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 4:
        return False
    grams = {digits[i:i + 4] for i in range(len(digits) - 3)}
    return any(g in run for run in digit_runs(masked) for g in grams)


def count_word(word: str, text: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text))


def outside_count(word: str, text: str, values: List[str]) -> int:
    """How often `word` occurs in `text` outside every labelled value."""
    stripped = text
    for value in sorted(values, key=len, reverse=True):
        stripped = stripped.replace(value, " ")
    return count_word(word, stripped)


def caught(span: Dict, text: str, masked: str, values: List[str]) -> bool:
    value, cat = span["value"], span["category"]
    if cat in NUMERIC:
        digits = re.sub(r"\D", "", value)
        if len(digits) < 4:
            return count_word(value, masked) <= outside_count(value, text, values)
        return not digits_survive(value, masked)
    if digits_survive(value, masked):
        return False
    return count_word(value, masked) <= outside_count(value, text, values)


def every_word_gone(span: Dict, text: str, masked: str, values: List[str]) -> bool:
    words = _WORD.findall(span["value"]) or [span["value"]]
    return all(count_word(w, masked) <= outside_count(w, text, values) for w in words)


def evaluate(items: List[Dict]) -> Dict:
    from bot.privacy.masking import mask_text
    from bot.privacy.settings import MaskingSettings

    settings = MaskingSettings()
    totals: Counter = Counter()
    hits: Counter = Counter()
    misses: Dict[str, List[Dict]] = defaultdict(list)
    clean = clean_changed = 0
    changed_clean: List[Dict] = []
    pii_messages = 0
    names_every = 0
    started = time.perf_counter()
    for item in items:
        text = item["text"]
        masked = mask_text(text, settings)
        if not item["spans"]:
            clean += 1
            if masked != text:
                clean_changed += 1
                changed_clean.append({"text": text, "masked": masked})
            continue
        pii_messages += 1
        values = [s["value"] for s in item["spans"]]
        for span in item["spans"]:
            cat = span["category"]
            totals[cat] += 1
            if cat == "NAVN" and every_word_gone(span, text, masked, values):
                names_every += 1
            if caught(span, text, masked, values):
                hits[cat] += 1
            else:
                misses[cat].append({"value": span["value"], "text": text, "masked": masked})
    elapsed = time.perf_counter() - started
    per_cat = {}
    for cat in sorted(totals, key=lambda c: ORDER.index(c) if c in ORDER else 99):
        per_cat[cat] = {"spans": totals[cat], "caught": hits[cat],
                        "recall": round(hits[cat] / totals[cat], 4), "target": TARGETS.get(cat)}
    all_spans = sum(totals.values())
    return {
        "messages": len(items),
        "messages_with_personal_data": pii_messages,
        "clean_messages": clean,
        "clean_changed": clean_changed,
        "clean_changed_share": round(clean_changed / clean, 4) if clean else 0.0,
        "clean_target": CLEAN_TARGET,
        "spans": all_spans,
        "recall_all": round(sum(hits.values()) / all_spans, 4) if all_spans else 0.0,
        "per_category": per_cat,
        "names_every_word_gone": round(names_every / totals["NAVN"], 4) if totals["NAVN"] else None,
        "seconds": round(elapsed, 2),
        "misses": misses,
        "changed_clean": changed_clean,
    }


def print_table(result: Dict) -> None:
    print(f"{'category':<15} {'spans':>6} {'caught':>7} {'recall':>8} {'target':>7}")
    for cat, row in result["per_category"].items():
        target = f"{row['target']:.0%}" if row["target"] is not None else "-"
        print(f"{cat:<15} {row['spans']:>6} {row['caught']:>7} {row['recall']:>8.1%} {target:>7}")
    print(f"{'all':<15} {result['spans']:>6} {'':>7} {result['recall_all']:>8.1%}")
    if result.get("names_every_word_gone") is not None:
        print(f"names with every word gone: {result['names_every_word_gone']:.1%}")
    print(f"clean messages changed: {result['clean_changed']} of {result['clean_messages']} "
          f"({result['clean_changed_share']:.1%}; target at most {CLEAN_TARGET:.0%})")
    print(f"{result['messages']} messages in {result['seconds']} s (first call loads the NER)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "privacy" / "pii_blind.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "masking.json")
    parser.add_argument("--show-misses", action="store_true", help="print every miss")
    args = parser.parse_args()
    result = evaluate(load(args.data))
    print_table(result)
    if args.show_misses:
        for cat, rows in result["misses"].items():
            for row in rows:
                print(f"MISS {cat}: {row['value']!r} in {row['masked']!r}")
        for row in result["changed_clean"]:
            print(f"CHANGED: {row['masked']!r}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
