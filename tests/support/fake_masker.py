"""A small, fixed masker for unit tests of the stores (the real engine is tested on its own).

It knows a few names, digit runs, e-mail addresses and one diagnosis: enough to check that
the stores mask what they must, independently of how good the real engine is.
"""

from __future__ import annotations

import re
from typing import Any, List, Tuple

_RULES = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "[E-POST]"),
    (re.compile(r"\b\d{11}\b"), "[FØDSELSNUMMER]"),
    (re.compile(r"\b\d{3} ?\d{2} ?\d{3}\b"), "[TELEFON]"),
    (re.compile(r"\d{6,}"), "[NUMMER]"),
    (re.compile(r"\b(?:Kari Nordmann|Kari|Ola)\b"), "[NAVN]"),
    (re.compile(r"\bautisme\b", re.IGNORECASE), "[HELSE]"),
]


class FakeMasker:
    def __init__(self) -> None:
        self.calls = 0

    def mask(self, text: str) -> Tuple[str, List[Tuple[str, str]]]:
        self.calls += 1
        spans = []
        taken = [False] * len(text)
        for pattern, placeholder in _RULES:
            for m in pattern.finditer(text):
                if not any(taken[m.start():m.end()]):
                    spans.append((m.start(), m.end(), placeholder))
                    for i in range(m.start(), m.end()):
                        taken[i] = True
        spans.sort()
        out, last = [], 0
        for start, end, placeholder in spans:
            out.append(text[last:start] + placeholder)
            last = end
        out.append(text[last:])
        return "".join(out), [(text[s:e], p) for s, e, p in spans]

    def mask_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.mask(value)[0]
        if isinstance(value, list):
            return [self.mask_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.mask_value(v) for k, v in value.items()}
        return value
