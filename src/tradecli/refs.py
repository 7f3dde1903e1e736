"""References between facts: which fields name another fact, of which kinds, and names compared.

Shared by the checks, which validate a file, and the queries, which follow links and match names;
kept apart from the checks so that a query does not load them.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tradecli.kinds import COLLECTIONS, ENTITY_COLLECTIONS
from tradecli.records import Record

if TYPE_CHECKING:
    from tradecli.jsonlocate import PathPart

ENTITIES = frozenset(ENTITY_COLLECTIONS)
_ACTORS = frozenset({"people", "organisations"})
_JURISDICTIONS = frozenset({"places", "organisations"})
_FACTS = frozenset(COLLECTIONS) - {"sources", "conflicts"}

# (collection, field) -> the collections a reference in that field may point to.
REFERENCE_KINDS: dict[str, frozenset[str]] = {
    "claimed_by": ENTITIES,
    "country": frozenset({"places"}),
    "organisation": frozenset({"organisations"}),
    "within": frozenset({"places"}),
    "place": frozenset({"places"}),
    "participants": _ACTORS,
    "part_of": frozenset({"events"}),
    "supersedes": frozenset({"events", "tariffs", "statements", "quotes"}),
    "imposed_by": _JURISDICTIONS,
    "target": _JURISDICTIONS,
    "responds_to": frozenset({"tariffs"}),
    "speaker": _ACTORS,
    "event": frozenset({"events"}),
    "subjects": _FACTS,
    "claims": _FACTS,
    "source": frozenset({"sources"}),
}

_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching and alias checks."""
    if text.isascii():
        stripped = text  # ASCII has nothing to decompose and no combining marks
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold()).split())


_PLANS: dict[type, tuple[tuple[str, bool, bool], ...]] = {}


def field_plan(record: type) -> tuple[tuple[str, bool, bool], ...]:
    """For one record class: (field, holds references, holds records) for the fields that matter.

    The checks also take the schema's pydantic models, which have the same fields as the records.
    """
    cached = _PLANS.get(record)
    if cached is not None:
        return cached
    fields, nested = _fields_of(record)
    plan = tuple(
        (name, name in REFERENCE_KINDS, name in nested)
        for name in fields
        if name in REFERENCE_KINDS or name in nested
    )
    _PLANS[record] = plan
    return plan


def _fields_of(kind: type) -> tuple[tuple[str, ...], frozenset[str]]:
    """The fields of a record or model class, and those that hold records or models."""
    if issubclass(kind, Record):
        return kind.FIELDS, kind.nested_fields()
    model_fields: dict[str, Any] = getattr(kind, "model_fields", {})
    return tuple(model_fields), frozenset(
        name for name, field in model_fields.items() if _holds_models(field.annotation)
    )


def _holds_models(annotation: Any) -> bool:
    """True if a model field's type is a model, or a list or optional of one."""
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return True
    return any(_holds_models(argument) for argument in typing.get_args(annotation))


def walk_refs(
    value: Any, path: tuple[PathPart, ...]
) -> Iterator[tuple[str, str, tuple[PathPart, ...]]]:
    """Yield (field, referenced id, path) for every reference field inside a record."""
    found: list[tuple[str, str, tuple[PathPart, ...]]] = []
    _collect_refs(value, path, found)
    return iter(found)


def _collect_refs(
    value: Any, path: tuple[PathPart, ...], found: list[tuple[str, str, tuple[PathPart, ...]]]
) -> None:
    values = value.__dict__
    for name, is_ref, _nested in field_plan(type(value)):
        field_value = values[name]
        if field_value is None:
            continue
        if is_ref:
            if isinstance(field_value, str):
                found.append((name, field_value, (*path, name)))
            else:
                found.extend(
                    [(name, item, (*path, name, index)) for index, item in enumerate(field_value)]
                )
        elif isinstance(field_value, list):
            for index, item in enumerate(field_value):
                _collect_refs(item, (*path, name, index), found)
        else:
            _collect_refs(field_value, (*path, name), found)
