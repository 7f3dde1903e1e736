"""Statements: figures, goals, expectations, agreements and the rest, by kind, holder and words."""

from __future__ import annotations

from collections.abc import Collection

from tradecli.facts.kinds import Statement
from tradecli.facts.vocab import StatementKind
from tradecli.query import Selection
from tradecli.query.dates import date_key
from tradecli.query.names import on_side
from tradecli.store import Store
from tradecli.words import holds_every, search_terms


def statements(
    store: Store,
    *,
    kinds: Collection[StatementKind] = (),
    held_by: str | None = None,
    about: str | None = None,
    side: str | None = None,
) -> Selection[Statement]:
    """Statements of these kinds, made or held by this entity (its id), holding these words;
    held by an actor who speaks for ``side`` (a place's id); dated ones in date order, then
    the undated in file order."""
    terms = search_terms(about) if about is not None else []
    chosen = [
        statement
        for statement in store.items("statements")
        if (not kinds or statement.kind in kinds)
        and (held_by is None or statement.claimed_by == held_by)
        and (not terms or holds_every(" ".join([statement.text, *statement.subjects]), terms))
    ]
    chosen.sort(key=lambda statement: (statement.date is None, date_key(statement.date)))
    if side is None:
        return Selection(chosen, [])
    held = [statement for statement in chosen if statement.claimed_by]
    kept, notes = on_side(
        store, held, lambda statement: statement.claimed_by, side, ("statements", "their holders")
    )
    return Selection(kept, notes)
