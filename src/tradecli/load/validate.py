"""Validate a fact file: types with the derived pydantic models, then the checks beyond types.

One way for every reading of a file, the first run and ``tradecli validate`` alike: the whole
text is parsed strictly, validated, turned into records and checked; every problem is worded
with its line, column and JSON path.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tradecli.errors import DataError, Problem
from tradecli.facts.kinds import COLLECTIONS
from tradecli.load.read import decode, parse_json, problems_at, quoted, read_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from tradecli.load.jsonlocate import PathPart

Fact = tuple[str, Any, str]
"""A fact of a valid file: its collection, its record, and its JSON (compact, every field)."""


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive:
    reading frees nothing, so the collector would only rescan them again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _pydantic_problems(error: Any) -> list[tuple[tuple[PathPart, ...], str]]:
    items: list[tuple[tuple[PathPart, ...], str]] = []
    for detail in error.errors(include_url=False):
        location = tuple(detail["loc"])
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = f"unknown field {quoted(str(location[-1]))}; remove it or check its spelling"
        elif kind == "missing":
            message = f"required field {quoted(str(location[-1]))} is missing"
        else:
            message = str(detail["msg"])
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            message = message[0].lower() + message[1:] if message else message
            if kind not in ("value_error", "assertion_error"):
                shown = _short_repr(detail.get("input"))
                if shown is not None:
                    message += f" (got {shown})"
        items.append((location, message))
    return items


def _short_repr(value: Any) -> str | None:
    if isinstance(value, dict | list):
        return f"a JSON {'object' if isinstance(value, dict) else 'array'}"
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(name: str, text: str) -> tuple[list[Fact] | None, list[Problem]]:
    """Parse and validate fact-file text; return its facts (each collection's in file order,
    the collections in the order of ``COLLECTIONS``) and every problem found."""
    from pydantic import ValidationError

    from tradecli.load import schema
    from tradecli.load.checks import check

    with _collector_paused():
        data = parse_json(name, text)
        try:
            model = schema.FactFile.model_validate(data)
        except ValidationError as error:
            return None, problems_at(text, _pydantic_problems(error))
        del data
        facts = [
            (collection, schema.record_of(fact), fact.model_dump_json())
            for collection in COLLECTIONS
            for fact in getattr(model, collection)
        ]
        del model
        records: dict[str, list[Any]] = {collection: [] for collection in COLLECTIONS}
        for collection, record, _text in facts:
            records[collection].append(record)
        return facts, problems_at(text, check(records))


def facts_of(name: str, raw: bytes, *, hint: bool = True) -> list[Fact]:
    """The facts of a fact file's bytes; raise DataError listing every problem in it."""
    facts, _text = _checked(name, decode(name, raw), hint=hint)
    return facts


def _checked(name: str, text: str, *, hint: bool) -> tuple[list[Fact], str]:
    facts, problems = validate(name, text)
    if problems or facts is None:
        problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        advice = f"fix these, then run 'tradecli validate {name}'" if hint else None
        raise DataError(name, problems, hint=advice)
    return facts, text


def read_facts(path: Path, *, hint: bool = True) -> list[Fact]:
    """The facts of the fact file at ``path``; raise DataError if it cannot be read or holds
    a problem."""
    return facts_of(str(path), read_bytes(path), hint=hint)


def reviewed(path: Path) -> tuple[list[Fact], list[Problem]]:
    """The facts of the fact file at ``path`` and what a careful editor would flag in them
    (``load.review``), each at its line; raise DataError as ``read_facts`` does."""
    from tradecli.load.review import review

    name = str(path)
    facts, text = _checked(name, decode(name, read_bytes(path)), hint=False)
    records: dict[str, list[Any]] = {collection: [] for collection in COLLECTIONS}
    for collection, record, _json in facts:
        records[collection].append(record)
    return facts, problems_at(text, review(records))
