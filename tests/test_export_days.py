"""The days beside every date (``<field>_earliest``, ``<field>_latest``), declared once with the
fields (``facts.fields.DAY_BOUNDS``) and written alike in JSON, CSV and the export."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED
from tradecli import cli
from tradecli.export import tables
from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import DAY_BOUNDS, Record, bounded
from tradecli.facts.kinds import KINDS
from tradecli.present import sheet
from tradecli.present.words import record
from tradecli.store import Store


def _check_days(data: dict[str, Any], kind: type[Record]) -> int:
    """Assert that each date of ``data`` (a record's JSON) is followed by its days, in its parts
    too; return how many dates were given."""
    given = 0
    names = list(data)
    for field in kind.FIELDS:
        if field.name not in data:  # a record's id and evidence stand apart from its fields
            continue
        value = data[field.name]
        if field.part is not None and value is not None:
            for part in value if field.many else [value]:
                given += _check_days(part, field.part)
        if not bounded(field):
            continue
        at = names.index(field.name)
        assert names[at + 1 : at + 3] == [f"{field.name}_earliest", f"{field.name}_latest"]
        if value is None:
            assert (data[names[at + 1]], data[names[at + 2]]) == (None, None)
            continue
        date = PartialDate.parse(value)
        assert data[f"{field.name}_earliest"] == date.first_day().isoformat()
        assert data[f"{field.name}_latest"] == date.last_day().isoformat()
        given += 1
    return given


def test_days_are_declared_once_for_every_tool() -> None:
    """Two days, earliest then latest, each with a description the export's column comment
    uses word for word."""
    assert [bound.suffix for bound in DAY_BOUNDS] == ["earliest", "latest"]
    columns = {column.name: column for column in tables.TABLES_BY_NAME["sources"].columns}
    for bound in DAY_BOUNDS:
        assert columns[bound.name("published")].doc == bound.describe("published")
    assert bound.of(PartialDate.parse("2024-02")) == "2024-02-29"
    assert bound.of(None) is None


def test_json_records_give_each_date_its_days(store: Store) -> None:
    """Every fact's JSON record has, right after each date in its fields and its parts (a
    measure's lifecycle steps), the first and last days it can mean; null beside no date."""
    precisions = set()
    given = 0
    for collection, item in store.all_facts():
        data = record(store, collection, item)
        given += _check_days(data["fields"], type(item))
        for source in data["sources"]:
            published = source["published"]
            days = (source["published_earliest"], source["published_latest"])
            if published is None:
                assert days == (None, None)
            else:
                date = PartialDate.parse(published)
                precisions.add(date.precision.value)
                assert days == (date.first_day().isoformat(), date.last_day().isoformat())
    assert given > 100
    assert precisions == {"year", "month", "day"}


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.COLLECTION)
def test_csv_columns_put_the_days_beside_each_date(kind: type[Record]) -> None:
    """A listing's spreadsheet columns are the export table's own columns, less the precision
    and what the export keeps in tables of their own: the same days, in the same place."""
    exported = [
        name
        for name in tables.TABLES_BY_NAME[kind.COLLECTION].column_names
        if not name.endswith("_precision") and not name.startswith(("claimed_by_", "imposed_by_"))
    ]
    listed = [name for name in sheet.columns(kind) if name in exported]
    days = [name for name in exported if name.endswith(("_earliest", "_latest"))]
    assert [name for name in listed if name in days] == days
    for field in kind.FIELDS:
        if bounded(field):
            at = sheet.columns(kind).index(field.name)
            assert sheet.columns(kind)[at + 1 : at + 3] == (
                f"{field.name}_earliest",
                f"{field.name}_latest",
            )


def _csv(runner: CliRunner, *args: str) -> list[dict[str, str]]:
    done = runner.invoke(cli.app, ["--data", str(BUNDLED), *args, "-f", "csv"])
    assert done.exit_code == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_csv_output_filters_a_month_and_a_year_by_their_days(runner: CliRunner) -> None:
    """In `meetings -f csv`, date_earliest >= 2026-01-01 keeps every meeting dated in 2026 or
    later, whatever the precision, as the text of the date would: 2026-01 included."""
    rows = _csv(runner, "meetings")
    dated = [row for row in rows if row["date"]]
    assert {len(row["date"]) for row in dated} >= {7, 10}
    for row in dated:
        date = PartialDate.parse(row["date"])
        assert row["date_earliest"] == date.first_day().isoformat()
        assert row["date_latest"] == date.last_day().isoformat()
    later = [row["id"] for row in dated if row["date_earliest"] >= "2026-01-01"]
    assert later == [row["id"] for row in dated if row["date"][:4] >= "2026"]
    assert any(len(row["date"]) == 7 for row in dated if row["id"] in later)


def test_json_output_of_a_measure_dates_its_steps(runner: CliRunner) -> None:
    """`tariffs -f json` gives each lifecycle step's date its days, for jq to compare."""
    done = runner.invoke(cli.app, ["--data", str(BUNDLED), "tariffs", "-f", "json"])
    assert done.exit_code == 0, done.stderr
    steps = [step for item in json.loads(done.stdout) for step in item["fields"]["lifecycle"]]
    assert steps
    for step in steps:
        if step["date"] is not None:
            assert step["date_earliest"] == PartialDate.parse(step["date"]).first_day().isoformat()
