"""The visit at a glance: the listing ``tradecli summary`` writes, outcome first."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from tradecli.facts.kinds import Conflict, Event, Source
from tradecli.facts.vocab import EventStatus
from tradecli.present import unsettled
from tradecli.present.listing import Column, Detail, Line, Listing, Section, Table, each
from tradecli.present.words import (
    event_status,
    fact_when,
    happening,
    label,
    labels,
    outlet,
    qualified,
    source_name,
    when,
)
from tradecli.query.links import cited_sources
from tradecli.query.sources import claim_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from tradecli.query.events import TimelineEntry
    from tradecli.query.summary import Summary
    from tradecli.query.unsettled import Unsettled
    from tradecli.store import Store


def visit_text(store: Store, visit: Event) -> str:
    """A visit in a line: its title, dates, status unless held, certainty and who claims it."""
    dates = when(visit.date, visit.end_date)
    status = "" if visit.status is EventStatus.HELD else f", {visit.status.label}"
    claim = f"; claimed by {label(store, visit.claimed_by)}" if visit.claimed_by else ""
    return f"{visit.title}: {qualified(dates + status, visit.certainty)}{claim}"


def summary_listing(
    store: Store, summary: Summary, open_items: list[Unsettled], *, long: bool = False
) -> Listing:
    """The visit at a glance, outcome first; JSON objects ``{"topic", "detail", "ids",
    "sources"}``: what was agreed and expected, what happened since, what is still open, what
    is disputed, figures, and the date the sources end. On a terminal one screen (``glance``)
    unless ``long`` asks for every item."""
    items: list[tuple[str, str, list[str], list[Source]]] = []

    def entry_line(entry: TimelineEntry) -> tuple[str, list[Source]]:
        said = cited_sources(store, entry.step if entry.step is not None else entry.fact)
        return f"{when(entry.date, entry.end)} {entry.fact.title}: {happening(entry)}", said

    for visit in summary.visits:
        items.append(("visit", visit_text(store, visit), [visit.id], cited_sources(store, visit)))
    if summary.people:
        names = ", ".join(p.name for p in summary.people)
        items.append(("who", names, [p.id for p in summary.people], []))
    if summary.places:
        names = ", ".join(p.name for p in summary.places)
        items.append(("where", names, [p.id for p in summary.places], []))
    for meeting in summary.meetings:
        with_ = ", ".join(labels(store, meeting.participants))
        status = event_status(store, meeting)
        if meeting.title.endswith(f"({meeting.status.label})"):  # the title says it already
            status = status.removeprefix(meeting.status.label).lstrip(", ")
        about = "; ".join(part for part in (status, with_) if part)
        text = f"{fact_when(meeting)} {meeting.title} ({about})"
        items.append(("meeting", text, [meeting.id], cited_sources(store, meeting)))
    for statement in summary.agreed:
        items.append(("agreed", statement.text, [statement.id], cited_sources(store, statement)))
    for entry in summary.announced:
        text, said = entry_line(entry)
        items.append(("agreed", text, [entry.fact.id], said))
    newest_day = summary.newest.as_of if summary.newest is not None else None
    for statement in summary.expected:
        holder = label(store, statement.claimed_by)
        by = f" by {holder}" if holder else ""
        due = statement.due
        if due is not None and newest_day is not None and due.last_day() < newest_day.last_day():
            held = f"; {holder} expected it" if holder else ""
            text = f"{statement.text} (expected by {when(due)}; no source confirms it{held})"
        else:
            text = f"{statement.text} (expected{by}, not confirmed)"
        items.append(("expected", text, [statement.id], cited_sources(store, statement)))
    for entry in summary.since:
        text, said = entry_line(entry)
        items.append(("since", text, [entry.fact.id], said))
    for item in open_items[: GLANCE["open"]]:  # the first few; tradecli open lists them all
        text = f"{unsettled.what(item).rstrip('.')} ({unsettled.state(item)}; expected by "
        text += f"{unsettled.expected_by(store, item)})"
        items.append(("open", text, [item.fact.id], unsettled.said(store, item)))
    if len(open_items) > GLANCE["open"]:
        more = f"{len(open_items) - GLANCE['open']} more: tradecli open lists them all"
        items.append(("open", more, [item.fact.id for item in open_items[GLANCE["open"] :]], []))
    for conflict in summary.conflicts:
        text = f"{conflict.topic}: {sides(store, conflict)}"
        if conflict.explanation is not None:
            text += f"; explained: {conflict.explanation.text}"
        items.append(("disputed", text, list(conflict.claims), cited_sources(store, conflict)))
    for figure in summary.figures:
        items.append(("figure", figure.text, [figure.id], cited_sources(store, figure)))
    newest = summary.newest
    if newest is not None:
        text = (
            f"{newest.as_of}, the date of the newest source ({source_name(newest)}: "
            f"{newest.title}); the store knows nothing later"
        )
        items.append(("sources end", text, [newest.id], [newest]))
    counts = ", ".join(f"{count} {name}" for name, count in summary.counts.items())
    items.append(("facts", counts, [], []))

    def said_by(sources: list[Source]) -> str:
        return f" — {'; '.join(source_name(s) for s in sources)}" if sources else ""

    def in_full() -> Iterable[Detail]:
        fields: list[tuple[str, list[str]]] = []
        sections: dict[str, list[Line]] = {heading: [] for heading in _SUMMARY_SECTIONS.values()}
        for topic, text, _ids, said in items:
            shown = text if topic == "sources end" else text + said_by(said)
            if topic in _SUMMARY_FIELDS:
                fields.append((topic, [shown]))
            else:
                sections.setdefault(_SUMMARY_SECTIONS.get(topic, topic), []).append(Line(shown))
        yield Detail(
            "Mark Carney's visit to China, at a glance",
            "outcome first; tradecli show ID gives any fact in full",
            fields,
            [Section(heading, lines) for heading, lines in sections.items() if lines],
        )

    class Glance:
        def __iter__(self) -> Iterator[Detail]:
            return iter(in_full() if long else [glance(store, summary, open_items)])

    return Listing(
        (Column("TOPIC"), Column("DETAIL", flexible=True)),
        each(items, lambda item: (item[0], item[1] + said_by(item[3]))),
        each(
            items,
            lambda item: {
                "topic": item[0],
                "detail": item[1],
                "ids": item[2],
                "sources": [s.id for s in item[3]],
            },
        ),
        Table(
            ("topic", "detail", "ids", "sources"),
            each(
                items,
                lambda item: (
                    item[0],
                    item[1],
                    "; ".join(item[2]) or None,
                    "; ".join(s.id for s in item[3]) or None,
                ),
            ),
        ),
        Glance(),
        ("line", "lines"),
        whole=True,
    )


_SUMMARY_FIELDS = ("visit", "who", "where", "sources end", "facts")
_SUMMARY_SECTIONS = {  # in this order: the outcome first
    "agreed": "agreed",
    "expected": "expected, not confirmed",
    "since": "since the visit",
    "open": "still open",
    "disputed": "disputed",
    "meeting": "meetings",
    "figure": "figures, as their sources give them",
}


GLANCE = {"since": 4, "open": 3, "disputed": 3}
"""How many items of each long section one screen shows; the rest are counted, with the
command that lists them."""
GLANCE_SIDES = 3
"""How many sides of a dispute one screen shows; the rest are counted (tradecli conflicts)."""


def _first_outlet(sources: list[Source]) -> str:
    """The first outlet of some sources, and how many more: " — Reuters +2"."""
    if not sources:
        return ""
    more = len({outlet(s) for s in sources}) - 1
    return f" — {outlet(sources[0])}" + (f" +{more}" if more > 0 else "")


SIDE = 140
"""How long one side of a dispute may be on the one screen; ``conflicts`` gives it whole."""


def _side(store: Store, fact_id: str, conflict: Conflict) -> str:
    """One side of a dispute in a few words: a figure, a date, or a state, with its outlet."""
    found = store.by_id.get(fact_id)
    if found is None:
        return fact_id
    item = found[1]
    said = cited_sources(store, item)
    if getattr(item, "value", None) is not None and getattr(item, "unit", None):
        unit = str(item.unit)
        figure = f"{item.value:g}%" if unit.startswith("percent") else f"{item.value:,g} {unit}"
        text = figure.split(",")[0] if unit.startswith("percent") else figure
    else:
        text = claim_text(store, item, conflict)
        title = getattr(item, "title", None)
        if title and text.startswith(f"{title}: "):
            text = text.removeprefix(f"{title}: ")
        text = textwrap.shorten(text.rstrip("."), SIDE, placeholder="…")
    return f"{text} ({outlet(said[0])})" if said else text


def sides(store: Store, conflict: Conflict, most: int | None = None) -> str:
    """What each side of a dispute says, with its outlet, one after another; with ``most``,
    the first few and a count of the rest (the visit's dates have eight accounts)."""
    claims = conflict.claims if most is None else conflict.claims[:most]
    shown = [_side(store, claim, conflict) for claim in claims]
    rest = len(conflict.claims) - len(shown)
    more = f"{rest} more side{'s' if rest > 1 else ''}"
    return " · ".join([*shown, more] if rest else shown)


def glance(store: Store, summary: Summary, open_items: list[Unsettled]) -> Detail:
    """The summary in one screen: the visit, the date the sources end, what was agreed, what
    changed since, the first items still open and each dispute with what each side says;
    longer sections are cut with a count and the command that lists them all."""
    fields: list[tuple[str, list[str]]] = []
    for visit in summary.visits:
        by = _first_outlet(cited_sources(store, visit))
        fields.append(("visit", [f"{visit_text(store, visit)}{by}"]))
    newest = summary.newest
    if newest is not None:
        fields.append(
            ("sources end", [f"{newest.as_of} ({outlet(newest)}); the store knows nothing later"])
        )
    sections: list[Section] = []
    agreed = [
        Line(f"{statement.text}{_first_outlet(cited_sources(store, statement))}")
        for statement in summary.agreed
    ]
    for entry in summary.announced:
        said = cited_sources(store, entry.step if entry.step is not None else entry.fact)
        text = f"{entry.fact.title}: {happening(entry, note=False)}"
        agreed.append(Line(f"{text}{_first_outlet(said)}"))
    sections.append(Section("agreed", agreed))

    def cut(lines: list[Line], kind: str, more: str) -> list[Line]:
        shown = lines[: GLANCE[kind]]
        if len(lines) > len(shown):
            shown.append(Line(f"… {len(lines) - len(shown)} more: {more}"))
        return shown

    since = []
    for entry in summary.since:
        said = cited_sources(store, entry.step if entry.step is not None else entry.fact)
        text = f"{when(entry.date, entry.end)} {entry.fact.title}: {happening(entry, note=False)}"
        since.append(Line(f"{text}{_first_outlet(said)}"))
    start = summary.visit_end
    changes = f"tradecli changes --since {start}" if start is not None else "tradecli timeline"
    if since:
        sections.append(Section("since the visit", cut(since, "since", changes)))
    still = [
        Line(f"{unsettled.what(item).rstrip('.')} ({unsettled.state(item)})") for item in open_items
    ]
    if still:
        sections.append(Section("still open", cut(still, "open", "tradecli open")))
    disputed = [Line(f"{c.topic}: {sides(store, c, GLANCE_SIDES)}") for c in summary.conflicts]
    if disputed:
        sections.append(Section("disputed", cut(disputed, "disputed", "tradecli conflicts")))
    return Detail(
        "Mark Carney's visit to China, at a glance",
        "outcome first; --long gives every item, tradecli show ID any fact in full",
        fields,
        sections,
    )
