"""Search every fact for words: how words match, and how hits are scored and ordered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from tradecli.errors import UsageError
from tradecli.store import Store
from tradecli.words import Term, search_terms, words_of

_NAME_WEIGHT = 3


class Hit(NamedTuple):
    """A fact that a search found, how well, and the text that matched best."""

    collection: str
    fact: Any
    terms_matched: int
    score: int
    text: str


def search(store: Store, text: str) -> list[Hit]:
    """Facts and entities holding every word and phrase of the search, most hits first.

    A word matches itself and its plural, ignoring case and accents, or, written with a final
    ``*``, every word it begins; a quoted phrase matches its words in a row. A hit in an id,
    name, alias, title or topic counts three times.
    """
    terms = _terms_or_fail(text)
    hits = [
        hit
        for collection, item in store.all_facts()
        if (hit := _score(collection, item, terms)) is not None
    ]
    hits.sort(key=lambda hit: -hit.score)
    return hits


def search_best(store: Store, text: str, *, limit: int) -> tuple[int, list[Hit]]:
    """How many facts match, and the best ``limit`` of them (all for 0).

    A store opened from its search index asks it for every matching fact, scored as below, and
    loads only the best; otherwise every fact is scored. Either way the hits and their order
    are the same: the index narrows the candidates, it never decides the ranking.
    """
    terms = _terms_or_fail(text)
    candidates = store.search(terms)
    if candidates is not None:
        chosen = candidates[:limit] if limit else candidates
        found = store.rows([candidate.rowid for candidate in chosen])
        if found is not None:
            scored = [_score(*found[candidate.rowid], terms) for candidate in chosen]
            if all(
                hit is not None and (hit.terms_matched, hit.score) == (c.terms_matched, c.score)
                for hit, c in zip(scored, chosen, strict=True)
            ):
                return len(candidates), [hit for hit in scored if hit is not None]
            store.distrust_index()  # its words disagree with its facts: the file decides
    hits = search(store, text)
    return len(hits), hits[:limit] if limit else hits


def _terms_or_fail(text: str) -> list[Term]:
    terms = search_terms(text)
    if not terms:
        raise UsageError(f"search {text!r} has no words to look for")
    return terms


def _texts(value: Any) -> Iterator[str]:
    """Every string inside a field's JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


def _score(collection: str, item: Any, terms: list[Term]) -> Hit | None:
    """How well one fact matches every term: weighted hits, and its best-matching text; None
    when a term is missing.

    Each occurrence of a term counts once; in a field that names the fact (its declaration says
    so: id, name, aliases, title, topic) three times.
    """
    found = [0] * len(terms)
    score = 0
    best, best_count = "", 0
    data = item.to_json()
    for field in type(item).FIELDS:
        weight = _NAME_WEIGHT if field.names else 1
        for field_text in _texts(data[field.name]):
            words = words_of(field_text)
            count = 0
            for number, term in enumerate(terms):
                here = term.count(words)
                found[number] += here
                count += here
            score += count * weight
            if count > best_count:
                best, best_count = field_text, count
    if not all(found):
        return None
    return Hit(collection, item, len(terms), score, best)
