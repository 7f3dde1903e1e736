"""What the browser shows, without a screen: kinds and counts, a kind's list, a fact's page,
search hits, the day and the source filter. Plain data from the present and query layers, so it
is tested without Textual.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tradecli.facts.kinds import Measure, Place, Source
from tradecli.present import cite
from tradecli.present.detail import evidence_line, link_line, step_line
from tradecli.present.listing import Cell, Column, Detail, Line, Section, flat
from tradecli.present.lists import (
    conflict_listing,
    detail_listing,
    entity_listing,
    meeting_listing,
    quote_listing,
    search_listing,
    source_listing,
    statement_listing,
)
from tradecli.present.measures import tariff_listing
from tradecli.present.words import label, name_of, source_name
from tradecli.query import Selection
from tradecli.query.dates import parse_day
from tradecli.query.links import cited_sources, links, source_citations
from tradecli.query.measures import expectations
from tradecli.query.search import search_best
from tradecli.query.sources import (
    beyond_sources,
    conflicts,
    newest_source,
    restrict_to_sources,
    sources_matching,
)
from tradecli.words import search_terms

if TYPE_CHECKING:
    from tradecli.store import Store

LABELS = {
    "sources": "Sources",
    "people": "People",
    "organisations": "Organisations",
    "places": "Places",
    "events": "Events",
    "tariffs": "Tariffs",
    "quotes": "Quotes",
    "statements": "Statements",
    "conflicts": "Conflicts",
}
"""Each collection as the kinds pane names it, in the fact file's order."""


@dataclass(frozen=True, slots=True)
class KindList:
    """The facts of one kind, a line each: the columns and rows of its command's listing."""

    collection: str
    columns: tuple[Column, ...]
    rows: Iterable[tuple[Cell, ...]]
    ids: list[str]
    noun: tuple[str, str]
    footer: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    """Something a page refers to that can be opened: one of its sources, or a linked fact."""

    target: str
    text: str
    heading: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A fact in full as ``show`` gives it; its sources and linked facts are ``references``."""

    fact_id: str
    collection: str
    detail: Detail
    references: list[Reference]


@dataclass(frozen=True, slots=True)
class Found:
    """A search hit, as ``tradecli search`` lists it."""

    fact_id: str
    kind: str
    date: str
    text: str
    sources: str


class Browser:
    """The facts a browser shows: the whole store, or what one source supports, on a day."""

    def __init__(self, store: Store, *, day: date | None = None, source: str | None = None):
        self.whole = store
        self.store = store
        self.source: str | None = None
        self.chosen_day = day
        if source is not None:
            self.filter_sources(source)

    # The day and the source filter

    @property
    def newest(self) -> date | None:
        """The day the newest source (of those kept) was published."""
        newest = newest_source(self.store)
        return newest.as_of.first_day() if newest and newest.as_of else None

    @property
    def day(self) -> date:
        """The day measures show their state for: the one chosen, else the newest source's."""
        return self.chosen_day or self.newest or date.today()

    def set_day(self, text: str) -> str | None:
        """Show measures as they stood on the day ``text`` names (empty: the newest source's
        date); a note when the day is after the sources end. Raise UsageError for a bad day."""
        self.chosen_day = parse_day(text) if text.strip() else None
        return beyond_sources(self.store, self.day)

    def filter_sources(self, text: str | None) -> None:
        """Keep only what one source, or an outlet's sources, support; None or empty: all.

        Raise NotFoundError or AmbiguousError, with close names, as ``--source`` does.
        """
        if text is None or not text.strip():
            self.store, self.source = self.whole, None
            return
        chosen = sources_matching(self.whole, text)
        self.store, self.source = restrict_to_sources(self.whole, chosen), text.strip()

    def scope(self) -> str:
        """The day and the sources shown, in a line."""
        day = f"as of {self.day}"
        if self.chosen_day is None:
            day += " (newest source)"
        kept = f"source: {self.source}" if self.source is not None else "all sources"
        return f"{day} · {kept}"

    # Kinds and lists

    def counts(self) -> dict[str, int]:
        """How many facts of each kind are shown (from the index, without reading them)."""
        return self.store.counts()

    def kind_list(self, collection: str) -> KindList:
        """Every fact of a kind, a line each, with the columns of its command's listing."""
        store = self.store
        items = store.items(collection)
        ids = [item.id for item in items]
        if collection == "sources":
            listing = source_listing(store, source_citations(store))
        elif collection in ("people", "organisations"):
            listing = entity_listing(store, collection, items)
        elif collection == "places":
            return self._places(items, ids)
        elif collection == "events":
            listing = meeting_listing(store, Selection(items, []))
            columns = tuple(
                dataclasses.replace(column, name="EVENT") if column.name == "MEETING" else column
                for column in listing.columns
            )
            return KindList(collection, columns, listing.rows, ids, ("event", "events"))
        elif collection == "tariffs":
            day = self.day
            listing = tariff_listing(
                store,
                items,
                day,
                newest=self.chosen_day is None,
                expected=expectations(store, day),
            )
        elif collection == "quotes":
            listing = quote_listing(store, Selection(items, []))
        elif collection == "statements":
            listing = statement_listing(store, Selection(items, []))
        elif collection == "conflicts":
            views = conflicts(store)
            listing = conflict_listing(store, views)
            ids = [view.conflict.id for view in views]
        else:
            raise ValueError(f"no such kind of fact: {collection}")
        footer = tuple(line for line in listing.footer if "tradecli" not in line)
        return KindList(collection, listing.columns, listing.rows, ids, listing.noun, footer)

    def _places(self, items: list[Place], ids: list[str]) -> KindList:
        store = self.store
        return KindList(
            "places",
            (
                Column("ID"),
                Column("NAME", flexible=True),
                Column("KIND", priority=1),
                Column("WITHIN", priority=2, flexible=True),
            ),
            [(p.id, p.name, p.kind.label, label(store, p.within)) for p in items],
            ids,
            ("place", "places"),
        )

    # Pages

    def collection_of(self, fact_id: str) -> str:
        """The kind of a fact, by its collection."""
        return self.whole.by_id[fact_id][0]

    def page(self, fact_id: str, *, came_from: str | None = None) -> Page:
        """A fact in full, as ``show`` gives it (a measure in its state on the day); its
        sources and linked facts as references to open. A source opened from a fact begins
        with what it says of that fact."""
        store = self.store
        collection, item = store.by_id[fact_id]
        listing = detail_listing(store, fact_id, day=self.day)
        full = next(iter(listing.details or []))
        sections = [s for s in full.sections if s.heading not in ("sources", "linked")]
        if isinstance(item, Source) and came_from is not None and came_from in store.by_id:
            said = self._said(item, came_from)
            if said is not None:
                sections.insert(0, said)
        references: list[Reference] = []
        if not isinstance(item, Source):
            for source in cited_sources(store, item):
                # A source without an outlet is named by its title: once is enough.
                text = f"{source_name(source)}: {source.title}" if source.outlet else None
                references.append(
                    Reference(source.id, text or source_name(source), "sources", source.url)
                )
        for link in links(store, fact_id):
            references.append(Reference(link.fact.id, link_line(link, item), "linked"))
        return Page(fact_id, collection, dataclasses.replace(full, sections=sections), references)

    def _said(self, source: Source, fact_id: str) -> Section | None:
        """What a source says of a fact: its excerpts and paraphrases, a measure's steps too."""
        store = self.store
        item = store.by_id[fact_id][1]
        lines = [
            Line(evidence_line(store, evidence))
            for evidence in getattr(item, "evidence", [])
            if evidence.source == source.id
        ]
        if isinstance(item, Measure):
            for step in item.lifecycle:
                for evidence in step.evidence:
                    if evidence.source == source.id:
                        said = evidence_line(store, evidence)
                        lines.append(Line(f"{step_line(store, step, with_sources=False)}: {said}"))
        if not lines:
            return None
        return Section(f"what it says of {name_of(item)} ({fact_id})", lines)

    # Search and citations

    def search(self, text: str, *, limit: int) -> tuple[int, list[Found]]:
        """How many facts hold every word, and the best ``limit``, as ``tradecli search``
        finds them. Raise UsageError for a text with no words."""
        total, hits = search_best(self.store, text, limit=limit)
        listing = search_listing(
            self.store, hits, search_terms(text), total=total, limit=limit or None
        )
        found = [
            Found(*(flat(cell) for cell in row[1:6]))  # id, kind, date, text, sources
            for row in listing.rows
        ]
        return total, found

    def citation(self, fact_id: str) -> list[str]:
        """The sources of a fact (or a source itself) cited a line each, as ``tradecli cite``."""
        collection, item = self.store.by_id[fact_id]
        cited = [item] if collection == "sources" else cited_sources(self.store, item)
        return [cite.line(source) for source in cited]
