"""A whole fact file as records: one list per collection, each in file order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from tradecli.facts.kinds import (
    COLLECTIONS,
    KIND_OF,
    Conflict,
    Event,
    Measure,
    Organisation,
    Person,
    Place,
    Quote,
    Source,
    Statement,
)


class FactFile:
    """Every record of a store, by collection, in file order."""

    sources: list[Source]
    people: list[Person]
    organisations: list[Organisation]
    places: list[Place]
    events: list[Event]
    tariffs: list[Measure]
    quotes: list[Quote]
    statements: list[Statement]
    conflicts: list[Conflict]

    def __init__(
        self,
        collections: dict[str, list[Any]] | None = None,
        *,
        load: Callable[[str], list[Any]] | None = None,
    ) -> None:
        """The given collections (others empty), or, with ``load``, each loaded on first use."""
        self.__dict__["_load"] = load
        if load is None:
            for collection in COLLECTIONS:
                self.__dict__[collection] = list((collections or {}).get(collection, ()))

    def __getattr__(self, name: str) -> Any:
        load = self.__dict__["_load"]
        if load is None or name not in COLLECTIONS:
            raise AttributeError(f"FactFile has no attribute {name!r}")
        items = self.__dict__[name] = load(name)
        return items

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FactFile:
        """The records of a validated fact file's JSON (every field of every fact present)."""
        return cls(
            {
                collection: [KIND_OF[collection].from_json(item) for item in data[collection]]
                for collection in COLLECTIONS
            }
        )

    def replace(self, **collections: list[Any]) -> FactFile:
        """A copy with some collections replaced."""
        return FactFile({**{name: getattr(self, name) for name in COLLECTIONS}, **collections})

    def lazy(self) -> bool:
        """True when collections are loaded on first use, not held from the start."""
        return self.__dict__["_load"] is not None

    def loaded(self) -> list[str]:
        """The collections in memory (all of them unless they load on first use)."""
        return [collection for collection in COLLECTIONS if collection in self.__dict__]

    def all_facts(self) -> Iterator[tuple[str, Any]]:
        """Every record with the name of its collection, in file order."""
        for collection in COLLECTIONS:
            for item in getattr(self, collection):
                yield collection, item

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("FactFile is immutable; use replace()")
