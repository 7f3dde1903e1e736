"""Views for people: the timeline as a tree of years, months and days, and chains of measures.

Each view is a Rich renderable (trees, and grids that indent wrapped lines) whose text is
``rich.text.Text`` alone, never a markup string; every piece of fact text passes through
``textsafe.visible()`` first. Rich wraps the text at the
terminal's width and cuts nothing. JSON, CSV and Markdown keep their listings; the chain's listing
lives here because its JSON is nested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from tradecli.facts.dates import PartialDate, Precision
from tradecli.facts.kinds import KIND_OF, Measure, Source
from tradecli.facts.vocab import EventCategory
from tradecli.present.listing import Cell, Column, Listing
from tradecli.present.words import (
    happening,
    label,
    labels,
    measure_rate,
    qualified,
    source_name,
    when,
)
from tradecli.query.chains import ChainNode, Cut, links
from tradecli.query.dates import span_text
from tradecli.query.links import cited_sources
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from rich.console import RenderableType

    from tradecli.query import Selection
    from tradecli.query.events import TimelineEntry
    from tradecli.store import Store

DAY_MARK = "●"
SPAN_MARK = "▬"
TIMELINE_LEGEND = (
    f"{DAY_MARK} a day   {SPAN_MARK} several days, or the whole month or year a source gives"
)
CHAIN_LEGEND = "Each measure, and beneath it the measures that respond to it (responds_to)."

HEADING = "bold"
DATE = "cyan"
DETAIL = "dim"
SOURCE = "green"
REMARK = "yellow"
GUIDE = "dim"

_CUT_REMARKS = {
    Cut.REPEAT: "(repeat: it responds to several measures; its responses are shown above)",
    Cut.CYCLE: "(cycle: it is already above on this branch)",
    Cut.CONTINUED: "(the chain goes on below, as a chain of its own)",
}


def line(*parts: tuple[str, str]) -> Text:
    """One line of Text from (text, style) parts, each with its control characters made visible.

    A newline inside a part is shown as ``\\x0a`` too: only ``lines`` breaks lines.
    """
    text = Text()
    for part, style in parts:
        text.append(visible(part), style)
    return text


def lines(*texts: Text) -> Text:
    """Lines of Text, one under the other."""
    return Text("\n").join(texts)


# Timeline


def span_label(first: PartialDate, last: PartialDate | None = None) -> tuple[str, bool]:
    """A date or range with its precision spelled out, and whether it spans more than a day.

    ``2018-12 (whole month)``, ``2019 to 2021 (years)``, ``2017-12-03 to 2017-12-07 (5 days)``.
    """
    text = span_text(first, last)
    if last is None or last == first:
        if first.precision is Precision.DAY:
            return text, False
        return f"{text} (whole {first.precision.value})", True
    if first.precision is Precision.DAY and last.precision is Precision.DAY:
        days = (last.first_day() - first.first_day()).days + 1
        return f"{text} ({days} days)", True
    if first.precision is last.precision:
        return f"{text} ({first.precision.value}s)", True
    return f"{text} (from a {first.precision.value} to a {last.precision.value})", True


def day_heading(day: PartialDate) -> str:
    """A day's heading, such as ``Thursday 15 January 2026``."""
    return f"{day.weekday()} {day.human()}"


@dataclass
class _Month:
    entries: list[TimelineEntry] = field(default_factory=list)
    days: dict[int, list[TimelineEntry]] = field(default_factory=dict)


@dataclass
class _Year:
    entries: list[TimelineEntry] = field(default_factory=list)
    months: dict[int, _Month] = field(default_factory=dict)


def visit_months(store: Store) -> set[tuple[int, int]]:
    """The (year, month) pairs a visit spans, for visits dated at least to the month.

    Every visit in the file counts, even under --source, so headings do not change with it.
    """
    months: set[tuple[int, int]] = set()
    for event in store.whole.items("events"):
        if event.category is not EventCategory.VISIT:
            continue
        if event.date is None:
            continue
        if event.date.precision is Precision.YEAR:
            continue
        first, last = event.date.first_day(), (event.end_date or event.date).last_day()
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            months.add((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def entry_sources(store: Store, entry: TimelineEntry) -> list[Source]:
    """The sources for one timeline entry: a measure's step cites its own evidence."""
    fact = entry.fact
    if isinstance(fact, Measure):
        steps = [step for step in fact.lifecycle if step.date == entry.date]
        if steps:
            found = [source for step in steps for source in cited_sources(store, step)]
            return list({source.id: source for source in found}.values())
    return cited_sources(store, fact)


def _sources_part(sources: Sequence[Source]) -> list[tuple[str, str]]:
    """Sources by outlet and date: "according to The Canadian Press, 2026-01-16; …"."""
    if not sources:
        return [("no source", REMARK)]
    return [("according to ", ""), ("; ".join(source_name(s) for s in sources), SOURCE)]


def marked(mark: str, text: Text) -> Table:
    """Text beside a marker, its wrapped lines indented under the text, not under the marker."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(mark, DATE), text)
    return grid


def _entry(store: Store, entry: TimelineEntry, *, under_day: bool) -> Table:
    when, is_span = span_label(entry.date, entry.end)
    head: list[tuple[str, str]] = []
    if is_span or not under_day:  # under a day's heading, the day goes without saying
        head.append((when + "  ", DATE))
    head.append((entry.fact.title, ""))
    detail = line(
        (f"{happening(entry)} · {KIND_OF[entry.collection].NOUN} {entry.fact.id} · ", DETAIL),
        *_sources_part(entry_sources(store, entry)),
    )
    return marked(SPAN_MARK if is_span else DAY_MARK, lines(line(*head), detail))


def timeline_view(store: Store, found: Selection[TimelineEntry]) -> RenderableType:
    """The timeline as a tree: years, their months, and each day of a visit's months.

    An entry sits under the finest heading its date is known to: a date known only to the year
    under the year, only to the month under the month, drawn as a span of all of it.
    """
    expanded = visit_months(store)
    years: dict[int, _Year] = {}
    for entry in found.items:
        first = entry.date
        year = years.setdefault(first.year, _Year())
        if first.month is None:
            year.entries.append(entry)
            continue
        month = year.months.setdefault(first.month, _Month())
        if first.day is None or (first.year, first.month) not in expanded:
            month.entries.append(entry)
        else:
            month.days.setdefault(first.day, []).append(entry)
    tree = Tree(Text("timeline"), hide_root=True, guide_style=GUIDE)
    for year_number, year in years.items():
        year_node = tree.add(line((str(year_number), HEADING)))
        for entry in year.entries:
            year_node.add(_entry(store, entry, under_day=False))
        for month_number, month in year.months.items():
            month_name = PartialDate(year_number, month_number).human()
            month_node = year_node.add(line((month_name, HEADING)))
            for entry in month.entries:
                month_node.add(_entry(store, entry, under_day=False))
            for day_number, entries in month.days.items():
                day = PartialDate(year_number, month_number, day_number)
                day_node = month_node.add(line((day_heading(day), HEADING)))
                for entry in entries:
                    day_node.add(_entry(store, entry, under_day=True))
    return Group(line((TIMELINE_LEGEND, DETAIL)), Text(), tree)


# Chains of measures


def _node_text(store: Store, node: ChainNode, outside: list[str]) -> Text:
    m = node.measure
    head: list[tuple[str, str]] = [(m.title, HEADING)]
    if node.cut is not None:
        head.append(("  " + _CUT_REMARKS[node.cut], REMARK))
    who = f"{label(store, m.imposed_by)} -> {label(store, m.target)}"
    status = qualified(m.status.label, m.certainty)
    shown = [
        line(*head),
        line((f"{m.id} · {who} · rate {measure_rate(m, m.rate_percent)} · {status}", "")),
        line(
            (f"announced {when(m.announced)} · in force {when(m.in_force)} · ", DATE),
            *_sources_part(cited_sources(store, m)),
        ),
    ]
    if m.responds_to and m.responds_to_basis:
        basis = m.responds_to_basis
        shown.append(line((f"that it responds to them is {basis[:1].lower()}{basis[1:]}", REMARK)))
    if outside:
        shown.append(line((f"responds to, outside this selection: {'; '.join(outside)}", DETAIL)))
    return lines(*shown)


def _add_responses(store: Store, tree: Tree, node: ChainNode) -> None:
    # Recursion is bounded: chains.MAX_DEPTH cuts deeper chains into chains of their own.
    for response in node.responses:
        _add_responses(store, tree.add(_node_text(store, response, [])), response)


def chain_view(store: Store, chains: Sequence[ChainNode], measures: Sequence[Measure]) -> Group:
    """Each chain as a tree, a root first and the measures that respond to it beneath."""
    chosen = {measure.id for measure in measures}
    parts: list[RenderableType] = [line((CHAIN_LEGEND, DETAIL))]
    for root in chains:
        outside = labels(store, [ref for ref in root.measure.responds_to if ref not in chosen])
        tree = Tree(_node_text(store, root, outside), guide_style=GUIDE)
        _add_responses(store, tree, root)
        parts.extend([Text(), tree])
    return Group(*parts)


def chain_record(node: ChainNode) -> dict[str, Any]:
    """A chain node as JSON: the measure's key fields and, nested, the measures answering it."""
    m = node.measure
    return {
        "id": m.id,
        "title": m.title,
        "rate_percent": m.rate_percent,
        "status": m.status.value,
        "certainty": m.certainty.value,
        "announced": str(m.announced) if m.announced is not None else None,
        "in_force": str(m.in_force) if m.in_force is not None else None,
        "responds_to": list(m.responds_to),
        "responds_to_basis": m.responds_to_basis,
        "cut": node.cut.value if node.cut is not None else None,
        "responses": [chain_record(response) for response in node.responses],
    }


def chain_listing(chains: Sequence[ChainNode], measures: Sequence[Measure]) -> Listing:
    """Chains for other programs: nested JSON records; one row per link for CSV and Markdown.

    A row reads (from, from title, to, to title): ``to`` responds to ``from``. A measure that
    responds to nothing in the selection has a row with an empty ``from``.
    """
    rows: list[tuple[Cell, ...]] = [
        (
            earlier.id if earlier is not None else None,
            earlier.title if earlier is not None else None,
            later.id,
            later.title,
        )
        for earlier, later in links(measures)
    ]
    records = [chain_record(root) for root in chains]
    columns = (
        Column("FROM"),
        Column("FROM TITLE", flexible=True),
        Column("TO"),
        Column("TO TITLE", flexible=True),
    )
    return Listing(columns, rows, records, noun=("link", "links"))
