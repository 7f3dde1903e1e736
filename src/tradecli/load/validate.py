"""Validate fact-file text: types with the derived pydantic models, then the checks beyond types.

Two ways, one answer. ``validate`` reads the whole text and words every problem, with its line,
column and JSON path. ``read_valid`` is the quick way for a file that is probably valid: each fact
is parsed, validated, checked and handed to a search index on its own, so the parsed file is never
held whole; at the first sign of trouble it gives up and ``validate`` says what is wrong.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tradecli.errors import Problem
from tradecli.facts.factfile import FactFile
from tradecli.facts.kinds import COLLECTIONS
from tradecli.load.read import (
    SURROGATE_PREFILTER,
    IrregularError,
    each_fact,
    parse_json,
    problems_at,
    quoted,
)

if TYPE_CHECKING:
    from tradecli.load.index import IndexWriter
    from tradecli.load.jsonlocate import PathPart


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive.

    Loading frees nothing, so the collector would only rescan the new objects again and again:
    three quarters of the time on a large file.
    """
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


def validate(name: str, text: str) -> tuple[FactFile | None, list[Problem]]:
    """Parse and validate fact-file text; return its records and every problem found."""
    from pydantic import ValidationError

    from tradecli.load import schema
    from tradecli.load.checks import check

    data = parse_json(name, text)
    try:
        model = schema.FactFile.model_validate(data)
    except ValidationError as error:
        return None, problems_at(text, _pydantic_problems(error))
    del data
    facts = FactFile(
        {
            collection: list(map(schema.record_of, getattr(model, collection)))
            for collection in COLLECTIONS
        }
    )
    del model
    return facts, problems_at(text, check(facts))


def read_valid(text: str, writer: IndexWriter | None) -> tuple[bool, FactFile | None]:
    """Whether the text is a valid fact file, read the quick way, and its records.

    With a ``writer`` the facts go only into the new index (the records returned are None);
    otherwise they are kept. False at the first sign of a problem: ``validate`` words it.
    """
    from pydantic import ValidationError

    from tradecli.load import schema
    from tradecli.load.checks import Checker

    if SURROGATE_PREFILTER.search(text) is not None:
        return False, None  # perhaps a lone surrogate
    kept: dict[str, list[Any]] = {collection: [] for collection in COLLECTIONS}
    checker = Checker()
    top: dict[str, Any] = {}
    try:
        for collection, position, item in each_fact(text, top):
            fact = schema.COLLECTION_MODELS[collection].model_validate(item)
            checker.add(collection, position, fact)  # a model has the fields of its record
            if writer is not None:
                writer.add(collection, fact, fact.model_dump_json())
            else:
                kept[collection].append(schema.record_of(fact))
        schema.FactFile.model_validate(top)  # the top level, without its collections
        valid = not checker.finish()
    except (ValidationError, IrregularError, ValueError, RecursionError):
        valid = False  # ValueError: the decoder's, as in parse_json
    if not valid:
        return False, None
    return True, FactFile(kept) if writer is None else None
