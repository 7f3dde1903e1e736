"""References between facts, read off the declarations: which fields name another fact.

Shared by the checks, which validate a file, and the queries, which follow links. Both walk a
fact by its kind's declaration, so the same walk serves a record and a pydantic model (which
hold the same fields).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tradecli.facts.fields import Field, Record, Shape

Path = tuple[str | int, ...]


_PLANS: dict[type[Record], tuple[Field, ...]] = {}


def ref_plan(kind: type[Record]) -> tuple[Field, ...]:
    """The fields of a kind that hold references or parts (which may hold references)."""
    plan = _PLANS.get(kind)
    if plan is None:
        plan = _PLANS[kind] = tuple(
            field
            for field in kind.FIELDS
            if field.shape is Shape.REF
            or (field.shape is Shape.PART and field.part is not None and ref_plan(field.part))
        )
    return plan


def walk_refs(kind: type[Record], value: Any, path: Path = ()) -> Iterator[tuple[Field, str, Path]]:
    """(field, referenced id, path) for every reference inside a fact of ``kind``."""
    found: list[tuple[Field, str, Path]] = []
    _collect(kind, value, path, found)
    return iter(found)


def _collect(
    kind: type[Record], value: Any, path: Path, found: list[tuple[Field, str, Path]]
) -> None:
    values = value.__dict__
    for field in ref_plan(kind):
        inner = values[field.name]
        if inner is None:
            continue
        if field.shape is Shape.REF:
            if field.many:
                found.extend(
                    (field, item, (*path, field.name, index)) for index, item in enumerate(inner)
                )
            else:
                found.append((field, inner, (*path, field.name)))
            continue
        assert field.part is not None
        if field.many:
            for index, item in enumerate(inner):
                _collect(field.part, item, (*path, field.name, index), found)
        else:
            _collect(field.part, inner, (*path, field.name), found)


def references(kind: type[Record], value: Any) -> Iterator[tuple[str, str]]:
    """(field name, id) of every reference a fact makes, evidence sources included."""
    for field, target, _path in walk_refs(kind, value):
        yield field.name, target
