"""Facts as spreadsheet rows, from the declarations: a column per field, named as in the file.

Values are what the file holds, not their display: numbers stay numbers, dates are written at
their precision, words are their file spelling, references are ids, and a list is its items
joined with "; ". What is unknown is an empty cell. A nested part (a role, a lifecycle step) is
its values joined with ", "; ``tradecli export`` gives each part a table of its own.
"""

from __future__ import annotations

from typing import Any

from tradecli.facts.fields import Field, Record, Shape
from tradecli.present.listing import Value


def _shown(field: Field) -> bool:
    return field.name != "evidence"


def columns(kind: type[Record]) -> tuple[str, ...]:
    """The spreadsheet columns of a kind: its fields in file order, but evidence (its sources
    are the ``sources`` column)."""
    return tuple(field.name for field in kind.FIELDS if _shown(field))


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
    return tuple(_value(field, values[field.name]) for field in type(item).FIELDS if _shown(field))
