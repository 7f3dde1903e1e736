"""Queries: pure functions from a store and filters to facts, one module per question.

``dates`` holds the date rule every date filter follows; ``links`` follows references and
sources; ``measures``, ``events``, ``quotes``, ``search``, ``conflicts`` and ``summary`` answer
the commands of the same names, and ``names`` finds entities by what people type.
"""

from __future__ import annotations

from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Selection(NamedTuple, Generic[T]):
    """What a query found, with notes for the user about what it could not decide."""

    items: list[T]
    notes: list[str]
