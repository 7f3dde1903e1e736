"""What is still open: what the sources expected or asked that no fact in the store settles.

Four kinds, each judged on the newest source's date (the last day the store knows of):
- ``expectation``: an expectation or a dated goal someone holds (a statement), and a change a
  source expected in a measure's lifecycle that no later step confirms;
- ``ends``: a state known to end on a day after the newest source (a suspension to
  2026-12-31): what follows is not known;
- ``scheduled``: an event still only scheduled, and not superseded by what happened;
- ``question``: a question the sources leave open (a statement of kind ``question``).

The store links no outcome to an expectation except a confirming lifecycle step, so an
expectation here is one the store records no outcome for; ``past_due`` says whether its date
has passed by the newest source's date.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import LifecycleStep
from tradecli.facts.vocab import EventStatus, StatementKind
from tradecli.query.dates import date_key
from tradecli.query.lifecycle import state_on
from tradecli.query.links import source_lookup, superseded_by
from tradecli.query.sources import newest_day
from tradecli.store import Store


class Unsettled(NamedTuple):
    """One open item: its kind, the date it was due or scheduled for (None if no source gives
    one), the fact it rests on, who expected it (an id, or None), and for a measure the step
    expected or the state that ends."""

    kind: str
    due: PartialDate | None
    fact: Any
    holder: str | None
    step: LifecycleStep | None
    past_due: bool


def unsettled(store: Store, day: date | None = None) -> list[Unsettled]:
    """Every open item on ``day`` (default: the newest source's date), those due first first,
    the undated last."""
    day = day or newest_day(store) or date.today()
    found: list[Unsettled] = []

    def past(when: PartialDate | None) -> bool:
        return when is not None and when.last_day() < day

    kinds = {
        StatementKind.QUESTION.value,
        StatementKind.EXPECTATION.value,
        StatementKind.GOAL.value,
    }
    for statement in store.where("statements", "kind", kinds):
        if statement.kind is StatementKind.QUESTION:
            kind = "question"
        elif statement.kind is StatementKind.EXPECTATION or (
            statement.kind is StatementKind.GOAL and statement.due is not None
        ):
            kind = "expectation"
        else:
            continue
        found.append(
            Unsettled(
                kind, statement.due, statement, statement.claimed_by, None, past(statement.due)
            )
        )
    sources = source_lookup(store)
    for measure in store.with_open_steps():
        state = state_on(measure, day, sources)
        if state is None:
            continue
        for step in state.expected:
            found.append(Unsettled("expectation", step.date, measure, None, step, past(step.date)))
        ending = [
            step
            for step in measure.lifecycle
            if step.until is not None
            and step.until.last_day() >= day
            and step.date is not None
            and step.date.last_day() <= day
        ]
        for step in ending:
            found.append(Unsettled("ends", step.until, measure, None, step, False))
    for event in store.where("events", "status", {EventStatus.SCHEDULED.value}):
        if not superseded_by(store, event.id):
            found.append(Unsettled("scheduled", event.date, event, None, None, past(event.date)))
    found.sort(key=lambda item: (item.due is None, date_key(item.due)))
    return found
