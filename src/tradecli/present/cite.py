"""Citations of sources, ready to paste: a plain line, CSL JSON (Zotero, Pandoc) and BibTeX.

A source's shape decides its entry: a news, wire or trade-press story is an article in its
outlet (BibTeX ``@article`` with ``journal``; CSL ``article-newspaper`` or ``article-magazine``);
anything else, an official page, a speech, a blog post, an association's report, is a web page
or report published by its outlet (``@online`` with ``organization``; CSL ``webpage``,
``speech``, ``report``, ``post-weblog``...). The outlet that carried another's story is a note
("via Lethbridge Herald"). A date is given at the precision known; a page without one has no
date field, only a note saying when it was written. The store records no access date, so no
entry has one (``urldate``, ``accessed``).

Text from the fact file reaches a reference manager as printable text: control, format
(zero-width, bidirectional), private-use and unassigned characters, which no reference can
print, are dropped; the rest is NFC-normalised, and each run of whitespace of any kind is one
space, none at either end.

In BibTeX each field is one brace group that nothing in the data can close or unbalance:
BibTeX, biber and pybtex count every brace, escaped or not, so the data's braces and backslash
become ``{\\textbraceleft}``, ``{\\textbraceright}`` and ``{\\textbackslash}``, whose braces pair
up; ``% & # $ _`` are escaped with a backslash; ``^`` and ``~`` become ``{\\textasciicircum}`` and
``{\\textasciitilde}``. Other characters, ``@`` and letters beyond ASCII among them, are text to
BibTeX and LaTeX and stay as they are (UTF-8, which biber, XeLaTeX and LuaLaTeX read). Each word
of a title holding a capital is braced (``{China}``) so that no style lowercases it. A web
address keeps its characters but those a URL may not hold (spaces, braces, backslashes, quotes,
letters beyond ASCII...), which are percent-encoded.

An entry's key is the source's id, which the fact file keeps unique and spells with characters
every BibTeX tool takes in a key; an id that could not be one (never from a valid file) gets a
readable key with a hash of the id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import Source
from tradecli.facts.vocab import PublisherKind, SourceKind
from tradecli.present.words import dated, outlet
from tradecli.textsafe import visible

# A story is an article in its outlet when a periodical published it as a story.
_STORIES = frozenset({SourceKind.NEWS_REPORT, SourceKind.TRADE_NEWS})
_PERIODICALS = frozenset({PublisherKind.NEWS, PublisherKind.WIRE, PublisherKind.TRADE_PRESS})
_CSL_TYPES = {
    SourceKind.OFFICIAL_RELEASE: "webpage",
    SourceKind.SPEECH: "speech",
    SourceKind.READOUT: "webpage",
    SourceKind.SOCIAL_MEDIA_POST: "post",
    SourceKind.INDUSTRY_REPORT: "report",
    SourceKind.LEGAL_ANALYSIS: "report",
    SourceKind.BLOG: "post-weblog",
}

_LATEX = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "^": r"{\textasciicircum}",
    "~": r"{\textasciitilde}",
}
_LATEX_SPECIAL = re.compile(r"[\\{}%&#$_^~]")
# A run of letters and digits (a word to protect), or any one other character.
_WORD_OR_CHAR = re.compile(r"(?P<word>[^\W_]+)|.", re.DOTALL)
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_PRINTABLE: dict[str, str] = {}  # what each character met becomes; filled as met
# Characters a URL holds as they are (RFC 3986's unreserved, reserved and "%"), but for "\"
# and the braces, which no URL holds and BibTeX reads.
_URL_KEPT = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
_KEY = re.compile(r"[a-z0-9][a-z0-9._-]*")  # the fact file's ids: a key to every BibTeX tool
_NOT_KEY = re.compile(r"[^a-z0-9._-]+")


def _is_article(source: Source) -> bool:
    return bool(source.outlet) and source.kind in _STORIES and source.publisher in _PERIODICALS


def _carried(source: Source) -> str | None:
    return f"via {source.carried_by}" if source.carried_by else None


def line(source: Source) -> str:
    """A citation on one line: outlet (and who carried it), “title”, date and address, as far as
    the file gives them; a page without a date says so ("n.d.") and when it was written."""
    parts = [outlet(source)] if source.outlet else []
    if source.carried_by:
        parts[-1:] = [f"{outlet(source)} ({_carried(source)})"]
    parts.append(f"“{source.title}”")
    date = dated(source)
    if date is not None:
        parts.append(date)
    if source.url:
        parts.append(source.url)
    return ", ".join(parts)


def _printable_char(char: str) -> str:
    if char.isspace():
        return " "
    if unicodedata.category(char) in _DROPPED or visible(char) != char:
        return ""  # visible() shows what a terminal would obey or hide: Hangul fillers too
    return char


def printable(text: str) -> str:
    """Text as a reference holds it: invisible and control characters dropped, the rest
    NFC-normalised, each run of whitespace of any kind one space, none at either end."""
    if not (text.isascii() and text.isprintable()):
        kept = []
        for char in unicodedata.normalize("NFC", text):
            found = _PRINTABLE.get(char)
            if found is None:
                found = _PRINTABLE[char] = _printable_char(char)
            kept.append(found)
        text = "".join(kept)
    return " ".join(text.split())


def _notes(source: Source) -> str | None:
    """The reprint's carrier, and the date of a page that shows none: "via X; n.d. (...)"."""
    notes = [_carried(source)]
    if source.published is None:
        notes.append(dated(source))
    return "; ".join(note for note in notes if note) or None


def url(address: str) -> str:
    """A web address with every character a URL may not hold percent-encoded (as UTF-8)."""
    if all(char in _URL_KEPT for char in address):
        return address
    return "".join(
        char if char in _URL_KEPT else "".join(f"%{byte:02X}" for byte in char.encode())
        for char in address.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )


def _csl_type(source: Source) -> str:
    if _is_article(source):
        trade = source.publisher is PublisherKind.TRADE_PRESS
        return "article-magazine" if trade else "article-newspaper"
    if source.kind in _STORIES and source.publisher is PublisherKind.BLOG:
        return "post-weblog"
    return _CSL_TYPES.get(source.kind, "webpage")


def _date_parts(published: PartialDate) -> list[int]:
    return [part for part in (published.year, published.month, published.day) if part is not None]


def csl(source: Source) -> dict[str, Any]:
    """A source as a CSL JSON item, which Zotero, Pandoc and citeproc read: the outlet is both
    the container and the publisher; issued at the precision known, none for an undated page."""
    item: dict[str, Any] = {
        "id": source.id,
        "type": _csl_type(source),
        "title": printable(source.title),
    }
    if source.outlet:
        item["container-title"] = item["publisher"] = printable(source.outlet)
    if source.published is not None:
        item["issued"] = {"date-parts": [_date_parts(source.published)]}
    notes = _notes(source)
    if notes:
        item["note"] = printable(notes)
    if source.url:
        item["URL"] = url(source.url)
    return item


def latex(text: str) -> str:
    """Text as a BibTeX field's LaTeX: printable, every special character escaped."""
    return _LATEX_SPECIAL.sub(lambda match: _LATEX[match.group()], printable(text))


def _title(text: str) -> str:
    """A title's LaTeX, each word that holds a capital braced so that no style lowercases it."""
    words = []
    for match in _WORD_OR_CHAR.finditer(printable(text)):
        word = match.group()
        if match.lastgroup == "word":
            words.append(f"{{{word}}}" if word != word.lower() else word)
        else:
            words.append(_LATEX.get(word, word))
    return "".join(words)


def key(source_id: str) -> str:
    """The BibTeX key of a source: its id; an id no tool takes as a key, readable and hashed."""
    if _KEY.fullmatch(source_id):
        return source_id
    readable = _NOT_KEY.sub("-", source_id.lower()).strip("-._") or "source"
    digest = hashlib.sha256(source_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{readable}-{digest}"


def bibtex(source: Source, *, cite_key: str | None = None) -> str:
    """A source as a BibLaTeX entry: ``@article`` in its outlet for a story, ``@online`` by its
    outlet for anything else; ``date`` with ``year`` too, for plain BibTeX."""
    fields = [("title", _title(source.title))]
    if source.outlet:
        fields.append(("journal" if _is_article(source) else "organization", latex(source.outlet)))
    if source.published is not None:
        fields.append(("date", str(source.published)))
        fields.append(("year", str(source.published.year)))
    notes = _notes(source)
    if notes:
        fields.append(("note", latex(notes)))
    if source.url:
        fields.append(("url", url(source.url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    entry_type = "article" if _is_article(source) else "online"
    return f"@{entry_type}{{{cite_key or key(source.id)},\n{body}\n}}"


def once(sources: Iterable[Source]) -> list[Source]:
    """Each source once, where it first comes."""
    return list({source.id: source for source in sources}.values())


def bibliography(sources: Iterable[Source]) -> str:
    """Each source once as BibTeX entries, a blank line apart; no two entries share a key."""
    taken: set[str] = set()
    entries = []
    for source in once(sources):
        chosen = base = key(source.id)
        count = 1
        while chosen in taken:  # only a hashed key can meet another: in theory
            count += 1
            chosen = f"{base}-{count}"
        taken.add(chosen)
        entries.append(bibtex(source, cite_key=chosen))
    return "\n\n".join(entries)
