"""The story since the visit, on the bundled store: what applied on a day, and until when.

Each test asks what a journalist would ask and holds the answer to what the sources say
(../shared/briefs/after-the-visit.md), including that the store knows the date its newest
source was published and says so for any later day.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from tradecli.cli import app


def as_of(runner: CliRunner, day: str, *args: str) -> tuple[dict[str, Any], str]:
    """Each measure's JSON record on a day, by id, and what was said on stderr."""
    result = runner.invoke(app, ["tariffs", "--as-of", day, *args, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return {record["id"]: record for record in json.loads(result.stdout)}, result.stderr


def test_canola_seed_on_2026_06_01_is_the_final_duty_with_ottawas_expectation_apart(
    runner: CliRunner,
) -> None:
    """5.9% in force since 2026-03-01, cited to its sources; about 15% is only Ottawa's
    expectation of the total, never the measure's rate."""
    found, notes = as_of(runner, "2026-06-01", "--product", "canola seed")
    duty = found["china-canola-seed-duty"]
    state = duty["as_of"]
    assert (state["status"], state["rate_percent"], state["since"]) == (
        "in_force",
        5.9,
        "2026-03-01",
    )
    assert {"xinhua-canola-final", "ecns-canola-final"} <= {s["id"] for s in duty["sources"]}
    (held,) = state["expectations"]
    assert (held["held_by"], held["value"]) == ("government-of-canada", 15.0)
    assert state["expected"] == [], "no expected step of the duty itself"
    assert "sources end" not in notes, "the sources reach 2026-06-30"
    table = runner.invoke(
        app, ["tariffs", "--as-of", "2026-06-01", "--product", "canola seed", "-f", "csv"]
    )
    row = next(r for r in csv.DictReader(io.StringIO(table.stdout)) if r["id"] == duty["id"])
    assert (row["as_of_rate_percent"], row["as_of_status"]) == ("5.9", "in_force")
    assert row["as_of_expectations"] == held["id"]
    lines = runner.invoke(app, ["tariffs", "--as-of", "2026-06-01", "--product", "canola seed"])
    line = next(line for line in lines.stdout.splitlines() if line.startswith(duty["id"]))
    # Due on 2026-03-01, and no source confirms it: never shown as still pending.
    assert line.split("\t")[7].startswith("expected by 2026-03-01; no source confirms it;")
    before = runner.invoke(app, ["tariffs", "--as-of", "2026-02-01", "--product", "canola seed"])
    line = next(line for line in before.stdout.splitlines() if line.startswith(duty["id"]))
    assert "expected by Government of Canada, due 2026-03-01, not confirmed" in line


def test_on_2026_06_01_the_suspensions_the_quota_and_no_threat_in_force(
    runner: CliRunner,
) -> None:
    """Canola meal and peas suspended until 2026-12-31, lobsters and crabs too, canola oil and
    pork in force, the EV quota in force; the US threat is a threat."""
    found, _notes = as_of(runner, "2026-06-01")
    state = {fact_id: record["as_of"] for fact_id, record in found.items()}
    for fact_id in ("china-adt-canola-meal", "china-adt-peas"):
        assert (state[fact_id]["status"], state[fact_id]["until"]) == ("suspended", "2026-12-31")
    for fact_id in ("china-adt-canola-oil", "china-adt-pork", "canada-ev-quota-2026"):
        assert state[fact_id]["status"] == "in_force", fact_id
    aquatic = state["china-adt-aquatic"]
    assert aquatic["status"] == "in_force"
    assert [(p["status"], p["products"]) for p in aquatic["partial"]] == [
        ("suspended", ["lobsters", "crabs"])
    ]
    threatened = [f for f, r in found.items() if r["fields"]["status"] == "threatened"]
    assert threatened == ["us-threatened-tariff-2026"]
    assert state["us-threatened-tariff-2026"]["status"] == "threatened"
    assert state["china-visa-free-canada"]["status"] == "in_force"
    assert state["china-beef-ban"]["status"] == "lifted"


def test_after_a_known_end_the_store_does_not_guess(runner: CliRunner) -> None:
    """On 2027-01-15 the suspensions and the visa waiver had ended: the store says it does not
    know what came next, and that its sources end on 2026-06-30."""
    found, notes = as_of(runner, "2027-01-15")
    for fact_id in ("china-adt-canola-meal", "china-adt-peas", "china-visa-free-canada"):
        state = found[fact_id]["as_of"]
        assert (state["status"], state["ended"], state["rate_percent"]) == (
            None,
            "2026-12-31",
            None,
        )
    table = runner.invoke(
        app, ["tariffs", "--as-of", "2027-01-15", "--product", "meal", "-f", "csv"]
    )
    (row,) = csv.DictReader(io.StringIO(table.stdout))
    assert (row["as_of_status"], row["as_of_ended"]) == ("", "2026-12-31")
    long = ["tariffs", "--as-of", "2027-01-15", "--product", "meal", "--long"]
    shown = runner.invoke(app, long).stdout
    assert "not known after 2026-12-31" in shown
    assert "no source says what came next" in shown
    assert row["as_of_rate_percent"] == "", "no rate after a known end"
    assert "the sources end on 2026-06-30" in notes
    # The line a measure gets: not known since the known end, no end of its own.
    lines = runner.invoke(app, ["tariffs", "--as-of", "2027-01-15", "--product", "meal"]).stdout
    (line,) = lines.splitlines()
    cells = line.split("\t")
    assert cells[0] == "china-adt-canola-meal"
    assert cells[4:7] == ["not known", "after 2026-12-31", ""], cells


def test_as_of_today_works_and_says_the_sources_end_before_it(runner: CliRunner) -> None:
    """--as-of today answers for today's date and notes what the store cannot know."""
    result = runner.invoke(app, ["tariffs", "--as-of", "today", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    today = date.today().isoformat()
    assert {record["as_of"]["date"] for record in json.loads(result.stdout)} == {today}
    if today > "2026-06-30":
        assert f"the sources end on 2026-06-30; {today} is after that" in result.stderr


def test_a_day_inside_the_sources_gets_no_such_note(runner: CliRunner) -> None:
    """Before the newest source, nothing is said about later changes."""
    _found, notes = as_of(runner, "2026-03-15")
    assert "sources end" not in notes


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["summary", "-f", "json"], "2026-06-30"),
        (["sources", "-f", "json"], "the newest source is dated 2026-06-30"),
        (["meetings", "--since", "2026-07", "-f", "json"], "the sources end on 2026-06-30"),
        (["timeline", "--since", "2026-08", "-f", "json"], "the sources end on 2026-06-30"),
    ],
)
def test_answers_say_when_the_sources_end(
    runner: CliRunner, command: list[str], expected: str
) -> None:
    """summary and sources say the newest source's date; a window after it says so too."""
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout + result.stderr


def test_summary_says_what_was_agreed_what_followed_and_when_the_sources_end(
    runner: CliRunner,
) -> None:
    """Outcome first: the partnership and quota agreed, the expectations held, what happened
    after the visit (the suspension, the final duty, the quota in force), and the sources' end."""
    result = runner.invoke(app, ["summary", "-f", "json"])
    rows = json.loads(result.stdout)
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_topic.setdefault(row["topic"], []).append(row)
    agreed = {fact_id for row in by_topic["agreed"] for fact_id in row["ids"]}
    assert {"stmt-strategic-partnership", "canada-ev-quota-2026"} <= agreed
    expected = {fact_id for row in by_topic["expected"] for fact_id in row["ids"]}
    assert "stmt-canola-seed-duty-15-expected" in expected
    details = {row["ids"][0]: row["detail"] for row in by_topic["expected"]}
    assert all("not confirmed" in d or "no source confirms it" in d for d in details.values())
    past_due = details["stmt-canola-seed-duty-15-expected"]
    assert "(expected by 2026-03-01; no source confirms it;" in past_due
    since = [row["detail"] for row in by_topic["since"]]
    assert any("suspended" in line and "2026-03-01" in line for line in since)
    assert any("5.9%" in line for line in since)
    assert any("threatened" in line for line in since)
    assert all(row["sources"] for row in by_topic["since"]), "every happening cites its source"
    (ended,) = by_topic["sources end"]
    assert ended["detail"].startswith("2026-06-30")
    first_outcome = min(
        index for index, row in enumerate(rows) if row["topic"] in ("agreed", "since")
    )
    assert first_outcome < [row["topic"] for row in rows].index("figure")


def test_new_conflicts_keep_each_side_with_its_source_and_the_explanation(
    runner: CliRunner,
) -> None:
    """The investigation's start, the steel surtax's date, who announced the suspension, the
    EV quota's first period and growth: each side cited apart; the canola figures explained."""
    result = runner.invoke(app, ["conflicts", "-f", "json"])
    shown = {conflict["id"]: conflict for conflict in json.loads(result.stdout)}
    for conflict_id in (
        "conflict-canola-probe-start",
        "conflict-steel-surtax-date",
        "conflict-suspension-announcer",
        "conflict-ev-quota-first-period",
        "conflict-ev-quota-growth",
    ):
        claims = shown[conflict_id]["claims"]
        assert len(claims) >= 2, conflict_id
        cited = [frozenset(s["id"] for s in claim["sources"]) for claim in claims]
        assert all(cited), conflict_id
        assert len(set(cited)) == len(cited), f"{conflict_id}: each side has its own sources"
    explained = shown["conflict-canola-seed-duty"]["explanation"]
    assert [s["id"] for s in explained["sources"]] == ["cp-moe-reaction"]
    assert "84" in explained["text"]
    assert "76" in explained["text"]
    assert "china-canola-seed-duty" not in [
        c["id"] for c in shown["conflict-canola-seed-duty"]["claims"]
    ]


def test_events_have_statuses_that_fit_what_happened(runner: CliRunner) -> None:
    """An arrest happened, a trade war was going on (its span inferred from 'over the past
    year'), a meeting was held; none is 'held' that was not a meeting, visit or ceremony."""
    result = runner.invoke(app, ["timeline", "-f", "json"])
    entries = {entry["id"]: entry for entry in json.loads(result.stdout)}
    assert entries["meng-arrest-2018"]["what"] == "happened"
    assert entries["us-trade-war"]["what"] == "ongoing; date inferred"
    assert entries["election-interference-allegations"]["what"] == "happened (alleged)"
    assert entries["signing-ceremony-2026-01-15"]["what"] == "held"


ALL_COMMANDS = [
    ["tariffs"],
    ["tariffs", "--as-of", "2026-06-01"],
    ["tariffs", "--chain"],
    ["meetings"],
    ["quote"],
    ["people"],
    ["companies"],
    ["timeline"],
    ["search", "article", "--limit", "0"],
    ["sources"],
    ["summary"],
    ["conflicts"],
    ["show", "article-carney-beijing"],
]


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_no_output_calls_the_article_a_seed(
    runner: CliRunner, command: list[str], fmt: str
) -> None:
    """The primary article is named by its title and date; 'seed article' appears nowhere."""
    result = runner.invoke(app, [*command, "-f", fmt], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    text = (result.stdout + result.stderr).lower()
    assert "seed article" not in text
    assert "seed-article" not in text
