"""Scan every table and column of a database for raw personal data (for the privacy tests)."""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, List, Tuple

import sqlalchemy as sa


def _pattern(value: str) -> "re.Pattern[str]":
    """The value as typed or JSON-escaped (\\u00f8), any case, not inside a longer word or number
    ("Ola" is not found in "skolan", "9008" not in a timestamp)."""
    forms = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True) if f)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def _cell_texts(cell: Any) -> Iterable[str]:
    if cell is None:
        return
    if isinstance(cell, bytes):
        cell = cell.decode("utf-8", errors="replace")
    text = str(cell)
    yield text
    try:
        decoded = json.loads(text)
    except (ValueError, TypeError):
        return
    stack = [decoded]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def scan(url: str, raw_values: Iterable[str]) -> List[Tuple[str, str, str]]:
    """(table, column, value) for every raw value found anywhere; also the tables scanned."""
    engine = sa.create_engine(url)
    values = [(v, _pattern(v)) for v in raw_values if v]
    found: List[Tuple[str, str, str]] = []
    try:
        inspector = sa.inspect(engine)
        with engine.connect() as conn:
            for table_name in inspector.get_table_names():
                table = sa.Table(table_name, sa.MetaData(), autoload_with=engine)
                for row in conn.execute(sa.select(table)):
                    for column, cell in zip(table.columns.keys(), row):
                        for text in _cell_texts(cell):
                            for value, pattern in values:
                                if pattern.search(text):
                                    found.append((table_name, column, value))
    finally:
        engine.dispose()
    return sorted(set(found))


def tables(url: str) -> List[str]:
    engine = sa.create_engine(url)
    try:
        return sorted(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def rows_of(url: str, needle: str) -> List[Tuple[str, str]]:
    """(table, column) of every cell that contains `needle` (a conversation id)."""
    return [(t, c) for t, c, _ in scan(url, [needle])]
