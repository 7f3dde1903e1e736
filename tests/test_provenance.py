"""Many sources, one truth: supersession, conflicts kept side by side, one source at a time."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tradecli.cli import app, options
from tradecli.errors import AmbiguousError, NotFoundError
from tradecli.present.detail import detail
from tradecli.present.lists import conflict_listing, meeting_listing
from tradecli.present.measures import tariff_listing
from tradecli.query import events, links, measures, sources
from tradecli.query import search as searching
from tradecli.store import Store


def test_held_meeting_supersedes_the_scheduled_one(store: Store) -> None:
    """The Xi meeting held on 2026-01-16 replaces the article's scheduled one; both stay visible."""
    assert links.superseded_by(store, "meeting-xi-scheduled") == ["meeting-xi"]
    found = events.meetings(store, window=options.date_window(on="2026-01-16"))
    ids = [event.id for event in found.items]
    assert {"meeting-xi", "meeting-xi-scheduled"} <= set(ids)


def test_meeting_listing_marks_supersession_both_ways(store: Store) -> None:
    """The scheduled meeting's line says it was superseded; in full, the scheduled one names
    the meeting that superseded it, and the held one the meeting it supersedes."""
    listing = meeting_listing(store, events.meetings(store))
    status = {row[0]: row[listing.names.index("STATUS")] for row in listing.rows}
    assert status["meeting-xi-scheduled"] == "scheduled, superseded"
    assert status["meeting-xi"] == "held"
    scheduled = dict(detail(store, "meeting-xi-scheduled")[0].fields)
    assert scheduled["superseded by"] == ["Carney meets President Xi Jinping"]
    held = dict(detail(store, "meeting-xi")[0].fields)
    assert held["supersedes"] == ["Carney to meet President Xi Jinping (scheduled)"]


@pytest.mark.parametrize(
    ("conflict_id", "claims"),
    [
        ("conflict-visit-dates", {"visit-2026", "stmt-visit-dates-pmo", "stmt-visit-dates-cp"}),
        (
            "conflict-canola-seed-duty",
            {"stmt-canola-seed-duty-84", "stmt-canola-seed-duty-76", "stmt-canola-seed-duty-85"},
        ),
        ("conflict-ev-quota-growth", {"stmt-ev-quota-70000", "stmt-ev-quota-growth-gac"}),
        ("conflict-canola-probe-start", {"stmt-canola-probe-start-ecns"}),
        (
            "conflict-canola-saskatchewan",
            {"china-canola-tariff-claim", "china-adt-canola-oil"},
        ),
    ],
)
def test_every_listed_conflict_keeps_each_claim_with_its_source(
    store: Store, raw: dict[str, object], conflict_id: str, claims: set[str]
) -> None:
    """Each side of a conflict is a separate fact that cites a different source."""
    views = {view.conflict.id: view for view in sources.conflicts(store)}
    view = views[conflict_id]
    shown = {claim.fact.id for claim in view.claims}
    assert claims <= shown
    source_sets = [frozenset(s.id for s in claim.sources) for claim in view.claims]
    assert all(source_sets), "every claim names its source"
    assert len(set(source_sets)) > 1, "the sides rest on different sources"
    listing = conflict_listing(store, [view])
    assert listing.table is not None
    assert {row[2] for row in listing.table.rows} == shown
    (full,) = listing.details or []
    claims = next(section for section in full.sections if section.heading == "claims")
    assert all(claim in " ".join(line.text for line in claims.lines) for claim in shown)


def test_conflict_filter_by_topic_words(store: Store, raw: dict[str, Any]) -> None:
    """`conflicts canola` keeps the conflicts about canola and drops the visit dates."""
    ids = {view.conflict.id for view in sources.conflicts(store, topic="canola")}
    about = {
        c["id"]
        for c in raw["conflicts"]
        if "canola" in " ".join([c["id"], c["topic"], c.get("note") or ""]).lower()
    }
    assert ids == about
    assert {"conflict-canola-seed-duty", "conflict-canola-saskatchewan"} <= ids
    assert "conflict-visit-dates" not in ids


def test_restricting_to_one_source_keeps_only_what_it_supports(
    store: Store, raw: dict[str, object]
) -> None:
    """--source cp-five-things keeps exactly the facts whose evidence cites it."""

    def cites(item: object, source: str) -> bool:
        return f'"source": "{source}"' in json.dumps(item)

    chosen = sources.sources_matching(store, "cp-five-things")
    restricted = sources.restrict_to_sources(store, chosen)
    for collection in ("people", "events", "tariffs", "quotes", "statements"):
        items: list[dict[str, object]] = raw[collection]  # type: ignore[assignment]
        expected = [i["id"] for i in items if cites(i, "cp-five-things")]
        assert [i.id for i in restricted.items(collection)] == expected
    assert restricted.items("tariffs"), "the source supports some measures"
    _total, hits = searching.search_best(restricted, "canola", limit=0)
    assert hits
    facts = [hit for hit in hits if hit.collection not in ("sources", "conflicts")]
    assert facts
    assert all(cites(hit.fact.to_json(), "cp-five-things") for hit in facts)
    assert [source.id for source in restricted.items("sources")] == ["cp-five-things"]


def test_unknown_source_suggests_the_close_one(store: Store) -> None:
    """A mistyped source id exits as not found with a suggestion."""
    with pytest.raises(NotFoundError) as caught:
        sources.sources_matching(store, "cp-five-thingz")
    assert caught.value.hint is not None
    assert "cp-five-things" in caught.value.hint


@pytest.mark.parametrize(
    ("named", "outlet"),
    [
        ("ap", "Associated Press"),
        ("Associated Press", "Associated Press"),
        ("associated", "Associated Press"),
        ("cp", "The Canadian Press"),
        ("the canadian press", "The Canadian Press"),
        ("Canadian Press", "The Canadian Press"),
        ("xinhua", "Xinhua"),
    ],
)
def test_source_by_outlet_name_start_or_initials(
    store: Store, raw: dict[str, Any], named: str, outlet: str
) -> None:
    """--source takes an outlet's name, its start or its initials: every source of that
    outlet, whoever carried it, and nothing else."""
    found = {source.id for source in sources.sources_matching(store, named)}
    items: list[dict[str, Any]] = raw["sources"]
    expected = {s["id"] for s in items if s.get("outlet") == outlet}
    assert found == expected
    assert found


def test_source_naming_several_outlets_is_ambiguous(store: Store) -> None:
    """ "global" starts several outlets: an error naming them, never a guess."""
    with pytest.raises(AmbiguousError) as caught:
        sources.sources_matching(store, "global")
    assert "Global News" in caught.value.message
    assert "Global Affairs Canada" in caught.value.message


def test_as_of_listing_keeps_ottawas_expectation_apart_from_the_duty(store: Store) -> None:
    """On 2026-03-02 the canola-seed duty is the final 5.9%; Ottawa's expected total of about
    15% is shown beside it as the Government of Canada's expectation, citing CP, never as a
    rate."""
    day = date(2026, 3, 2)
    found = measures.tariffs_as_of(store, measures.tariffs(store), day)
    chosen = [state.measure for state in found.items]
    held = measures.expectations(store, day)
    listing = tariff_listing(store, chosen, day, newest=False, expected=held)
    names = listing.names
    row = next(r for r in listing.rows if r[0] == "china-canola-seed-duty")
    assert (row[names.index("RATE")], row[names.index("STATUS")]) == ("5.9%", "in force")
    expected = row[names.index("EXPECTED CHANGES")]
    assert isinstance(expected, list)
    assert "15%" in expected[0]
    assert "Government of Canada" in expected[0]
    # Due on 2026-03-01: on 2026-03-02 it is past due, and no source confirms it.
    assert expected[0].startswith("expected by 2026-03-01; no source confirms it")
    assert "The Canadian Press, 2026-01-16" in expected[0]
    record = next(r for r in listing.records if r["id"] == "china-canola-seed-duty")
    assert record["as_of"]["expected"] == []
    (held,) = record["as_of"]["expectations"]
    assert (held["held_by"], held["value"], held["due"]) == (
        "government-of-canada",
        15.0,
        "2026-03-01",
    )


def test_as_of_before_the_dispute_names_what_was_not_yet_there(store: Store) -> None:
    """On 2025-01-01 the EV surtax applies; China's canola measures are named as not yet there."""
    found = measures.tariffs_as_of(store, measures.tariffs(store), date(2025, 1, 1))
    ids = {state.measure.id for state in found.items}
    assert "canada-ev-surtax" in ids
    assert not ids & {"china-adt-canola-oil", "china-canola-seed-duty"}
    assert any("china-adt-canola-oil" in note for note in found.notes)


def test_cli_as_of_shows_state_and_expectation(runner: CliRunner) -> None:
    """`tariffs --as-of 2026-03-02 -f json`: each measure's state that day, expected cuts apart."""
    result = runner.invoke(app, ["tariffs", "--as-of", "2026-03-02", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    records = {r["id"]: r for r in json.loads(result.stdout)}
    duty = records["china-canola-seed-duty"]["as_of"]
    assert (duty["status"], duty["rate_percent"], duty["since"]) == ("in_force", 5.9, "2026-03-01")
    assert [held["id"] for held in duty["expectations"]] == ["stmt-canola-seed-duty-15-expected"]
    before = runner.invoke(app, ["tariffs", "--as-of", "2026-02-28", "-f", "json"])
    earlier = {r["id"]: r for r in json.loads(before.stdout)}["china-canola-seed-duty"]["as_of"]
    assert (earlier["status"], earlier["rate_percent"]) == ("in_force", 75.8)


def test_cli_as_of_before_the_dispute(runner: CliRunner) -> None:
    """On 2025-01-01 the EV surtax is in force and China's canola measures are not listed."""
    result = runner.invoke(app, ["tariffs", "--as-of", "2025-01-01", "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    ids = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert "canada-ev-surtax" in ids
    assert not [i for i in ids if i.startswith("china-adt-")]
    assert "china-adt-canola-oil" in result.stderr


@pytest.mark.parametrize("value", ["2025-01", "soon", "2025-02-30"])
def test_cli_as_of_needs_a_real_day(runner: CliRunner, value: str) -> None:
    """A month or a malformed date for --as-of is a usage error, exit 2, with a hint."""
    result = runner.invoke(app, ["tariffs", "--as-of", value])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--as-of" in result.stderr


def test_cli_conflicts_side_by_side(runner: CliRunner, raw: dict[str, object]) -> None:
    """`conflicts -f json` lists every conflict of the store with each claim's sources."""
    result = runner.invoke(app, ["conflicts", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    shown = {c["id"]: [claim["id"] for claim in c["claims"]] for c in json.loads(result.stdout)}
    stored: list[dict[str, object]] = raw["conflicts"]  # type: ignore[assignment]
    assert shown == {c["id"]: c["claims"] for c in stored}


def test_cli_source_option_restricts_every_query(runner: CliRunner) -> None:
    """--source works on each query command, and an unknown source exits 1 with a suggestion."""
    for command in ("tariffs", "meetings", "quote", "timeline", "summary", "sources"):
        result = runner.invoke(app, [command, "--source", "ap-ev-deal", "-f", "json"])
        assert result.exit_code == 0, (command, result.stderr)
    quotes = json.loads(
        runner.invoke(app, ["quote", "--source", "ap-ev-deal", "-f", "json"]).stdout
    )
    assert [q["id"] for q in quotes] == ["quote-carney-historic-two-days"]
    wrong = runner.invoke(app, ["tariffs", "--source", "ap-ev-dea"])
    assert wrong.exit_code == 1
    assert "ap-ev-deal" in wrong.stderr


def test_cli_export_is_registered(runner: CliRunner, tmp_path: Path) -> None:
    """`tradecli export sqlite` writes a database through the real app."""
    target = tmp_path / "facts.db"
    result = runner.invoke(app, ["export", "sqlite", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_size > 0
