"""The visit at a glance: the listing ``tradecli summary`` writes, outcome first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradecli.facts.kinds import Source
from tradecli.facts.vocab import EventStatus
from tradecli.present.listing import Column, Detail, Line, Listing, Section, Table, each
from tradecli.present.words import (
    event_status,
    fact_when,
    happening,
    label,
    labels,
    qualified,
    source_name,
    when,
)
from tradecli.query.links import cited_sources

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from tradecli.query.events import TimelineEntry
    from tradecli.query.summary import Summary
    from tradecli.store import Store


def summary_listing(store: Store, summary: Summary) -> Listing:
    """The visit at a glance, outcome first; JSON objects ``{"topic", "detail", "ids",
    "sources"}``: what was agreed and expected, what happened since, what is disputed, figures,
    and the date the sources end."""
    items: list[tuple[str, str, list[str], list[Source]]] = []

    def entry_line(entry: TimelineEntry) -> tuple[str, list[Source]]:
        said = cited_sources(store, entry.step if entry.step is not None else entry.fact)
        return f"{when(entry.date, entry.end)} {entry.fact.title}: {happening(entry)}", said

    for visit in summary.visits:
        dates = when(visit.date, visit.end_date)
        status = "" if visit.status is EventStatus.HELD else f", {visit.status.label}"
        claim = f"; claimed by {label(store, visit.claimed_by)}" if visit.claimed_by else ""
        text = f"{visit.title}: {qualified(dates + status, visit.certainty)}{claim}"
        items.append(("visit", text, [visit.id], cited_sources(store, visit)))
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
    for conflict in summary.conflicts:
        text = conflict.topic
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
            return iter(in_full())

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
    "disputed": "disputed",
    "meeting": "meetings",
    "figure": "figures, as their sources give them",
}
