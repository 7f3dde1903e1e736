"""Queries: pure functions from a store and filters to facts."""

from __future__ import annotations

from tradecli.schema import COLLECTIONS
from tradecli.store import Store


def summary_counts(store: Store) -> dict[str, int]:
    """How many facts of each kind the store holds."""
    return {name: len(getattr(store.facts, name)) for name in COLLECTIONS}
