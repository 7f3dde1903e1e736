"""Queries and name matching, tested on a small fact file without the command line."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradecli import words
from tradecli.cli import options
from tradecli.errors import AmbiguousError, NotFoundError, UsageError
from tradecli.facts.dates import PartialDate, days_in_month
from tradecli.facts.vocab import EventStatus
from tradecli.query import dates, events, links, measures, names, quotes, summary
from tradecli.query import search as searching
from tradecli.store import Store, load

MINI = Path(__file__).parent / "fixtures" / "mini.json"


@pytest.fixture(scope="module")
def store() -> Store:
    """The small fact file, loaded and validated."""
    return load(MINI)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The small fact file as plain JSON, to compute expected results independently."""
    return json.loads(MINI.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def ids(items: list[Any]) -> list[str]:
    """The ids of facts, in order."""
    return [item.id for item in items]


# Dates


def window(text: str) -> dates.DateWindow:
    """A --date window."""
    found = options.date_window(on=text)
    assert found is not None
    return found


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=12))
def test_month_lengths_are_the_calendars(year: int, month: int) -> None:
    """Dates count a month's days as the calendar module does, leap years included."""
    import calendar

    assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
    assert PartialDate(year, month).last_day() == date(year, month, days_in_month(year, month))
    assert PartialDate(year, month).human() == f"{calendar.month_name[month]} {year}"


def test_month_event_is_inside_its_month() -> None:
    """A date known to the month fits a window of that whole month."""
    month = options.date_window(since="2017-12", until="2017-12")
    assert month is not None
    assert month.fit(PartialDate(2017, 12)) is dates.Fit.IN


def test_month_event_is_undecided_for_a_day_in_it() -> None:
    """A date known to the month neither matches nor misses a day inside it."""
    assert window("2017-12-05").fit(PartialDate(2017, 12)) is dates.Fit.MAYBE
    assert window("2018-01-05").fit(PartialDate(2017, 12)) is dates.Fit.OUT


def test_multi_day_event_matches_a_day_it_certainly_covers() -> None:
    """An event from the 3rd to the 7th is on the 5th, and not on the 8th."""
    start, end = PartialDate(2017, 12, 3), PartialDate(2017, 12, 7)
    assert window("2017-12-05").fit(start, end) is dates.Fit.IN
    assert window("2017-12-08").fit(start, end) is dates.Fit.OUT


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=400),
)
def test_day_precision_never_undecided(day: date, start: date, length: int) -> None:
    """A date known to the day is in a window exactly when the day lies in it; never 'maybe'."""
    end = min(start + timedelta(days=length), date(2030, 12, 31))
    found = options.date_window(since=start.isoformat(), until=end.isoformat())
    assert found is not None
    fit = found.fit(PartialDate(day.year, day.month, day.day))
    assert fit is (dates.Fit.IN if start <= day <= end else dates.Fit.OUT)


@pytest.mark.parametrize("text", ["2026-13", "2026-02-30", "yesterday", "26-01-15", ""])
def test_malformed_date_is_a_usage_error(text: str) -> None:
    """A date that is not YYYY, YYYY-MM or YYYY-MM-DD names the option and the value."""
    with pytest.raises(UsageError, match="--since"):
        options.date_window(since=text)


def test_date_with_since_is_a_usage_error() -> None:
    """--date cannot be combined with --since or --until."""
    with pytest.raises(UsageError, match="--date"):
        options.date_window(on="2026", since="2025")


def test_until_before_since_is_a_usage_error() -> None:
    """An empty window is a mistake, not an empty result."""
    with pytest.raises(UsageError, match="before"):
        options.date_window(since="2026-02", until="2026-01")


# Names


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("carney", "carney"),
        ("CARNEY", "carney"),
        ("Mark Carney", "carney"),
        ("li qiang", "li-qiang"),
        ("Li-Qiang", "li-qiang"),
        ("premier li", "li-qiang"),
        ("zhào lèjì", "zhao-leji"),
        ("Zhao", "zhao-leji"),
        ("CATL", "catl"),
        ("contemporary amperex", "catl"),
        ("icbc", "icbc"),
    ],
)
def test_resolve_by_any_name(store: Store, typed: str, expected: str) -> None:
    """Names match by id, name, alias or a run of their words, in any case or accent."""
    assert names.resolve(store, typed).id == expected


def test_ambiguous_name_lists_candidates(store: Store) -> None:
    """A surname shared by two people names both."""
    with pytest.raises(AmbiguousError) as caught:
        names.resolve(store, "michael")
    assert "michael-kovrig" in caught.value.message
    assert "michael-spavor" in caught.value.message


def test_unknown_name_suggests_close_spellings(store: Store) -> None:
    """A misspelling is not found, with a 'did you mean' hint."""
    with pytest.raises(NotFoundError) as caught:
        names.resolve(store, "carny")
    assert caught.value.hint is not None
    assert "did you mean" in caught.value.hint
    assert "Mark Carney" in caught.value.hint


def test_resolve_only_searches_given_collections(store: Store) -> None:
    """A company is not found among people."""
    with pytest.raises(NotFoundError):
        names.resolve(store, "catl", collections=("people",))


def test_fact_by_id_or_name(store: Store) -> None:
    """show takes an id, else an entity's name; an unknown id suggests close ids."""
    assert names.fact(store, "canada-ev-surtax")[0] == "tariffs"
    assert names.fact(store, "li qiang")[1].id == "li-qiang"
    with pytest.raises(NotFoundError) as caught:
        names.fact(store, "canada-ev-surtx")
    assert caught.value.hint is not None
    assert "canada-ev-surtax" in caught.value.hint


@pytest.mark.parametrize(
    ("typed", "offered", "entity"),
    [
        ("qia", "qiang", "Li Qiang"),
        ("Car", "Carney", "Mark Carney"),
        ("li", "li-qiang", "Li Qiang"),
    ],
)
def test_completions_start_with_what_is_typed(
    store: Store, typed: str, offered: str, entity: str
) -> None:
    """Completions extend the typed word by an id or a name word, since shells drop the rest."""
    found = names.completions(store, typed, collections=("people",))
    assert (offered, entity) in found
    assert all(value.startswith(typed) for value, _name in found)


# Commands


def test_tariffs_by_country_include_its_bodies(store: Store, raw: dict[str, Any]) -> None:
    """--by china finds measures by China and by bodies whose country is China."""
    chinese_bodies = {o["id"] for o in raw["organisations"] if o.get("country") == "china"}
    expected = [m["id"] for m in raw["tariffs"] if m["imposed_by"] in {"china"} | chinese_bodies]
    assert ids(measures.tariffs(store, imposer="china").items) == expected
    assert "mofcom" in chinese_bodies


def test_tariffs_by_product_and_target(store: Store, raw: dict[str, Any]) -> None:
    """--product matches part of a product name; --on filters the target."""
    expected = [
        m["id"]
        for m in raw["tariffs"]
        if m["target"] == "china" and any("steel" in p for p in m["products"])
    ]
    assert ids(measures.tariffs(store, target="china", product="Steel").items) == expected


def test_min_rate_skips_and_notes_unknown_rates(store: Store, raw: dict[str, Any]) -> None:
    """--min-rate keeps rates at or above it and notes measures that give no rate."""
    found = measures.tariffs(store, min_rate=75.8)
    expected = [m["id"] for m in raw["tariffs"] if (m.get("rate_percent") or -1) >= 75.8]
    assert ids(found.items) == expected
    unrated = [m["id"] for m in raw["tariffs"] if m.get("rate_percent") is None]
    assert unrated
    assert all(any(i in note for note in found.notes) for i in unrated)


def test_meetings_on_a_day_note_month_only_meetings(store: Store) -> None:
    """--date 2026-01-15 finds that day's meetings and notes the one known only to the month."""
    found = events.meetings(store, window=window("2026-01-15"))
    assert set(ids(found.items)) == {"meeting-li-qiang", "meeting-zhao-leji"}
    assert found.notes == [
        "note: meeting-executives is known only to 2026-01; not matched to 2026-01-15"
    ]


def test_meetings_in_a_month_include_month_only_meetings(store: Store) -> None:
    """A window holding the whole month finds a meeting known only to that month, with no note
    but that the fixture's sources end on 2026-01-16, before the month does."""
    month = options.date_window(since="2026-01", until="2026-01")
    found = events.meetings(store, window=month)
    assert "meeting-executives" in ids(found.items)
    assert found.notes == [
        "note: the sources end on 2026-01-16; 2026-01-31 is after that, so later changes are "
        "unknown to the store"
    ]


def test_meetings_are_in_date_order(store: Store) -> None:
    """Meetings come earliest first."""
    dates = [m.date.first_day() for m in events.meetings(store).items if m.date is not None]
    assert dates == sorted(dates)


def test_meetings_with_participant_and_status(store: Store, raw: dict[str, Any]) -> None:
    """--with and --status filter by participant id and status."""
    found = events.meetings(store, participant="xi-jinping", status=EventStatus.SCHEDULED)
    expected = [
        e["id"]
        for e in raw["events"]
        if "xi-jinping" in e.get("participants", []) and e.get("status") == "scheduled"
    ]
    assert ids(found.items) == expected


def test_event_status_parsing() -> None:
    """--status accepts any case and refuses other words with the allowed list."""
    assert options.event_status("HELD") is EventStatus.HELD
    with pytest.raises(UsageError, match="held, scheduled, cancelled"):
        options.event_status("done")


def test_quotes_by_speaker_and_about(store: Store, raw: dict[str, Any]) -> None:
    """Quotes filter by speaker id and by words in their subjects or text."""
    by_carney = [q["id"] for q in raw["quotes"] if q.get("speaker") == "carney"]
    assert set(ids(quotes.quotes(store, speaker="carney").items)) == set(by_carney)
    about = ids(quotes.quotes(store, about="agriculture").items)
    assert about == [q["id"] for q in raw["quotes"] if "agriculture" in q.get("about", [])]


def test_links_go_both_ways(store: Store) -> None:
    """A person links to their country and is linked from meetings and quotes."""
    found = links.links(store, "carney")
    outgoing = {(link.relation, link.fact.id) for link in found if link.outgoing}
    incoming = {(link.relation, link.fact.id) for link in found if not link.outgoing}
    assert ("country", "canada") in outgoing
    assert ("participants", "meeting-li-qiang") in incoming
    assert ("speaker", "carney-historic") in incoming
    assert ("claimed_by", "two-way-trade") in incoming


def test_source_citations_count_citing_facts(store: Store, raw: dict[str, Any]) -> None:
    """Each source's count is the number of facts whose evidence, lifecycle included, cites it."""

    def cites(fact: dict[str, Any], source: str) -> bool:
        steps = fact.get("lifecycle", [])
        evidence = fact.get("evidence", []) + [e for s in steps for e in s["evidence"]]
        return any(e["source"] == source for e in evidence)

    facts = [f for name, items in raw.items() if isinstance(items, list) for f in items]
    counted = {s.id: n for s, n in links.source_citations(store)}
    for source in raw["sources"]:
        assert counted[source["id"]] == sum(cites(f, source["id"]) for f in facts)
    assert counted["unused-source"] == 0


def search(store: Store, text: str) -> list[searching.Hit]:
    """Every hit of a search, best first."""
    total, hits = searching.search_best(store, text, limit=0)
    assert total == len(hits)
    return hits


def test_search_needs_every_word_and_ranks_by_score(store: Store) -> None:
    """A hit holds every word; hits come in the order of the score they show, the text shown
    holding the words."""
    hits = search(store, "canola seed")
    assert hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all("canola" in h.text.lower() or "seed" in h.text.lower() for h in hits)
    canola = {h.fact.id for h in search(store, "canola")}
    assert {h.fact.id for h in hits} < canola, "fewer facts hold both words than one"
    total, best = searching.search_best(store, "canola", limit=3)
    assert (total, [h.fact.id for h in best]) == (
        len(canola),
        [h.fact.id for h in search(store, "canola")[:3]],
    )


def test_a_word_matches_itself_and_its_plural_not_what_it_begins(store: Store) -> None:
    """'tariff' finds 'tariffs'; 'tarif' finds nothing unless asked for as a prefix."""
    assert search(store, "tariff")
    assert search(store, "tarif") == []
    assert search(store, "tarif*")
    assert {h.fact.id for h in search(store, "tarif*")} >= {
        h.fact.id for h in search(store, "tariff")
    }
    plural = {h.fact.id for h in search(store, "tariffs")}
    assert plural < {h.fact.id for h in search(store, "tariff")}, "'tariffs' does not find 'tariff'"


def test_a_quoted_phrase_matches_its_words_in_a_row(store: Store) -> None:
    """'"canola seed"' finds the words together, not each anywhere; its words may be plurals."""
    together = {h.fact.id for h in search(store, '"canola seed"')}
    apart = {h.fact.id for h in search(store, "canola seed")}
    assert together
    assert together <= apart
    assert {h.fact.id for h in search(store, '"seed canola"')} < apart, "not each anywhere"
    assert {h.fact.id for h in search(store, '"canola seeds"')} <= together


def test_a_long_phrase_allows_a_plural_only_on_its_last_word() -> None:
    """Up to four words, each may be a plural; past four, only the last (3 ** 4 phrases at
    most, in the query the index is asked)."""
    [short] = words.search_terms('"canola seed duty"')
    assert len(short.alternatives()) == 27
    [long] = words.search_terms('"a b c d e"')
    assert long.alternatives() == [("a", "b", "c", "d", end) for end in ("e", "es", "ees")]
    assert long.count(["a", "b", "c", "d", "es"]) == 1
    assert long.count(["a", "bs", "c", "d", "e"]) == 0


def test_search_weights_names_and_ignores_accents(store: Store) -> None:
    """A name hit puts the entity first; accents and case do not matter."""
    assert search(store, "amperex")[0].fact.id == "catl"
    assert search(store, "LÈJÌ")[0].fact.id == "zhao-leji"
    assert search(store, "zzzz-nothing") == []


def test_search_terms_drop_short_common_words() -> None:
    """Common short words are dropped unless nothing else is left."""
    assert [str(t) for t in words.search_terms("the tariff on Canola")] == ["tariff", "canola"]
    assert [str(t) for t in words.search_terms("the")] == ["the"]
    assert [str(t) for t in words.search_terms('"the deal" of tar*')] == ['"the deal"', "tar*"]
    with pytest.raises(UsageError):
        search(load(MINI), "  ")


def test_timeline_order_and_window(store: Store) -> None:
    """The timeline is in date order; a window too fine for a month-only event notes it."""
    entries = events.timeline(store).items
    keys = [(e.date.first_day(), e.date.last_day()) for e in entries]
    assert keys == sorted(keys)
    assert {"canada-ev-surtax", "trudeau-visit-2017"} <= {e.fact.id for e in entries}
    narrow = events.timeline(store, window=options.date_window(since="2017-12-05", until="2018"))
    assert "trudeau-visit-2017" not in {e.fact.id for e in narrow.items}
    assert any("trudeau-visit-2017 is known only to 2017-12" in note for note in narrow.notes)


def test_timeline_uses_lifecycle_steps(store: Store, raw: dict[str, Any]) -> None:
    """A measure with lifecycle steps appears once per dated step."""
    surtax = next(m for m in raw["tariffs"] if m["id"] == "canada-ev-surtax")
    entries = [e for e in events.timeline(store).items if e.fact.id == "canada-ev-surtax"]
    assert [str(e.date) for e in entries] == [s["date"] for s in surtax["lifecycle"]]


def test_summary_gathers_the_visit(store: Store, raw: dict[str, Any]) -> None:
    """The summary names the visits, the people who met, the measures and the figures."""
    found = summary.summary(store)
    visits = [e["id"] for e in raw["events"] if e["category"] == "visit"]
    assert ids(found.visits) == visits
    assert {"carney", "li-qiang", "catl"} <= set(ids(found.people))
    assert ids(found.figures) == [s["id"] for s in raw["statements"] if s["kind"] == "figure"]
    assert found.counts["quotes"] == len(raw["quotes"])
    newest = max((s for s in raw["sources"] if s.get("published")), key=lambda s: s["published"])
    assert found.newest is not None
    assert found.newest.id == newest["id"]
    assert found.visit_end is not None
    assert all(e.date.first_day() > found.visit_end.last_day() for e in found.since)
    assert all(s.kind.value == "agreement" for s in found.agreed)
