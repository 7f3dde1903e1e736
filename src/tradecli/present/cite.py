"""Citations of sources, ready to paste: a plain line, CSL JSON (Zotero, Pandoc) and BibTeX.

Every value is the fact file's text. In BibTeX, whose braces and backslashes are commands,
each character that LaTeX reads is escaped, so a title cannot run anything; a web address keeps
its characters but braces and backslashes, which are percent-encoded.
"""

from __future__ import annotations

import re
from typing import Any

from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import Source
from tradecli.facts.vocab import SourceKind
from tradecli.present.words import dated, outlet

_CSL_TYPES = {
    SourceKind.NEWS_REPORT: "article-newspaper",
    SourceKind.TRADE_NEWS: "article-magazine",
    SourceKind.OFFICIAL_RELEASE: "webpage",
    SourceKind.SPEECH: "speech",
    SourceKind.READOUT: "webpage",
    SourceKind.SOCIAL_MEDIA_POST: "post",
    SourceKind.INDUSTRY_REPORT: "report",
    SourceKind.LEGAL_ANALYSIS: "report",
    SourceKind.BLOG: "post-weblog",
}
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_LATEX_SPECIAL = re.compile(r"[\\{}%&#$_^~]")
_URL_SPECIAL = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
_KEY = re.compile(r"[^A-Za-z0-9_:-]+")


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


def _date_parts(published: PartialDate) -> list[int]:
    return [part for part in (published.year, published.month, published.day) if part is not None]


def csl(source: Source) -> dict[str, Any]:
    """A source as a CSL JSON item, which Zotero, Pandoc and citeproc read."""
    item: dict[str, Any] = {
        "id": source.id,
        "type": _CSL_TYPES.get(source.kind, "webpage") if source.kind else "webpage",
        "title": source.title,
    }
    if source.outlet:
        item["container-title"] = outlet(source)
    notes = [note for note in (_carried(source), dated(source)) if note]
    if source.published is not None:
        item["issued"] = {"date-parts": [_date_parts(source.published)]}
        notes.pop()  # the date is the issued date
    if notes:
        item["note"] = "; ".join(notes)
    if source.url:
        item["URL"] = source.url
    return item


def _latex(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda match: _LATEX[match.group()], text)


def bibtex(source: Source) -> str:
    """A source as a BibLaTeX ``@online`` entry (with ``year`` too, for plain BibTeX)."""
    key = _KEY.sub("-", source.id).strip("-") or "source"
    fields = [("title", "{" + _latex(source.title) + "}")]
    if source.outlet:
        fields.append(("organization", "{" + _latex(outlet(source)) + "}"))
    notes = [note for note in (_carried(source), dated(source)) if note]
    if source.published is not None:
        fields.append(("date", "{" + str(source.published) + "}"))
        fields.append(("year", "{" + str(source.published.year) + "}"))
        notes.pop()  # the date is the date field
    if notes:
        fields.append(("note", "{" + _latex("; ".join(notes)) + "}"))
    if source.url:
        url = "".join(_URL_SPECIAL.get(char, char) for char in source.url)
        fields.append(("url", "{" + url + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@online{{{key},\n{body}\n}}"
