"""Mask personal data in serialised Rasa events before they are stored (pure, masker injected).

What is masked, per event type (Rasa's `Event.as_dict()` shape):
- user: `text`, `parse_data.text`, the values of `parse_data.entities`, `metadata`;
- bot: only what it quotes from the user (the answers themselves come from the domain and
  carry the kommune's public contact details, which must stay readable);
- slot: the value (slots taken from text hold what the family wrote);
- any other event: every string except the fields Rasa needs to rebuild the dialogue
  (event type, names of intents, actions, slots and loops, timestamps, policies).

"Quoted" data: every raw span the masker found in the user's messages of the current turn
is also replaced wherever it occurs in the other events of the save (bot text, slot values
computed by actions, metadata), even where the masker alone would not recognise it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Protocol, Sequence, Tuple

# (raw text found in a user message, the placeholder that replaces it)
Quote = Tuple[str, str]

# Keys of an event that name dialogue structure, never what a family wrote.
STRUCTURAL_KEYS = frozenset(
    {
        "event",
        "timestamp",
        "name",
        "policy",
        "confidence",
        "input_channel",
        "message_id",
        "hide_rule_turn",
        "action_name",
        "intent_name",
        "trigger_date_time",
        "kill_on_user_msg",
        "date_time",
        "conversation_id",
    }
)
# Parts of parse_data that come from the model and the domain, not from the user.
PARSE_DATA_KEEP = frozenset({"intent", "intent_ranking", "response_selector", "message_id"})
ENTITY_STRUCTURAL_KEYS = frozenset(
    {"entity", "start", "end", "extractor", "confidence_entity", "role", "group",
     "confidence_role", "confidence_group", "processors"}
)
# Quotes shorter than this are not searched for in other text: a two-letter "name" would hit
# ordinary words of the answers.
MIN_QUOTE_CHARS = 3


class Masker(Protocol):
    """What the store needs from the masking engine (bot/privacy/masking.py in production)."""

    def mask(self, text: str) -> Tuple[str, List[Quote]]:
        """The masked text and the raw spans it replaced, with their placeholders."""

    def mask_value(self, value: Any) -> Any:
        """Every string in a nested structure of dicts and lists, masked."""


@dataclass(frozen=True)
class MaskedText:
    text: str
    quotes: Tuple[Quote, ...]


class CachingMasker:
    """Remembers the last texts it masked: a turn saves its events several times, and masking
    is deterministic, so the same user text is analysed once."""

    def __init__(self, masker: Masker, size: int = 512) -> None:
        self.masker = masker
        self._mask = lru_cache(maxsize=size)(self._mask_uncached)

    def _mask_uncached(self, text: str) -> MaskedText:
        masked, quotes = self.masker.mask(text)
        return MaskedText(masked, tuple(quotes))

    def mask(self, text: str) -> MaskedText:
        return self._mask(text)

    def mask_value(self, value: Any) -> Any:
        """Every string in nested dicts, lists and tuples masked (through the cache); keys kept."""
        if isinstance(value, str):
            return self.mask(value).text if value else value
        if isinstance(value, dict):
            return {k: self.mask_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.mask_value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.mask_value(v) for v in value)
        return value


def _quote_pattern(quotes: Iterable[Quote]) -> Optional[Tuple["re.Pattern[str]", Dict[str, str]]]:
    table: Dict[str, str] = {}
    for raw, placeholder in quotes:
        raw = raw.strip()
        if len(raw) >= MIN_QUOTE_CHARS and raw != placeholder:
            table.setdefault(raw, placeholder)
    if not table:
        return None
    # Longest first, so "Kari Nordmann" wins over "Kari"; whole words only.
    alternatives = "|".join(re.escape(raw) for raw in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), table


def replace_quotes(value: Any, quotes: Sequence[Quote]) -> Any:
    """Replace every quoted raw span in every string of `value` (nested dicts and lists)."""
    compiled = _quote_pattern(quotes)
    if compiled is None:
        return value
    pattern, table = compiled

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return pattern.sub(lambda m: table[m.group(0)], item)
        if isinstance(item, list):
            return [walk(x) for x in item]
        if isinstance(item, tuple):
            return tuple(walk(x) for x in item)
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        return item

    return walk(value)


def _mask_entities(entities: Any, masker: CachingMasker, quotes: Sequence[Quote]) -> Any:
    if not isinstance(entities, list):
        return masker.mask_value(entities)
    out = []
    for entity in entities:
        if not isinstance(entity, dict):
            out.append(replace_quotes(masker.mask_value(entity), quotes))
            continue
        masked = {}
        for key, value in entity.items():
            if key in ENTITY_STRUCTURAL_KEYS:
                masked[key] = value
            else:  # value, text, additional_info ...
                masked[key] = replace_quotes(masker.mask_value(value), quotes)
        out.append(masked)
    return out


def _mask_user(event: Dict[str, Any], masker: CachingMasker, quotes: Sequence[Quote]) -> Dict[str, Any]:
    out = dict(event)
    text = event.get("text")
    if isinstance(text, str):
        out["text"] = masker.mask(text).text
    parse_data = event.get("parse_data")
    if isinstance(parse_data, dict):
        masked_pd = {}
        for key, value in parse_data.items():
            if key in PARSE_DATA_KEEP:
                masked_pd[key] = value
            elif key == "text" and isinstance(value, str):
                masked_pd[key] = masker.mask(value).text
            elif key == "entities":
                masked_pd[key] = _mask_entities(value, masker, quotes)
            else:
                masked_pd[key] = replace_quotes(masker.mask_value(value), quotes)
        out["parse_data"] = masked_pd
    for key, value in event.items():
        if key in ("text", "parse_data") or key in STRUCTURAL_KEYS:
            continue
        out[key] = replace_quotes(masker.mask_value(value), quotes)
    return out


def _mask_bot(event: Dict[str, Any], masker: CachingMasker, quotes: Sequence[Quote]) -> Dict[str, Any]:
    out = {}
    for key, value in event.items():
        if key in STRUCTURAL_KEYS:
            out[key] = value
        elif key == "metadata":
            # Response metadata comes from the domain, but a custom action may put anything in it.
            out[key] = replace_quotes(masker.mask_value(value), quotes)
        else:  # text, data (buttons, custom payloads)
            out[key] = replace_quotes(value, quotes)
    return out


def _mask_other(event: Dict[str, Any], masker: CachingMasker, quotes: Sequence[Quote]) -> Dict[str, Any]:
    out = {}
    for key, value in event.items():
        if key in STRUCTURAL_KEYS:
            out[key] = value
        else:
            out[key] = replace_quotes(masker.mask_value(value), quotes)
    return out


def _mask_slot(
    event: Dict[str, Any],
    masker: CachingMasker,
    quotes: Sequence[Quote],
    keep_value: Callable[[str, Any], bool],
) -> Dict[str, Any]:
    if keep_value(str(event.get("name")), event.get("value")):
        return dict(event)
    return _mask_other(event, masker, quotes)


def turn_quotes(events: Sequence[Mapping[str, Any]], masker: CachingMasker) -> List[Quote]:
    """The raw spans of the user messages among `events`, with their placeholders."""
    quotes: List[Quote] = []
    for event in events:
        if event.get("event") != "user":
            continue
        texts = [event.get("text")]
        parse_data = event.get("parse_data")
        if isinstance(parse_data, dict):
            texts.append(parse_data.get("text"))
        metadata = event.get("metadata")
        if isinstance(metadata, dict):
            texts.extend(_strings(metadata))
        for text in texts:
            if isinstance(text, str) and text:
                quotes.extend(masker.mask(text).quotes)
    return quotes


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _never(_name: str, _value: Any) -> bool:
    return False


def mask_events(
    events: Sequence[Dict[str, Any]],
    masker: CachingMasker,
    quotes: Sequence[Quote] = (),
    keep_slot_value: Callable[[str, Any], bool] = _never,
) -> List[Dict[str, Any]]:
    """The events as they may be stored. `quotes` adds raw spans seen earlier in the turn."""
    all_quotes = list(quotes) + turn_quotes(events, masker)
    out = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            out.append(_mask_user(event, masker, all_quotes))
        elif kind == "bot":
            out.append(_mask_bot(event, masker, all_quotes))
        elif kind == "slot":
            out.append(_mask_slot(event, masker, all_quotes, keep_slot_value))
        else:
            out.append(_mask_other(event, masker, all_quotes))
    return out
