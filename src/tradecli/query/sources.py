"""Provenance: the store as one source tells it, and where sources disagree."""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, NamedTuple

from tradecli.errors import NotFoundError
from tradecli.facts.dates import PartialDate
from tradecli.facts.factfile import FactFile
from tradecli.facts.kinds import KIND_OF, Conflict, Event, Measure, Quote, Source, Statement
from tradecli.query.dates import span_text
from tradecli.query.links import cited_sources
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
    kept: dict[str, dict[str, Any]] = {collection: {} for collection in KIND_OF}
    kept["sources"][source_id] = found[1]
    for collection, item, field in store.referrers(source_id):
        if field == "source":
            kept[collection].setdefault(item.id, item)
    claims = {fact_id for items in kept.values() for fact_id in items}
    for conflict in store.facts.conflicts:
        if claims & set(conflict.claims):
            kept["conflicts"].setdefault(conflict.id, conflict)
    restricted = Store(
        path=store.path,
        facts=FactFile({name: list(items.values()) for name, items in kept.items()}),
    )
    restricted._by_id = store.by_id  # labels name any fact, as in the whole store
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


def newest_source(store: Store) -> Source | None:
    """The source published last: the store knows nothing that came after it.

    A source dated only to the month or year counts from the first day it can mean, the latest
    day it is sure to have been published by.
    """
    dated = [source for source in store.facts.sources if source.published is not None]
    if not dated:
        return None
    return max(dated, key=lambda source: _earliest(source.published))


def _earliest(when: PartialDate | None) -> date:
    assert when is not None
    return when.first_day()


def beyond_sources(store: Store, day: date) -> str | None:
    """A note for an answer about a day after the newest source, else None."""
    newest = newest_source(store)
    if newest is None or newest.published is None or _earliest(newest.published) >= day:
        return None
    return (
        f"note: the sources end on {newest.published}; {day} is after that, so later changes "
        "are unknown to the store"
    )
