"""How facts read to people: names for ids, words for vocabularies, sources by outlet and date.

Every view uses these, so a fact reads the same everywhere: an expected change is always marked
as expected, a rate a source does not give is always "not given", a source is always its outlet
and date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import DAY_BOUNDS
from tradecli.facts.kinds import Source
from tradecli.facts.vocab import Certainty, MeasureKind, MeasureStatus
from tradecli.query.dates import span_text
from tradecli.query.links import cited_sources, superseded_by
from tradecli.query.sources import Support, support

if TYPE_CHECKING:
    from tradecli.query.events import TimelineEntry
    from tradecli.store import Store

NOT_GIVEN = "not given"


def qualified(what: str, certainty: Certainty) -> str:
    """A status or happening with its certainty beside it, unless the source simply states it."""
    if certainty is Certainty.STATED or certainty.value == what:
        return what
    if certainty is Certainty.EXPECTED and what.startswith("expect"):
        return what  # "expectation (expected)" says nothing more
    return f"{what} ({certainty.label})"


def happening(entry: TimelineEntry, *, note: bool = True) -> str:
    """What a timeline entry says happened: "held", "in force at 100%: note", "announced";
    without ``note``, the step's note is left out."""
    if entry.step is not None:
        step = entry.step
        rate_text = f" at {step.rate_percent:g}%" if step.rate_percent is not None else ""
        on = f" for {', '.join(step.products)}" if step.products else ""
        until = f" until {step.until}" if step.until is not None else ""
        said = f": {step.note}" if step.note and note else ""
        marked = qualified(f"{step.status.label}{on}{rate_text}{until}", step.certainty)
        if step.status is MeasureStatus.THREATENED and "threat" not in marked:
            marked += " (a threat)"
        return marked + said
    if entry.field is not None:
        return qualified(entry.field.label, entry.fact.certainty)
    basis = getattr(entry.fact, "date_basis", None)
    mark = f"; date {basis.value}" if basis is not None else ""
    return qualified(entry.fact.status.label, entry.fact.certainty) + mark


def quoted(text: str) -> str:
    """Text in quote marks, unless it is already wholly in double quotes (an excerpt that
    quotes a post as its source printed it)."""
    if len(text) > 1 and text[0] in '"“' and text[-1] in '"”':
        return text
    return f"“{text}”"


def basis_mark(item: Any) -> str:
    """How a fact's date is known, where a source does not simply give it: " (inferred)",
    " (announced)"; else nothing."""
    basis = getattr(item, "date_basis", None)
    return f" ({basis.value})" if basis is not None else ""


def fact_when(item: Any) -> str:
    """A fact's date or span, marked where it is inferred or only announced."""
    return when(item.date, getattr(item, "end_date", None)) + basis_mark(item)


def event_status(store: Store, event: Any) -> str:
    """An event's status in a few words: "held (reported)", "scheduled, superseded"."""
    status = qualified(event.status.label, event.certainty)
    if superseded_by(store, event.id):
        status += ", superseded"
    return status


_RATELESS = frozenset({MeasureKind.IMPORT_BAN, MeasureKind.VISA_POLICY, MeasureKind.INVESTIGATION})


def measure_rate(measure: Any, value: float | None) -> str:
    """A measure's rate: "no rate" for a ban, a visa policy or an investigation, which have
    none; "not given" where a source leaves it out."""
    if value is None and measure.kind in _RATELESS:
        return "no rate"
    return rate(value)


def name_of(item: Any) -> str:
    """What a fact is called: its name, title, topic or text, else its id."""
    for field in ("name", "title", "topic", "text"):
        value = getattr(item, field, None)
        if isinstance(value, str) and value:
            return value
    return str(item.id)


def label(store: Store, ref: str | None) -> str | None:
    """What to call a referenced fact: its name or title, else its id."""
    if ref is None:
        return None
    found = store.by_id.get(ref)
    if found is None:
        return ref
    item = found[1]
    if isinstance(item, Source):
        return source_name(item)
    return name_of(item)


def labels(store: Store, refs: list[str]) -> list[str]:
    """Names or titles of several referenced facts."""
    return [label(store, ref) or ref for ref in refs]


def rate(value: float | None) -> str:
    """A rate in percent, or 'not given': a missing rate is never invented."""
    return NOT_GIVEN if value is None else f"{value:g}%"


def when(first: PartialDate | None, last: PartialDate | None = None) -> str:
    """A date or range at its own precision, or 'not given'."""
    return NOT_GIVEN if first is None else span_text(first, last)


def outlet(source: Source) -> str:
    """Whose story a source is, not the site that carried it: "The Canadian Press"; a source
    with no outlet by its title."""
    return source.outlet or f"“{source.title}”"


def dated(source: Source) -> str | None:
    """A source's date as it is known: "2026-01-16", or, where the page shows none, when the
    text was written: "n.d. (written 15\u201316 January 2026)"."""
    if source.published is not None:
        return str(source.published)
    if source.written is None:
        return None
    first, last = source.written, source.written_until or source.written
    if first == last:
        return f"n.d. (written {first.human()})"
    if (first.year, first.month) == (last.year, last.month) and first.day and last.day:
        return f"n.d. (written {first.day}\u2013{last.human()})"
    return f"n.d. (written {first.human()} to {last.human()})"


def source_name(source: Source) -> str:
    """A source as people cite it: "The Canadian Press, 2026-01-16"."""
    date = dated(source)
    return f"{outlet(source)}, {date}" if date is not None else outlet(source)


def said_then(status: str, certainty: Certainty, source: Source) -> str:
    """A state as one source said it, on a day after its date: "in force, as claimed by Polar
    Herald, n.d. (written 15\u201316 January 2026); not repeated since"."""
    if certainty in (Certainty.STATED, Certainty.REPORTED):
        return f"{status}, as reported by {source_name(source)}; not reported since"
    return f"{status}, as {certainty.label} by {source_name(source)}; not repeated since"


def said_briefly(status: str, certainty: Certainty, source: Source) -> str:
    """``said_then`` in a listing's cell, dated to the month: "claimed in force, 2026-01"."""
    on = source.as_of
    month = f", {PartialDate(on.year, on.month) if on.month else on}" if on is not None else ""
    verb = "reported" if certainty in (Certainty.STATED, Certainty.REPORTED) else certainty.label
    return f"{verb} {status}{month}"


def sources_of(store: Store, item: Any) -> list[str]:
    """The sources a fact cites, by outlet and date."""
    return [source_name(source) for source in cited_sources(store, item)]


def source_brief(source: Source) -> dict[str, Any]:
    """The part of a source that a record names."""
    return {
        "id": source.id,
        "title": source.title,
        "outlet": source.outlet,
        "carried_by": source.carried_by,
        "publisher": source.publisher.value,
        "published": str(source.published) if source.published is not None else None,
        **{bound.name("published"): bound.of(source.published) for bound in DAY_BOUNDS},
        "date": dated(source),
        "url": source.url,
    }


def record(store: Store, collection: str, item: Any) -> dict[str, Any]:
    """A fact in the documented JSON shape; a fact with evidence says who confirms it."""
    fields = item.to_data()
    fields.pop("id", None)
    evidence = fields.pop("evidence", [])
    found = {
        "id": item.id,
        "kind": collection,
        "fields": fields,
        "evidence": evidence,
        "sources": [source_brief(source) for source in cited_sources(store, item)],
    }
    if hasattr(item, "evidence"):
        said = support(store, item)
        found["confirmation"] = {
            "independent_outlets": said.independent,
            "outlets": said.outlets,
            "official_source": said.official,
            "meets_sourcing_rule": said.meets_rule,
        }
    return found


def confirmation(said: Support) -> str:
    """Who confirms a fact, in a line: "2 independent outlets (The Canadian Press; Associated
    Press): meets the sourcing rule"; the rule is spelt out where a fact does not meet it."""
    count = f"{said.independent} independent outlet{'' if said.independent == 1 else 's'}"
    official = ", official" if said.official else ""
    verdict = (
        "meets the sourcing rule"
        if said.meets_rule
        else "does not meet the sourcing rule (an official source, or two independent outlets)"
    )
    return f"{count} ({'; '.join(said.outlets)}{official}): {verdict}"


FACT_COLUMNS = ("sources", "independent_outlets", "meets_sourcing_rule")
"""The spreadsheet columns every listing of facts adds to their fields (``fact_cells``)."""


def fact_cells(store: Store, item: Any) -> tuple[str | int | None, ...]:
    """A fact's cells of ``FACT_COLUMNS``: its sources' ids, and who confirms it (where it has
    evidence: a count, and 1 or 0)."""
    if not hasattr(item, "evidence"):
        return (source_ids(store, item), None, None)
    said = support(store, item)
    return (source_ids(store, item), said.independent, int(said.meets_rule))


def outlets(store: Store, item: Any) -> list[str]:
    """The outlets of the sources a fact cites, each once, in order of first citation."""
    return list(dict.fromkeys(outlet(source) for source in cited_sources(store, item)))


def source_ids(store: Store, item: Any) -> str | None:
    """The ids of the sources a fact cites, joined with "; " (None for none)."""
    return "; ".join(source.id for source in cited_sources(store, item)) or None
