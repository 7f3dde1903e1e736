"""Search every fact for words: how words match, and how hits are scored and ordered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from tradecli.errors import UsageError
from tradecli.facts.kinds import NAME_FIELDS
from tradecli.store import Store
from tradecli.words import search_terms, words_of

_NAME_WEIGHT = 3


class Hit(NamedTuple):
    """A fact that a search found, how well, and the text that matched best."""

    collection: str
    fact: Any
    terms_matched: int
    score: int
    text: str


def _texts(value: Any, *, top: bool = True) -> Iterator[tuple[bool, str]]:
    """(is a name field, text) for every string inside a dumped fact."""
    if isinstance(value, dict):
        for key, inner in value.items():
            for _named, text in _texts(inner, top=False):
                yield top and key in NAME_FIELDS, text
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner, top=False)
    elif isinstance(value, str):
        yield False, value


def search(store: Store, text: str) -> list[Hit]:
    """Facts and entities holding any of the words, most words matched first, then most hits.

    A word matches a search term when it starts with it, ignoring case and accents; hits in an
    id, name, alias, title or topic count three times.
    """
    terms = _terms_or_fail(text)
    hits = [
        hit
        for collection, item in store.all_facts()
        if (hit := _score(collection, item, terms)) is not None
    ]
    hits.sort(key=lambda hit: (-hit.terms_matched, -hit.score))
    return hits


def search_best(store: Store, text: str, *, limit: int) -> tuple[int, list[Hit]]:
    """How many facts match, and the best ``limit`` of them (all for 0).

    A store opened from its search index asks the index for the matching facts and loads only
    those (with many matches, only the best thousand or so by BM25, names weighing three times);
    otherwise every fact is scored. Either way hits are ordered by words matched, then hits.
    """
    terms = _terms_or_fail(text)
    if store.index is None:
        hits = search(store, text)
        return len(hits), hits[:limit] if limit else hits
    # Score every match exactly when there are few; else the index's best few hundred.
    total, ids = store.index.search(terms, limit=None if not limit else max(limit * 20, 1000))
    found = []
    for fact_id in ids:
        collection, item = store.by_id[fact_id]
        hit = _score(collection, item, terms)
        if hit is not None:
            found.append(hit)
    found.sort(key=lambda hit: (-hit.terms_matched, -hit.score))
    return total, found[:limit] if limit else found


def _terms_or_fail(text: str) -> list[str]:
    terms = search_terms(text)
    if not terms:
        raise UsageError(f"search {text!r} has no words to look for")
    return terms


def _score(collection: str, item: Any, terms: list[str]) -> Hit | None:
    """How well one fact matches: terms matched, weighted hits, and its best-matching text."""
    matched: set[str] = set()
    score = 0
    best, best_count = "", 0
    for named, field_text in _texts(item.to_json()):
        count = 0
        for word in words_of(field_text):
            for term in terms:
                if word.startswith(term):
                    matched.add(term)
                    count += 1
        score += count * (_NAME_WEIGHT if named else 1)
        if count > best_count:
            best, best_count = field_text, count
    if not matched:
        return None
    return Hit(collection, item, len(matched), score, best)
