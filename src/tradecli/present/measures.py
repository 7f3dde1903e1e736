"""The listing of trade measures: each as it stood on a day, with the changes only expected.

A measure's line gives who imposes it on whom, its rate and status on the day, since and until
when; its JSON record adds ``as_of`` (``date``, ``status``, ``rate_percent``, ``since``, ``until``,
``ended``, ``basis``, ``partial``, ``expected``, ``expectations``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tradecli.facts.kinds import LifecycleStep, Measure, Source, Statement
from tradecli.facts.vocab import Certainty
from tradecli.present import sheet
from tradecli.present.detail import detail
from tradecli.present.listing import HINT, Cell, Column, Lazy, Listing, Table, each, footer
from tradecli.present.words import (
    FACT_COLUMNS,
    fact_cells,
    label,
    measure_rate,
    outlet,
    outlets,
    rate,
    record,
    said_briefly,
    source_brief,
    source_name,
    when,
)
from tradecli.query.lifecycle import MeasureState, state_on
from tradecli.query.links import cited_sources, source_lookup

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tradecli.query import Selection
    from tradecli.query.changes import Change
    from tradecli.store import Store

# Measures


def _status_word(state: MeasureState | None) -> str:
    """The state in a word or two, for one line: "in force", "suspended", "not known"."""
    if state is None:
        return "not yet"
    if state.status is None:
        return "not known"
    word = state.status.label
    if state.last_said is not None:
        return said_briefly(word, state.measure.certainty, state.last_said)
    if state.measure.certainty is not Certainty.STATED:
        word += f" ({state.measure.certainty.label})"
    elif state.basis.startswith("as reported"):
        word += " (as reported)"
    if state.partial:  # in force, but not on some products: "partly suspended"
        word = "partly " + ", ".join(dict.fromkeys(step.status.label for step in state.partial))
    elif state.lapsed:  # a step on some products ended: what came next there is not known
        ended = max(str(step.until) for step in state.lapsed)
        word += f" (part not known after {ended})"
    return word


def _rate_on(state: MeasureState | None) -> str:
    """The rate on the day (the status beside it says whether it is charged), or not known
    after a known end."""
    if state is None or state.status is None:
        return "not known"
    return measure_rate(state.measure, state.rate_percent)


def _expected_step(store: Store, step: LifecycleStep, day: date) -> str:
    """A change a source expects, as it stands on ``day``: pending until its date, then
    expected and never confirmed."""
    assert step.date is not None
    rate_text = f" to {rate(step.rate_percent)}" if step.rate_percent is not None else ""
    note = f": {step.note}" if step.note else ""
    on = f" for {', '.join(step.products)}" if step.products else ""
    said = "; ".join(source_name(s) for s in cited_sources(store, step))
    change = f"{step.status.label}{on}{rate_text}"
    if step.date.last_day() < day:
        return f"expected {change} by {when(step.date)}; no source confirms it{note} — {said}"
    return f"expected {change} by {when(step.date)}{note} — {said}"


def _expectation(store: Store, statement: Statement, day: date) -> str:
    """An expectation someone holds about a measure, with its sources: never a confirmed rate;
    once its due date has passed, expected and never confirmed."""
    holder = label(store, statement.claimed_by) or "a source"
    said = "; ".join(source_name(s) for s in cited_sources(store, statement))
    due = statement.due
    if due is not None and due.last_day() < day:
        return (
            f"expected by {when(due)}; no source confirms it; {holder} expected it: "
            f"{statement.text} — {said}"
        )
    by = f", due {when(due)}" if due is not None else ""
    return f"expected by {holder}{by}, not confirmed: {statement.text} — {said}"


def _as_of_json(state: MeasureState | None, day: date, held: list[Statement]) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "status": None if state is None or state.status is None else state.status.value,
        "rate_percent": None if state is None else state.rate_percent,
        "since": None if state is None or state.since is None else str(state.since),
        "until": None if state is None or state.until is None else str(state.until),
        "ended": None if state is None or state.ended is None else str(state.ended),
        "basis": None if state is None else state.basis,
        "last_said": None
        if state is None or state.last_said is None
        else {"source": state.last_said.id, "date": str(state.last_said.as_of)},
        "partial": [] if state is None else [step.to_data() for step in state.partial],
        "lapsed": [] if state is None else [step.to_data() for step in state.lapsed],
        "expected": [] if state is None else [step.to_data() for step in state.expected],
        "expectations": [
            {
                "id": statement.id,
                "held_by": statement.claimed_by,
                "text": statement.text,
                "value": statement.value,
                "unit": statement.unit,
                "due": str(statement.due) if statement.due is not None else None,
            }
            for statement in held
        ],
    }


def tariff_listing(
    store: Store,
    measures: Iterable[Measure],
    day: date,
    *,
    newest: bool,
    expected: dict[str, list[Statement]] | None = None,
) -> Listing:
    """Measures on a day (by default the newest source's): who on whom, rate, status, since
    when, sources; changes only expected are kept apart, never shown as the rate."""
    sources = source_lookup(store)
    held = expected or {}

    def made() -> Iterable[tuple[Measure, MeasureState | None]]:
        return ((m, state_on(m, day, sources)) for m in measures)

    items = Lazy(made)

    def line(pair: tuple[Measure, MeasureState | None]) -> tuple[Cell, ...]:
        m, state = pair
        waiting = [_expected_step(store, step, day) for step in (state.expected if state else [])]
        waiting += [_expectation(store, statement, day) for statement in held.get(m.id, [])]
        since: str | None
        until: str | None
        if state is not None and state.status is None:  # not known: since its known end
            since, until = f"after {state.ended}", None
        elif state is not None and state.partial:  # since when, until when it is partly so
            since = str(min((step.date for step in state.partial if step.date), key=str))
            untils = [step.until for step in state.partial if step.until is not None]
            until = str(min(untils, key=lambda end: end.last_day())) if untils else None
        else:
            since = str(state.since) if state is not None and state.since is not None else None
            until = str(state.until) if state is not None and state.until is not None else None
        return (
            m.id,
            m.title,
            f"{label(store, m.imposed_by)} → {label(store, m.target)}",
            _rate_on(state),
            _status_word(state),
            since,
            until,
            waiting or None,
            outlets(store, m),
        )

    def as_record(pair: tuple[Measure, MeasureState | None]) -> dict[str, Any]:
        m, state = pair
        return {**record(store, "tariffs", m), "as_of": _as_of_json(state, day, held.get(m.id, []))}

    def as_row(pair: tuple[Measure, MeasureState | None]) -> tuple[Any, ...]:
        m, state = pair
        state_json = _as_of_json(state, day, held.get(m.id, []))
        return (
            *sheet.row(m),
            state_json["date"],
            state_json["status"],
            state_json["rate_percent"],
            state_json["since"],
            state_json["until"],
            state_json["ended"],
            "; ".join(held_one["id"] for held_one in state_json["expectations"]) or None,
            *fact_cells(store, m),
        )

    def in_full(pair: tuple[Measure, MeasureState | None]) -> Any:
        m, state = pair
        return detail(store, m.id, state=state, today=day)[0]

    columns = (
        Column("ID"),
        Column("MEASURE", flexible=True, narrowest=24),
        Column("BY → ON", priority=4),
        Column("RATE"),
        Column("STATUS", flexible=True, narrowest=16),
        Column("SINCE"),
        Column("UNTIL"),
        Column("EXPECTED CHANGES", priority=5, flexible=True),
        Column("SOURCES", priority=1, flexible=True),
    )
    table = Table(
        (
            *sheet.columns(Measure),
            "as_of_date",
            "as_of_status",
            "as_of_rate_percent",
            "as_of_since",
            "as_of_until",
            "as_of_ended",
            "as_of_expectations",
            *FACT_COLUMNS,
        ),
        each(items, as_row),
    )
    when_ = f"status on {day}, the newest source's date" if newest else f"status on {day}"
    return Listing(
        columns,
        each(items, line),
        each(items, as_record),
        table,
        each(items, in_full),
        (Measure.NOUN, Measure.NOUNS),
        footer(when_, HINT),
        handles=store.numbers,
    )


# What changed


def _state_text(state: MeasureState | None) -> str:
    """A state in a few words, rate first where there is one: "100%, in force", "not yet"."""
    if state is None:
        return "not yet"
    word = _status_word(state)
    if state.status is None:
        return word
    untils = [step.until for step in state.partial if step.until is not None]
    if state.partial and untils:  # until when it is partly so
        word += f" to {min(untils, key=lambda end: end.last_day())}"
    elif state.until is not None and not state.partial:
        word += f" to {state.until}"
    rate_text = _rate_on(state)
    return word if rate_text == "no rate" else f"{rate_text}, {word}"


def changes_listing(store: Store, found: Selection[Change], start: date, end: date) -> Listing:
    """Each change of a measure's state in a window: when, which measure, before → after,
    and the outlets of the step that made it."""

    def said(change: Change) -> list[Source]:
        return cited_sources(store, change.step if change.step is not None else change.measure)

    def what(change: Change) -> str:
        text = f"{_state_text(change.before)} → {_state_text(change.after)}"
        if change.ended and change.step is not None and change.step.until is not None:
            text += f" (the step to {change.step.until} ended)"
        if change.step is not None and change.step.products and not change.ended:
            text += f" (on {', '.join(change.step.products)})"
        return text

    def line(change: Change) -> tuple[Cell, ...]:
        return (
            change.measure.id,
            str(change.when),
            change.measure.title,
            what(change),
            [outlet(source) for source in said(change)] or None,
        )

    def as_record(change: Change) -> dict[str, Any]:
        return {
            "date": change.day.isoformat(),
            "date_as_given": str(change.when),
            "id": change.measure.id,
            "title": change.measure.title,
            "before": _as_of_json(change.before, change.day - timedelta(days=1), []),
            "after": _as_of_json(change.after, change.day, []),
            "ended": change.ended,
            "step": change.step.to_data() if change.step is not None else None,
            "sources": [source_brief(source) for source in said(change)],
        }

    def as_row(change: Change) -> tuple[Any, ...]:
        data = as_record(change)
        return (
            data["date"],
            data["date_as_given"],
            data["id"],
            data["title"],
            data["before"]["status"],
            data["before"]["rate_percent"],
            data["after"]["status"],
            data["after"]["rate_percent"],
            data["ended"],
            "; ".join(source.id for source in said(change)) or None,
        )

    return Listing(
        (
            Column("ID"),
            Column("DATE"),
            Column("MEASURE", flexible=True, narrowest=24),
            Column("CHANGE", flexible=True, narrowest=24),
            Column("SOURCES", priority=1, flexible=True, narrowest=14),
        ),
        each(found.items, line),
        each(found.items, as_record),
        Table(
            (
                "date",
                "date_as_given",
                "id",
                "title",
                "before_status",
                "before_rate_percent",
                "after_status",
                "after_rate_percent",
                "ended",
                "sources",
            ),
            each(found.items, as_row),
        ),
        each(found.items, lambda change: detail(store, change.measure.id, today=change.day)[0]),
        ("change", "changes"),
        footer(f"changes of state from {start} to {end}", HINT),
        handles=store.numbers,
    )
