"""Links between facts: what a fact refers to, what refers to it, and the sources behind it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from tradecli.facts.kinds import Source
from tradecli.facts.refs import references as _references
from tradecli.store import Store


def belongs_to(store: Store, ref: str, owner: str) -> bool:
    """True if ``ref`` is ``owner``, or lies within it by ``country`` or ``within`` links."""
    seen: set[str] = set()
    current: str | None = ref
    while current is not None and current not in seen:
        if current == owner:
            return True
        seen.add(current)
        found = store.by_id.get(current)
        if found is None:
            return False
        item = found[1]
        current = getattr(item, "within", None) or getattr(item, "country", None)
    return False


def references(item: Any) -> Iterator[tuple[str, str]]:
    """(field, id) of every reference a fact (or a part of one) makes, evidence sources included."""
    return _references(type(item), item)


def cited_sources(store: Store, item: Any) -> list[Source]:
    """The sources a fact's evidence cites, lifecycle steps included, in order of first citation."""
    found: list[Source] = []
    for name, target in references(item):
        if name == "source":
            source = store.by_id[target][1]
            if source not in found:
                found.append(source)
    return found


class Link(NamedTuple):
    """A reference between two facts: ``outgoing`` when the fact shown makes it."""

    outgoing: bool
    relation: str
    collection: str
    fact: Any


def links(store: Store, fact_id: str) -> list[Link]:
    """Facts this fact refers to (not its sources) and facts that refer to it, each once."""
    item = store.by_id[fact_id][1]
    found: list[Link] = []
    seen: set[tuple[bool, str, str]] = set()

    def add(outgoing: bool, relation: str, other: str) -> None:
        key = (outgoing, relation, other)
        if key not in seen and other != fact_id:
            seen.add(key)
            other_collection, other_item = store.by_id[other]
            found.append(Link(outgoing, relation, other_collection, other_item))

    for relation, target in references(item):
        if relation != "source":
            add(True, relation, target)
    for _other_collection, other, relation in store.referrers(fact_id):
        add(False, relation, other.id)
    return found


def source_citations(store: Store) -> list[tuple[Source, int]]:
    """Every source with the number of facts whose evidence cites it."""
    counts = store.cited_counts()
    return [(source, counts.get(source.id, 0)) for source in store.items("sources")]


def superseded_by(store: Store, fact_id: str) -> list[str]:
    """Ids of the facts that declare they supersede this one."""
    return [
        item.id for _collection, item, field in store.referrers(fact_id) if field == "supersedes"
    ]


def supported_by(store: Store, chosen: list[Source]) -> list[tuple[str, Any]]:
    """(collection, fact) of every fact whose evidence, or a part's, cites one of the sources;
    each fact once, in the order the sources and their citations come."""
    seen: set[str] = set()
    found: list[tuple[str, Any]] = []
    for source in chosen:
        for collection, item, field in store.referrers(source.id):
            if field == "source" and item.id not in seen:
                seen.add(item.id)
                found.append((collection, item))
    return found


class _SourceLookup(Mapping[str, Source]):
    """Sources by id, looked up in the whole store as they are asked for."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getitem__(self, source_id: str) -> Source:
        found = self._store.by_id.get(source_id)
        if found is None or found[0] != "sources":
            raise KeyError(source_id)
        return found[1]  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return (source.id for source in self._store.items("sources"))

    def __len__(self) -> int:
        return len(self._store.items("sources"))


def source_lookup(store: Store) -> Mapping[str, Source]:
    """Every source by id, those a --source or --certainty restriction left out included: a
    measure's state depends on when each of its sources was published."""
    return _SourceLookup(store)
