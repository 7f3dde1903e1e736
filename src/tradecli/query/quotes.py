"""Quotes, by speaker, by how a source describes an unnamed speaker, and by subject."""

from __future__ import annotations

from collections.abc import Collection

from tradecli.facts.kinds import Quote
from tradecli.facts.vocab import Channel
from tradecli.query import Selection
from tradecli.query.dates import date_key
from tradecli.query.names import on_side
from tradecli.store import Store
from tradecli.words import holds_every, search_terms


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    described: str | None = None,
    about: str | None = None,
    channels: Collection[Channel] = (),
    side: str | None = None,
) -> Selection[Quote]:
    """Quotes in date order, filtered by speaker id, by words of the description of a speaker no
    entity names (``speaker_description``), by words about their subject, and by how they were
    said (in person, a readout, social media), and by the country the speaker speaks for
    (``side``, a place's id), with a note naming quotes whose speaker's side is unknown."""
    terms = search_terms(about) if about is not None else []
    description_terms = search_terms(described) if described is not None else []
    chosen = []
    for quote in store.items("quotes"):
        if channels and quote.channel not in channels:
            continue
        if speaker is not None and quote.speaker != speaker:
            continue
        if described is not None and not (
            description_terms and holds_every(quote.speaker_description or "", description_terms)
        ):
            continue
        if terms and not holds_every(
            " ".join([*quote.about, quote.text, quote.occasion or ""]), terms
        ):
            continue
        chosen.append(quote)
    chosen.sort(key=lambda quote: date_key(quote.date))
    if side is None:
        return Selection(chosen, [])
    kept, notes = on_side(
        store, chosen, lambda quote: quote.speaker, side, ("quotes", "their speakers")
    )
    return Selection(kept, notes)
