"""Search every fact for words: SQLite's full-text index selects and ranks the hits.

A search is a query of the index's FTS5 table: every term must match (a word or its plural, a
prefix, a phrase's words in a row, as ``words.Term`` says), and the hits come best first by
bm25, a hit in a name (an id, name, alias, title or topic) counting three times one elsewhere.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from tradecli.errors import UsageError
from tradecli.facts.kinds import CLAIMS, ENTITIES
from tradecli.facts.vocab import Certainty
from tradecli.store import Store
from tradecli.store.build import texts
from tradecli.words import Term, search_terms, words_of


class Hit(NamedTuple):
    """A fact that a search found, its rank score (higher is better; None when no words were
    searched for), and the text of it that holds the terms most often."""

    collection: str
    fact: Any
    score: float | None
    text: str


def search_best(store: Store, text: str, *, limit: int) -> tuple[int, list[Hit]]:
    """How many facts hold every term of the search, and the best ``limit`` of them (0: all)."""
    terms = search_terms(text)
    if not terms:
        raise UsageError(f"search {text!r} has no words to look for")
    total, found = store.search(terms, limit)
    return total, [Hit(c, fact, round(score, 3), _best(fact, terms)) for c, fact, score in found]


def _best(fact: Any, terms: list[Term]) -> str:
    """The first of a fact's texts (in the order of its fields) holding the terms most often."""
    best, most = "", 0
    for text in texts(fact):
        words = words_of(text)
        count = sum(term.count(words) for term in terms)
        if count > most:
            best, most = text, count
    return best


def held_as(store: Store, wanted: set[Certainty] | None, *, limit: int) -> tuple[int, list[Hit]]:
    """Every fact (not an entity or source) held with one of these certainties, or every fact
    when ``wanted`` is None, in file order: what a search without words lists; the count and
    the first ``limit`` (0: all)."""
    kinds = [collection for collection in CLAIMS if collection not in ENTITIES]
    words = {certainty.value for certainty in wanted or ()}
    # Asked of the index by certainty, so the cost follows the claims found, not the store.
    found = [
        Hit(collection, item, None, "")
        for collection in kinds
        for item in (
            store.items(collection)
            if wanted is None
            else store.where(collection, "certainty", words)
        )
    ]
    return len(found), found[:limit] if limit else found
