"""The listing of what is still open: expectations, states that end, scheduled events and open
questions, each with who expected it, when they said so, and what the store knows of its outcome.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tradecli.present.detail import detail
from tradecli.present.listing import HINT, Cell, Column, Listing, Table, each, footer
from tradecli.present.words import label, name_of, outlet, rate, source_brief, source_name, when
from tradecli.query.links import cited_sources

if TYPE_CHECKING:
    from tradecli.facts.kinds import Source
    from tradecli.query.unsettled import Unsettled
    from tradecli.store import Store


def what(item: Unsettled) -> str:
    """What is open, in a line: the statement, the change expected, the state that ends, the
    event scheduled."""
    step = item.step
    if step is None:
        return str(getattr(item.fact, "text", None) or name_of(item.fact))
    on = f" for {', '.join(step.products)}" if step.products else ""
    rate_text = f" to {rate(step.rate_percent)}" if step.rate_percent is not None else ""
    return f"{item.fact.title}: {step.status.label}{on}{rate_text}"


def state(item: Unsettled) -> str:
    """Where it stands on the newest source's date, in the words of the kind."""
    due = when(item.due) if item.due is not None else None
    if item.kind == "question":
        asked = f"open question, due {due}" if due else "open question"
        return f"{asked}; no source reports the answer"
    if item.kind == "ends":
        return f"ends {due}; no source says what follows"
    if item.kind == "scheduled":
        planned = f"scheduled for {due}" if due else "scheduled, no date given"
        return f"{planned}; no source reports that it took place"
    expected = f"expected by {due}" if due else "expected, no date given"
    return f"{expected}; no source reports the outcome"


def said(store: Store, item: Unsettled) -> list[Source]:
    """The sources of the expectation: the step's own for a measure, else the fact's."""
    return cited_sources(store, item.step if item.step is not None else item.fact)


def expected_by(store: Store, item: Unsettled) -> str:
    """Who expected it, and when they said so: "Global Affairs Canada, 2026-04-07"."""
    sources = said(store, item)
    first = sources[0] if sources else None
    who = label(store, item.holder) if item.holder else (outlet(first) if first else None)
    said_on = source_name(first).removeprefix(f"{outlet(first)}, ") if first else None
    if said_on == (outlet(first) if first else None):
        said_on = None
    return ", ".join(part for part in (who, said_on) if part) or "not given"


def unsettled_listing(store: Store, items: list[Unsettled], day: date) -> Listing:
    """Open items, those due first first: due date, what, where it stands, who expected it."""

    def line(item: Unsettled) -> tuple[Cell, ...]:
        return (
            item.fact.id,
            when(item.due) if item.due is not None else None,
            what(item),
            state(item),
            expected_by(store, item),
            [outlet(source) for source in said(store, item)] or None,
        )

    def as_record(item: Unsettled) -> dict[str, Any]:
        return {
            "id": item.fact.id,
            "kind": item.kind,
            "due": str(item.due) if item.due is not None else None,
            "past_due": item.past_due,
            "what": what(item),
            "state": state(item),
            "held_by": item.holder,
            "expected_by": expected_by(store, item),
            "step": item.step.to_data() if item.step is not None else None,
            "outcome": None,
            "sources": [source_brief(source) for source in said(store, item)],
        }

    def as_row(item: Unsettled) -> tuple[Any, ...]:
        data = as_record(item)
        return (
            data["id"],
            data["kind"],
            data["due"],
            data["past_due"],
            data["what"],
            data["state"],
            data["held_by"],
            "; ".join(source.id for source in said(store, item)) or None,
        )

    return Listing(
        (
            Column("ID"),
            Column("DUE"),
            Column("OPEN", flexible=True, narrowest=28),
            Column("STANDS", flexible=True, narrowest=16),
            Column("EXPECTED BY", flexible=True, narrowest=14),
            Column("SOURCES", priority=1, flexible=True, narrowest=14),
        ),
        each(items, line),
        each(items, as_record),
        Table(
            ("id", "kind", "due", "past_due", "what", "state", "held_by", "sources"),
            each(items, as_row),
        ),
        each(items, lambda item: detail(store, item.fact.id)[0]),
        ("open item", "open items"),
        footer(f"as the sources stand on {day}, the newest source's date", HINT),
        handles=store.numbers,
    )
