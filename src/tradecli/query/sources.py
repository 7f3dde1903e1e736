"""Provenance: the store as one source tells it, and where sources disagree."""

from __future__ import annotations

import difflib
from typing import Any, NamedTuple

from tradecli.errors import NotFoundError
from tradecli.facts.kinds import KIND_OF, Conflict, Event, Measure, Quote, Source, Statement
from tradecli.query.dates import span_text
from tradecli.query.links import cited_sources, references
from tradecli.store import Store
from tradecli.words import holds_every, search_terms


def restrict_to_source(store: Store, source_id: str) -> Store:
    """The store as one source tells it: only facts whose evidence cites ``source_id``.

    Names and titles of other facts stay available for labels; listings and searches see only
    the facts the source supports.
    """
    found = store.by_id.get(source_id)
    if found is None or found[0] != "sources":
        known = [source.id for source in store.facts.sources]
        close = difflib.get_close_matches(source_id, known, n=5, cutoff=0.5)
        raise NotFoundError(
            f"no source has the id {source_id!r}",
            hint=f"did you mean {', '.join(close)}?" if close else "list them: tradecli sources",
        )
    kept: dict[str, list[Any]] = {"sources": [found[1]]}
    for collection, kind in KIND_OF.items():
        if "evidence" not in kind.BY_NAME:
            continue  # sources, and conflicts (kept below with their claims)
        kept[collection] = [
            item
            for item in getattr(store.facts, collection)
            if any(target == source_id for name, target in references(item) if name == "source")
        ]
    claims = {item.id for items in kept.values() for item in items}
    kept["conflicts"] = [c for c in store.facts.conflicts if claims & set(c.claims)]
    restricted = Store(path=store.path, facts=store.facts.replace(**kept))
    restricted.by_id.update(store.by_id)
    return restricted


class Claim(NamedTuple):
    """One side of a conflict: the fact, what it says, and the sources that say it."""

    collection: str
    fact: Any
    says: str
    sources: list[Source]


class ConflictView(NamedTuple):
    """A conflict with each claim resolved to its fact and sources."""

    conflict: Conflict
    claims: list[Claim]


def claim_text(item: Any) -> str:
    """What a fact asserts, in a line: a statement's text, a measure's rate, an event's date."""
    if isinstance(item, Statement):
        return item.text
    if isinstance(item, Measure):
        rate = f"{item.rate_percent:g}%" if item.rate_percent is not None else "no rate given"
        return f"{item.title}: {rate} on {', '.join(item.products)}"
    if isinstance(item, Event):
        when = span_text(item.date, item.end_date) if item.date is not None else "undated"
        return f"{item.title}: {when}"
    if isinstance(item, Quote):
        return item.text
    return str(getattr(item, "name", None) or getattr(item, "title", None) or item.id)


def conflicts(store: Store, *, topic: str | None = None) -> list[ConflictView]:
    """Every known conflict with its claims side by side, optionally those about some words."""
    terms = search_terms(topic) if topic else []
    views = []
    for conflict in store.facts.conflicts:
        if terms and not holds_every(
            " ".join([conflict.id, conflict.topic, conflict.note or ""]), terms
        ):
            continue
        claims = []
        for claim_id in conflict.claims:
            collection, item = store.by_id[claim_id]
            claims.append(Claim(collection, item, claim_text(item), cited_sources(store, item)))
        views.append(ConflictView(conflict, claims))
    return views
