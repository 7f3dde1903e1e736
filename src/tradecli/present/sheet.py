"""Facts as spreadsheet rows, from the declarations: a column per field, named as in the file.

Values are what the file holds, not their display: numbers stay numbers, dates are written at
their precision with the first and last days they can mean beside them (``<field>_earliest``,
``<field>_latest``: ``fields.DAY_BOUNDS``), words are their file spelling, references are ids,
and a list is its items joined with "; ". What is unknown is an empty cell. A nested part (a
role, a lifecycle step) is its values joined with ", "; ``tradecli export`` gives each part a
table of its own.
"""

from __future__ import annotations

from typing import Any

from tradecli.facts.fields import DAY_BOUNDS, Field, Record, Shape, bounded
from tradecli.present.listing import Value


def _shown(field: Field) -> bool:
    return field.name != "evidence"


def columns(kind: type[Record]) -> tuple[str, ...]:
    """The spreadsheet columns of a kind: its fields in file order, but evidence (its sources
    are the ``sources`` column), each date followed by its days."""
    return tuple(
        name
        for field in kind.FIELDS
        if _shown(field)
        for name in (field.name, *_bound_names(field))
    )


def _bound_names(field: Field) -> tuple[str, ...]:
    return tuple(bound.name(field.name) for bound in DAY_BOUNDS) if bounded(field) else ()


def _value(field: Field, value: Any) -> Value:
    if value is None:
        return None
    if field.many:
        return "; ".join(str(_value(_single(field), inner)) for inner in value) or None
    if field.shape is Shape.PART:
        return _part(value)
    if field.shape is Shape.VOCAB:
        return str(value.value)
    if field.shape is Shape.DATE:
        return str(value)
    if field.shape in (Shape.PERCENT, Shape.NUMBER):
        return float(value)
    return str(value)


def _single(field: Field) -> Field:
    return Field(field.shape, field.description, vocab=field.vocab, part=field.part)


def _part(value: Any) -> str:
    """A nested part (a role, a lifecycle step) as its values in a row: "Premier, china"."""
    values = value.__dict__
    shown = (_value(spec, values[spec.name]) for spec in type(value).FIELDS if _shown(spec))
    return ", ".join(str(found) for found in shown if found is not None)


def row(item: Any) -> tuple[Value, ...]:
    """One fact's values in the order of ``columns``."""
    values = item.__dict__
    return tuple(
        cell
        for field in type(item).FIELDS
        if _shown(field)
        for cell in _cells(field, values[field.name])
    )


def _cells(field: Field, value: Any) -> tuple[Value, ...]:
    """A field's cells: its value, then for a date the days beside it."""
    if not bounded(field):
        return (_value(field, value),)
    return (_value(field, value), *(bound.of(value) for bound in DAY_BOUNDS))
