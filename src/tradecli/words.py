"""How text is compared: names and search words, in any case or accent, normalised one way."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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


def search_terms(text: str) -> list[str]:
    """The words of a search, normalised, without common short words (unless only those)."""
    words = list(dict.fromkeys(normalise_name(text).split()))
    meaningful = [word for word in words if word not in _STOP_WORDS]
    return meaningful or words


def words_of(text: str) -> list[str]:
    """The normalised words of a text."""
    return normalise_name(text).split()


def holds_every(text: str, terms: list[str]) -> bool:
    """True if every normalised search term starts some word of the text."""
    words = words_of(text)
    return all(any(word.startswith(term) for word in words) for term in terms)


def matches_term(word: str, terms: Iterable[str]) -> bool:
    """True if a word (as written) starts with one of the normalised search terms."""
    key = normalise_name(word)
    return any(key.startswith(term) for term in terms)
