"""Provenance: the store as one source tells it, and where sources disagree."""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any, NamedTuple

from tradecli.errors import AmbiguousError, NotFoundError, UsageError
from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import Conflict, Event, Measure, Quote, Source, Statement
from tradecli.facts.vocab import Certainty, Disputed, PublisherKind
from tradecli.query import names
from tradecli.query.dates import span_text
from tradecli.query.lifecycle import state_on
from tradecli.query.links import cited_sources, source_lookup
from tradecli.store import Store
from tradecli.words import holds_every, normalise_name, search_terms

_ASIDE = re.compile(r"\s*\([^)]*\)\s*$")
_MINOR = frozenset({"the", "of", "and", "for", "in", "on", "de", "la", "le"})


@functools.lru_cache(maxsize=4096)  # a store names a few outlets over and over
def _outlet_key(outlet: str) -> str:
    """An outlet's name for matching: without an aside in brackets, a leading "The", or case."""
    key = normalise_name(_ASIDE.sub("", outlet))
    return key[4:] if key.startswith("the ") else key


def _initials(key: str) -> set[str]:
    words = key.split()
    return {
        "".join(word[0] for word in words),
        "".join(word[0] for word in words if word not in _MINOR),
    }


def sources_matching(store: Store, text: str) -> list[Source]:
    """The sources ``text`` names: a source's id, an outlet's name, its start or its initials.

    "cp-five-things" names one source; "Associated Press", "associated" or "ap" every source of
    that outlet, whoever carried it. Raise NotFoundError, with close names, when none matches,
    and AmbiguousError when the text starts the names of several outlets.
    """
    wanted = text.strip()
    found = names.handle(store, wanted)
    if found is not None and found[0] == "sources":
        return [found[1]]
    key = _outlet_key(wanted)
    if not key:
        raise UsageError(f"--source {text!r} names no source; give an id or an outlet's name")
    every = store.items("sources")
    outlets: dict[str, list[Source]] = {}
    for source in every:
        if source.outlet:
            outlets.setdefault(_outlet_key(source.outlet), []).append(source)
    for rule in (
        lambda name: name == key,
        lambda name: key in _initials(name),
        lambda name: name.startswith(key),
        lambda name: f" {key}" in f" {name}",
    ):
        named = [name for name in outlets if rule(name)]
        if len(named) == 1:
            return outlets[named[0]]
        if named:
            listed = "; ".join(outlets[name][0].outlet or name for name in named)
            raise AmbiguousError(
                f"--source {text!r} names {len(named)} outlets: {_ASIDE.sub('', listed)}",
                hint="give more of the outlet's name, or a source id (tradecli sources)",
            )
    import difflib  # only for a suggestion

    pool = [*outlets, *(source.id for source in every)]
    close = difflib.get_close_matches(key, pool, n=5, cutoff=0.6)
    shown = [outlets[name][0].outlet if name in outlets else name for name in close]
    raise NotFoundError(
        f"no source or outlet matches {text!r}",
        hint=f"did you mean {'; '.join(s or '' for s in shown)}?"
        if shown
        else "list them: tradecli sources",
    )


def restrict(store: Store, keep: set[str]) -> Store:
    """The store holding only the facts of ``keep``, with the conflicts among them.

    Names and titles of other facts stay available for labels (``by_id``); listings and
    searches see only the facts kept.
    """
    for conflict in store.items("conflicts"):
        if keep & set(conflict.claims):
            keep.add(conflict.id)
    return store.restricted(keep)


def restrict_to_sources(store: Store, chosen: list[Source]) -> Store:
    """The store as some sources tell it: only facts whose evidence cites one of them."""
    kept = {source.id for source in chosen}
    for source in chosen:
        kept.update(
            item.id for _collection, item, field in store.referrers(source.id) if field == "source"
        )
    return restrict(store, kept)


def restrict_to_certainty(store: Store, wanted: set[Certainty]) -> Store:
    """The store with only the facts of these certainties; sources, which have none, all stay."""
    kept = {
        item.id
        for collection, item in store.all_facts()
        if collection != "conflicts" and getattr(item, "certainty", None) in (None, *wanted)
    }
    return restrict(store, kept)


class Outlet(NamedTuple):
    """An outlet and its stories: a wire service with every paper that carried its stories is
    one outlet, as ``support`` counts it. ``facts`` is how many facts cite any of its stories."""

    name: str
    stories: list[Source]
    facts: int

    @property
    def publishers(self) -> list[PublisherKind]:
        """The kinds of publisher its stories name, each once, in order."""
        return list(dict.fromkeys(story.publisher for story in self.stories))

    @property
    def carried_by(self) -> list[str]:
        """The papers that carried its stories, each once, in order."""
        return list(dict.fromkeys(s.carried_by for s in self.stories if s.carried_by))


def outlets_of(store: Store) -> list[Outlet]:
    """Every outlet with its stories, those behind the most facts first (then by name)."""
    stories: dict[str, list[Source]] = {}
    for source in store.items("sources"):
        key = _outlet_key(source.outlet) if source.outlet else source.id
        stories.setdefault(key, []).append(source)
    citing = store.citing()
    found = []
    for group in stories.values():
        cited = set().union(*(citing.get(source.id, set()) for source in group))
        found.append(Outlet(group[0].outlet or group[0].title, group, len(cited)))
    return sorted(found, key=lambda outlet: (-outlet.facts, normalise_name(outlet.name)))


class Support(NamedTuple):
    """Who confirms a fact: the independent outlets whose stories it cites, and whether it meets
    the Global Trade Alert's sourcing rule (an official source, or two independent outlets).

    A wire story and the papers that carried it are one outlet (``Source.outlet``), and so is an
    outlet quoting another's report (``carried_by``); a source that names no outlet counts as
    one of its own."""

    outlets: list[str]
    official: bool

    @property
    def independent(self) -> int:
        """How many independent outlets support the fact."""
        return len(self.outlets)

    @property
    def meets_rule(self) -> bool:
        """True for an official source or two independent outlets."""
        return self.official or self.independent >= 2


def support(store: Store, item: Any) -> Support:
    """Who confirms a fact: the outlets of the sources its evidence cites (a step's too)."""
    outlets: dict[str, str] = {}
    official = False
    for source in cited_sources(store, item):
        name = source.outlet or source.title
        outlets.setdefault(_outlet_key(source.outlet) if source.outlet else source.id, name)
        official = official or source.publisher is PublisherKind.OFFICIAL
    return Support(list(outlets.values()), official)


def restrict_to_support(store: Store, *, confirmed: bool) -> Store:
    """The store with only the facts that meet the sourcing rule (``confirmed``), or only those
    resting on one outlet; facts that cite no evidence (sources) all stay."""
    kept = set()
    for collection, item in store.all_facts():
        if collection == "conflicts":
            continue
        if "evidence" not in item.BY_NAME:
            kept.add(item.id)
            continue
        said = support(store, item)
        if said.meets_rule if confirmed else said.independent == 1:
            kept.add(item.id)
    return restrict(store, kept)


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


def claim_text(store: Store, item: Any, conflict: Conflict) -> str:
    """What a fact asserts in a conflict, in a line: a statement's text, an event's date, a
    measure's dates where the conflict disputes a date, else its rate and status on the date
    of the first claim's source (what held when that claim was made)."""
    if isinstance(item, Statement):
        return item.text
    if isinstance(item, Measure):
        if conflict.disputes is Disputed.DATE:
            return f"{item.title}: {_measure_dates(item)}"
        day = _claim_day(store, conflict)
        if day is None:
            rate = f"{item.rate_percent:g}%" if item.rate_percent is not None else "no rate given"
            return f"{item.title}: {rate} on {', '.join(item.products)}"
        state = state_on(item, day, source_lookup(store))
        if state is None or state.status is None:
            return f"{item.title}: not known on {day}"
        rate = f"{state.rate_percent:g}% " if state.rate_percent is not None else ""
        status = state.status.label
        if item.certainty is not Certainty.STATED:
            status += f" ({item.certainty.label})"
        return f"{item.title}: {rate}{status} on {day}"
    if isinstance(item, Event):
        when = span_text(item.date, item.end_date) if item.date is not None else "undated"
        return f"{item.title}: {when}"
    if isinstance(item, Quote):
        return item.text
    return str(getattr(item, "name", None) or getattr(item, "title", None) or item.id)


def _measure_dates(measure: Measure) -> str:
    """A measure's dates, for a conflict about one: its announced and in-force dates, or its
    first dated step."""
    parts = []
    if measure.announced is not None:
        parts.append(f"announced {span_text(measure.announced, None)}")
    if measure.in_force is not None:
        parts.append(f"in force from {span_text(measure.in_force, None)}")
    if not parts:
        dated = [(step.status, step.date) for step in measure.lifecycle if step.date is not None]
        if dated:
            status, when = dated[0]
            parts.append(f"{status.label} {span_text(when, None)}")
    return "; ".join(parts) or "undated"


def _claim_day(store: Store, conflict: Conflict) -> date | None:
    """The date of the first claim's newest source: the day the claim was made. A source
    known only to its month or year counts to its last day, but never past the newest
    source's day, after which the store knows nothing."""
    first = store.by_id[conflict.claims[0]][1]
    dated = [s.as_of.last_day() for s in cited_sources(store, first) if s.as_of is not None]
    if not dated:
        return None
    last = newest_day(store)
    return max(dated) if last is None else min(max(dated), last)


def conflicts(store: Store, *, topic: str | None = None) -> list[ConflictView]:
    """Every known conflict with its claims side by side, optionally those about some words."""
    terms = search_terms(topic) if topic else []
    views = []
    for conflict in store.items("conflicts"):
        if terms and not holds_every(
            " ".join([conflict.id, conflict.topic, conflict.note or ""]), terms
        ):
            continue
        claims = []
        for claim_id in conflict.claims:
            collection, item = store.by_id[claim_id]
            said = claim_text(store, item, conflict)
            claims.append(Claim(collection, item, said, cited_sources(store, item)))
        views.append(ConflictView(conflict, claims))
    return views


def newest_source(store: Store) -> Source | None:
    """The source published last: the store knows nothing that came after it."""
    found: Source | None = store.newest_source()
    return found


def _earliest(when: PartialDate | None) -> date:
    assert when is not None
    return when.first_day()


def newest_day(store: Store) -> date | None:
    """The newest source's date, its first day: the last day the store knows of."""
    newest = newest_source(store)
    return newest.as_of.first_day() if newest is not None and newest.as_of is not None else None


def beyond_sources(store: Store, day: date) -> str | None:
    """A note for an answer about a day after the newest source, else None."""
    newest = newest_source(store)
    if newest is None or newest.as_of is None or _earliest(newest.as_of) >= day:
        return None
    return (
        f"note: the sources end on {newest.as_of}; {day} is after that, so later changes "
        "are unknown to the store"
    )
