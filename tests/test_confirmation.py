"""Independent confirmation: outlets counted once however many papers carried them, the sourcing
rule (an official source, or two independent outlets), in show, JSON, CSV and the export."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tradecli import cli

SOURCES = [
    {
        "id": "ap-star",
        "title": "Wire story, as one paper printed it",
        "outlet": "Associated Press",
        "carried_by": "Shropshire Star",
        "publisher": "wire",
        "kind": "news_report",
    },
    {
        "id": "ap-herald",
        "title": "The same wire story, in another paper",
        "outlet": "The Associated Press",
        "carried_by": "Lethbridge Herald",
        "publisher": "wire",
        "kind": "news_report",
    },
    {
        "id": "globe",
        "title": "A paper's own story",
        "outlet": "The Globe and Mail",
        "publisher": "news",
        "kind": "news_report",
    },
    {
        "id": "ministry",
        "title": "A ministry's statement",
        "outlet": "Global Affairs Canada",
        "publisher": "official",
        "kind": "official_release",
    },
]


def company(company_id: str, *sources: str) -> dict[str, Any]:
    """A company supported by the sources given."""
    return {
        "id": company_id,
        "name": company_id.title(),
        "kind": "company",
        "evidence": [{"source": source, "paraphrase": "It is a company."} for source in sources],
    }


FACTS = {
    "format_version": 1,
    "sources": SOURCES,
    "organisations": [
        company("wire-twice", "ap-star", "ap-herald"),
        company("two-outlets", "ap-star", "globe"),
        company("official", "ministry"),
    ],
}
# What each company's confirmation is, worked out by hand from SOURCES.
EXPECTED = {
    "wire-twice": (1, ["Associated Press"], False, False),
    "two-outlets": (2, ["Associated Press", "The Globe and Mail"], False, True),
    "official": (1, ["Global Affairs Canada"], True, True),
}


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """The fact file above, written out."""
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    return path


@pytest.mark.parametrize("fact_id", list(EXPECTED))
def test_show_json_says_who_confirms(runner: CliRunner, facts: Path, fact_id: str) -> None:
    """show -f json carries the count, the outlets and the verdict."""
    result = runner.invoke(cli.app, ["--data", str(facts), "show", fact_id, "-f", "json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    confirmation = shown["confirmation"]
    count, outlets, official, meets = EXPECTED[fact_id]
    assert confirmation == {
        "independent_outlets": count,
        "outlets": outlets,
        "official_source": official,
        "meets_sourcing_rule": meets,
    }


def test_show_says_it_in_words(runner: CliRunner, facts: Path) -> None:
    """show's "confirmed by" line counts a wire story carried by two papers once."""
    result = runner.invoke(cli.app, ["--data", str(facts), "show", "wire-twice"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "confirmed by" in line)
    assert "1 independent outlet (Associated Press)" in line
    assert "does not meet the sourcing rule" in line


def test_export_has_a_row_per_fact_with_evidence(
    runner: CliRunner, facts: Path, tmp_path: Path
) -> None:
    """The SQLite and CSV exports' confirmations tables agree with the worked-out answers."""
    database = tmp_path / "facts.db"
    folder = tmp_path / "csv"
    for form, target in (("sqlite", database), ("csv", folder)):
        result = runner.invoke(cli.app, ["--data", str(facts), "export", form, str(target)])
        assert result.exit_code == 0, result.output
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute(
            "SELECT fact_id, kind, independent_outlets, outlets, official_source,"
            " meets_sourcing_rule FROM confirmations"
        ).fetchall()
    finally:
        connection.close()
    expected = [
        (fact_id, "organisations", count, json.dumps(outlets), int(official), int(meets))
        for fact_id, (count, outlets, official, meets) in EXPECTED.items()
    ]
    assert rows == expected
    with (folder / "confirmations.csv").open(encoding="utf-8", newline="") as stream:
        from_csv = [tuple(row.values()) for row in csv.DictReader(stream)]
    assert from_csv == [tuple(str(cell) for cell in row) for row in expected]


def test_listing_columns_in_csv(runner: CliRunner, facts: Path) -> None:
    """A listing's CSV adds the count and the verdict to each fact."""
    result = runner.invoke(cli.app, ["--data", str(facts), "companies", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in csv.DictReader(result.stdout.splitlines())}
    for fact_id, (count, _outlets, _official, meets) in EXPECTED.items():
        assert rows[fact_id]["independent_outlets"] == str(count)
        assert rows[fact_id]["meets_sourcing_rule"] == str(int(meets))


@pytest.mark.parametrize(
    ("flag", "kept"),
    [("--confirmed", {"two-outlets", "official"}), ("--single-source", {"wire-twice", "official"})],
)
def test_listings_keep_confirmed_or_single_source_facts(
    runner: CliRunner, facts: Path, flag: str, kept: set[str]
) -> None:
    """--confirmed keeps what meets the rule; --single-source what rests on one outlet (an
    official source alone is one outlet, and meets the rule)."""
    result = runner.invoke(cli.app, ["--data", str(facts), "companies", flag, "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert {row["id"] for row in csv.DictReader(result.stdout.splitlines())} == kept


def test_confirmed_and_single_source_exclude_each_other(runner: CliRunner, facts: Path) -> None:
    """Both flags at once are a usage error, exit 2, naming them."""
    arguments = ["--data", str(facts), "companies", "--confirmed", "--single-source"]
    result = runner.invoke(cli.app, arguments)
    assert result.exit_code == 2
    assert "--confirmed and --single-source exclude each other" in result.stderr


CLAIMED = {
    "format_version": 1,
    "sources": [
        {
            "id": "paper",
            "title": "A paper's story of January",
            "outlet": "The Globe and Mail",
            "publisher": "news",
            "kind": "news_report",
            "published": "2026-01-16",
        },
        {
            "id": "undated",
            "title": "A page that prints no date",
            "outlet": "Polar Herald",
            "publisher": "news",
            "kind": "news_report",
            "written": "2026-01-15",
            "written_until": "2026-01-16",
        },
        {
            "id": "march",
            "title": "A later story, of March",
            "outlet": "Reuters",
            "publisher": "wire",
            "kind": "news_report",
            "published": "2026-03-01",
        },
    ],
    "places": [
        {
            "id": country,
            "name": country.title(),
            "kind": "country",
            "evidence": [{"source": "march", "paraphrase": "A country."}],
        }
        for country in ("china", "canada")
    ],
    "tariffs": [
        {
            "id": "claimed-duty",
            "title": "A duty one page claims",
            "kind": "tariff",
            "imposed_by": "china",
            "target": "canada",
            "products": ["canola"],
            "rate_percent": 100,
            "status": "in_force",
            "certainty": "claimed",
            "evidence": [{"source": "undated", "paraphrase": "It claims a duty."}],
        },
        {
            "id": "reported-duty",
            "title": "A duty one paper reports",
            "kind": "tariff",
            "imposed_by": "china",
            "target": "canada",
            "products": ["peas"],
            "status": "in_force",
            "evidence": [{"source": "paper", "paraphrase": "It reports a duty."}],
        },
    ],
}


@pytest.fixture
def claimed(tmp_path: Path) -> Path:
    """A fact file with a measure claimed by an undated page and one reported by a paper."""
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(CLAIMED), encoding="utf-8")
    return path


def tariff_rows(runner: CliRunner, facts: Path, *options: str) -> dict[str, dict[str, Any]]:
    """tariffs -f json, by id."""
    result = runner.invoke(cli.app, ["--data", str(facts), "tariffs", *options, "-f", "json"])
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


def test_no_claim_outlives_its_source(runner: CliRunner, claimed: Path) -> None:
    """On its source's day a claim is "in force (claimed)"; after it, it is what that source
    said then, in the listing, in show and in JSON."""
    on_the_day = tariff_rows(runner, claimed, "--as-of", "2026-01-16")
    assert on_the_day["claimed-duty"]["as_of"]["last_said"] is None
    result = runner.invoke(
        cli.app, ["--data", str(claimed), "tariffs", "--as-of", "2026-01-16", "-f", "csv"]
    )
    statuses = {
        row["id"]: row["as_of_status"] for row in csv.DictReader(result.stdout.splitlines())
    }
    assert statuses["claimed-duty"] == "in_force"

    later = tariff_rows(runner, claimed, "--as-of", "2026-03-01")
    assert later["claimed-duty"]["as_of"]["last_said"] == {
        "source": "undated",
        "date": "2026-01-16",
    }
    assert later["reported-duty"]["as_of"]["last_said"] == {"source": "paper", "date": "2026-01-16"}
    lines = runner.invoke(cli.app, ["--data", str(claimed), "tariffs", "--as-of", "2026-03-01"])
    by_id = {line.split("\t")[0]: line.split("\t") for line in lines.stdout.splitlines()}
    assert "claimed in force, 2026-01" in by_id["claimed-duty"]
    assert "reported in force, 2026-01" in by_id["reported-duty"]
    assert not any("in force (claimed)" in line for line in lines.stdout.splitlines())
    # show gives a measure as of the newest source's date, 2026-03-01.
    shown = runner.invoke(cli.app, ["--data", str(claimed), "show", "claimed-duty"])
    assert (
        "in force, as claimed by Polar Herald, n.d. (written 15\u201316 January 2026); "
        "not repeated since"
    ) in shown.stdout


def test_sources_lists_a_wire_service_once(runner: CliRunner, facts: Path) -> None:
    """sources gives an outlet a line, with the papers that carried it and the facts citing
    any of its stories counted once; --stories gives each story."""
    result = runner.invoke(cli.app, ["--data", str(facts), "sources", "-f", "json"])
    assert result.exit_code == 0, result.output
    by_outlet = {row["outlet"]: row for row in json.loads(result.stdout)}
    assert list(by_outlet) == ["Associated Press", "Global Affairs Canada", "The Globe and Mail"]
    wire = by_outlet["Associated Press"]
    assert [story["id"] for story in wire["stories"]] == ["ap-star", "ap-herald"]
    assert wire["carried_by"] == ["Shropshire Star", "Lethbridge Herald"]
    assert wire["cited_by"] == 2  # wire-twice cites both stories: one fact
    assert wire["publishers"] == ["wire"]
    lines = runner.invoke(cli.app, ["--data", str(facts), "sources"]).stdout.splitlines()
    assert lines[0].split("\t")[:4] == ["Associated Press", "wire service", "2", "2"]
    stories = runner.invoke(cli.app, ["--data", str(facts), "sources", "--stories", "-f", "csv"])
    assert [row["id"] for row in csv.DictReader(stories.stdout.splitlines())] == [
        source["id"] for source in SOURCES
    ]
