"""How text is compared: names and search words, in any case or accent, normalised one way."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching and alias checks."""
    if text.isascii():
        stripped = text  # ASCII has nothing to decompose and no combining marks
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold()).split())


_STOP_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to", "with"]
)
# Endings a word may add to a search word and still match it: "tariff" finds "tariffs".
_ENDINGS = ("", "s", "es")
_QUOTED = re.compile(r'"([^"]*)"?')


class Term(NamedTuple):
    """What one part of a search asks for: a word, or a phrase of consecutive words.

    A word matches itself and its plural ("tariff" finds "tariffs", "Xi" does not find "Xian");
    with ``prefix`` the last word matches any word it begins ("tar*" finds "tariffs"). In a
    phrase of more than four words only the last may be a plural.
    """

    words: tuple[str, ...]
    prefix: bool = False

    def alternatives(self) -> list[tuple[str, ...]]:
        """Every run of words the term matches (a prefix's last word as it begins them)."""
        last = len(self.words) - 1
        forms = [
            (word,) if self.prefix and index == last else tuple(word + end for end in _ENDINGS)
            for index, word in enumerate(self.words)
        ]
        if last >= _MOST_PLURALS:
            forms = [*((word,) for word in self.words[:-1]), forms[-1]]
        return list(itertools.product(*forms))

    def fts_query(self) -> str:
        """The term as an FTS5 query: its alternatives, each a phrase in quotes."""
        star = " *" if self.prefix else ""
        return "(" + " OR ".join(f'"{" ".join(run)}"{star}' for run in self.alternatives()) + ")"

    def _fits(self, word: str, wanted: str, index: int) -> bool:
        if self.prefix and index == len(self.words) - 1:
            return word.startswith(wanted)
        return word == wanted

    def matches_word(self, word: str, index: int = 0) -> bool:
        """True if a normalised word matches the ``index``-th word of the term."""
        return any(self._fits(word, run[index], index) for run in self.alternatives())

    def count(self, words: list[str]) -> int:
        """How many times the term occurs in a text's normalised words."""
        size = len(self.words)
        runs = self.alternatives()
        return sum(
            any(all(self._fits(words[start + i], run[i], i) for i in range(size)) for run in runs)
            for start in range(len(words) - size + 1)
        )

    def __str__(self) -> str:
        shown = " ".join(self.words) + ("*" if self.prefix else "")
        return f'"{shown}"' if len(self.words) > 1 else shown


_MOST_PLURALS = 4  # words in a phrase, each of which may be a plural: 3 ** 4 alternatives


def search_terms(text: str) -> list[Term]:
    """The terms of a search: quoted phrases, and words without common short ones (unless the
    search has only those); a word ending in * matches as a prefix."""
    terms: list[Term] = []
    for number, part in enumerate(_QUOTED.split(text)):
        if number % 2:  # inside quotes: a phrase
            words = normalise_name(part.replace("*", " ")).split()
            prefix = part.rstrip().endswith("*")
            if words:
                terms.append(Term(tuple(words), prefix))
            continue
        for raw in part.split():
            words = normalise_name(raw.replace("*", " ")).split()
            if words:
                terms.append(Term(tuple(words), raw.endswith("*")))
    terms = list(dict.fromkeys(terms))
    meaningful = [t for t in terms if len(t.words) > 1 or t.prefix or t.words[0] not in _STOP_WORDS]
    return meaningful or terms


def words_of(text: str) -> list[str]:
    """The normalised words of a text."""
    return normalise_name(text).split()


def holds_every(text: str, terms: list[Term]) -> bool:
    """True if every term occurs in the text."""
    words = words_of(text)
    return all(term.count(words) for term in terms)


def matches_term(word: str, terms: Iterable[Term]) -> bool:
    """True if a word (as written) matches a word of one of the terms, for highlighting."""
    key = normalise_name(word)
    return any(term.matches_word(key, index) for term in terms for index in range(len(term.words)))
