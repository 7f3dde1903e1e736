"""The store's checks: each rule beyond types has a file that breaks it, and validate says so."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED
from tradecli.cli import app
from tradecli.errors import DataError
from tradecli.facts.dates import PartialDate, Precision
from tradecli.facts.kinds import COLLECTIONS
from tradecli.load.schema import json_schema
from tradecli.store import load

Mutation = Callable[[dict[str, Any]], None]


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    """Write fact-file data to a temporary file, indented like the bundled one."""
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def problems_for(tmp_path: Path, data: dict[str, Any], mutate: Mutation) -> list[str]:
    """The problem lines that loading a mutated copy of the data raises."""
    changed = copy.deepcopy(data)
    mutate(changed)
    with pytest.raises(DataError) as caught:
        load(write(tmp_path, changed))
    return caught.value.message.splitlines()


def find(data: dict[str, Any], collection: str, fact_id: str) -> dict[str, Any]:
    """The raw fact with this id."""
    return next(item for item in data[collection] if item["id"] == fact_id)


def test_bundled_file_is_valid() -> None:
    """The bundled store loads and indexes every fact by id."""
    store = load(BUNDLED)
    assert store.by_id["mark-carney"][0] == "people"
    assert len(store.by_id) == sum(len(store.items(c)) for c in COLLECTIONS)


CASES: list[tuple[str, Mutation, str, str]] = [
    (
        "duplicate id",
        lambda d: d["people"].append({**d["people"][0]}),
        f"people[{len(json.loads(BUNDLED.read_text(encoding='utf-8'))['people'])}].id",
        "already used by people[0]",
    ),
    (
        "dangling reference",
        lambda d: find(d, "events", "meeting-li-qiang")["participants"].append("nobody"),
        "events[1].participants[2]",
        "no fact in this file has as id",
    ),
    (
        "reference to the wrong kind",
        lambda d: find(d, "events", "meeting-li-qiang").__setitem__("place", "mark-carney"),
        "events[1].place",
        "expected an id in places",
    ),
    (
        "evidence citing a non-source",
        lambda d: d["people"][0]["evidence"][0].__setitem__("source", "canada"),
        "people[0].evidence[0].source",
        "expected an id in sources",
    ),
    (
        "alias naming two entities",
        lambda d: find(d, "places", "china")["aliases"].append("carney"),
        "places[1].aliases[2]",
        "already names 'mark-carney'",
    ),
    (
        "weekday disagreeing with the date",
        lambda d: find(d, "events", "visit-2026").__setitem__("weekday", "Wednesday"),
        "events[0].weekday",
        "2026-01-13 is a Tuesday, not a Wednesday",
    ),
    (
        "weekday on a date known only to the month",
        lambda d: find(d, "events", "two-michaels-arrests-2018").__setitem__("weekday", "Monday"),
        "events[9].weekday",
        "needs a date known to the day",
    ),
    (
        "written date whose weekday is wrong",
        lambda d: d["people"][0]["evidence"].append(
            {"source": "seed-article", "paraphrase": "It began on Friday, January 15, 2026."}
        ),
        "people[0].evidence[1].paraphrase",
        "2026-01-15 is a Thursday, not a Friday",
    ),
    (
        "scheduled event with an outcome",
        lambda d: find(d, "events", "meeting-xi-scheduled").__setitem__("outcome", "agreed"),
        "events[4]",
        "a scheduled event has no outcome",
    ),
    (
        "negative rate",
        lambda d: d["tariffs"][0].__setitem__("rate_percent", -1),
        "tariffs[0].rate_percent",
        "greater than or equal to 0",
    ),
    (
        "rate as text",
        lambda d: d["tariffs"][1].__setitem__("rate_percent", "high"),
        "tariffs[1].rate_percent",
        "valid number",
    ),
    (
        "end date before start",
        lambda d: find(d, "events", "trudeau-visit-2017").__setitem__("end_date", "2017-11"),
        "events[7]",
        "end_date 2017-11 is before date 2017-12-03",
    ),
    (
        "in force before announced",
        lambda d: d["tariffs"][0].__setitem__("in_force", "2024-07"),
        "tariffs[0].in_force",
        "in_force 2024-07 is before announced 2024-08-26",
    ),
    (
        "lifecycle out of order",
        lambda d: d["tariffs"][0]["lifecycle"].reverse(),
        "tariffs[0].lifecycle[1].date",
        "list steps in date order",
    ),
    (
        "impossible date",
        lambda d: find(d, "events", "visit-2026").__setitem__("date", "2026-02-30"),
        "events[0].date",
        "day must be 01 to 28",
    ),
    (
        "quote not in its excerpt",
        lambda d: d["quotes"][0].__setitem__("text", "Words never said"),
        "quotes[0].text",
        "must appear in its evidence's excerpt",
    ),
    (
        "evidence with both excerpt and paraphrase",
        lambda d: d["people"][0]["evidence"][0].__setitem__("paraphrase", "x"),
        "people[0].evidence[0]",
        "exactly one of 'excerpt'",
    ),
    (
        "unknown field",
        lambda d: d["tariffs"][2].__setitem__("rate", 5),
        "tariffs[2].rate",
        "unknown field 'rate'",
    ),
    (
        "missing field",
        lambda d: d["quotes"][0].pop("text"),
        "quotes[0].text",
        "required field 'text' is missing",
    ),
    (
        "fact without evidence",
        lambda d: d["places"][0].__setitem__("evidence", []),
        "places[0].evidence",
        "at least 1 item",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "path", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_check_rejects_what_it_guards(
    tmp_path: Path,
    raw: dict[str, Any],
    name: str,
    mutate: Mutation,
    path: str,
    message: str,
) -> None:
    """A file breaking one rule fails with a line naming the file, line, JSON path and the fix."""
    lines = problems_for(tmp_path, raw, mutate)
    matching = [line for line in lines if f" {path}: " in line and message in line]
    assert matching, lines
    assert matching[0].startswith(str(tmp_path / "facts.json") + ":")
    assert matching[0].split(":")[1].isdigit(), "the line number is given"


def test_all_problems_are_reported_not_just_the_first(tmp_path: Path, raw: dict[str, Any]) -> None:
    """Three independent problems give three lines, in file order."""

    def three(d: dict[str, Any]) -> None:
        d["tariffs"][3]["imposed_by"] = "nowhere"
        find(d, "events", "visit-2026")["weekday"] = "Monday"
        find(d, "places", "china")["aliases"].append("Carney")

    lines = problems_for(tmp_path, raw, three)
    assert len(lines) == 3
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers)


def test_validate_command_summarises_a_valid_file(runner: CliRunner) -> None:
    """Valid: exit 0 and one line with counts per kind on stdout."""
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    assert f"{len(data['tariffs'])} tariffs" in lines[0]
    assert f"{len(data['people'])} people" in lines[0]
    assert "valid" in lines[0]


def test_validate_command_lists_problems_and_exits_3(
    runner: CliRunner, tmp_path: Path, raw: dict[str, Any]
) -> None:
    """Invalid: exit 3, nothing on stdout, one line per problem on stderr."""
    changed = copy.deepcopy(raw)
    changed["tariffs"][1]["rate_percent"] = -3
    changed["people"][0]["nickname"] = "x"
    path = write(tmp_path, changed)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 3
    assert result.stdout == ""
    problem_lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(problem_lines) == 2
    assert any("tariffs[1].rate_percent" in line for line in problem_lines)
    assert "Traceback" not in result.stderr


def test_validate_lists_known_conflicts(runner: CliRunner) -> None:
    """Known conflicts of the store are listed on stderr by validate, each with its claims."""
    result = runner.invoke(app, ["validate"])
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    for conflict in data["conflicts"]:
        assert f"known conflict {conflict['id']}" in result.stderr


@pytest.mark.parametrize("how", ["option", "environment"])
def test_data_option_and_environment_choose_the_file(
    runner: CliRunner, tmp_path: Path, raw: dict[str, Any], how: str
) -> None:
    """--data and $TRADECLI_DATA make commands use another file."""
    smaller = copy.deepcopy(raw)
    smaller["quotes"] = smaller["quotes"][:1]
    path = write(tmp_path, smaller)
    if how == "option":
        result = runner.invoke(app, ["--data", str(path), "validate"])
    else:
        result = runner.invoke(app, ["validate"], env={"TRADECLI_DATA": str(path)})
    assert result.exit_code == 0, result.stderr
    assert str(path) in result.stdout
    assert " 1 quotes" in result.stdout


def test_schema_command_prints_the_shipped_schema(runner: CliRunner) -> None:
    """`tradecli schema` prints the JSON Schema that data/facts.schema.json holds."""
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    shipped = json.loads((BUNDLED.parent / "facts.schema.json").read_text(encoding="utf-8"))
    assert printed == shipped == json_schema()
    assert json.loads(BUNDLED.read_text(encoding="utf-8"))["$schema"] == "facts.schema.json"


TYPE_BREAKS: list[Mutation] = [
    lambda d: d.__setitem__("format_version", 2),
    lambda d: d.__setitem__("format_version", True),
    lambda d: d["tariffs"][0].__setitem__("rate_percent", "100"),
    lambda d: d["people"][0].__setitem__("aliases", "Carney"),
    lambda d: d["events"][0].__setitem__("date", "15 January 2026"),
    lambda d: d["events"][0].__setitem__("status", "maybe"),
    lambda d: d["sources"][0].__setitem__("kind", "rumour"),
    lambda d: d["quotes"][0].__setitem__("surprise", True),
    lambda d: d["places"][0].__setitem__("id", "Not An Id"),
    lambda d: d.__setitem__("people", {}),
]


@pytest.mark.parametrize("mutate", [None, *TYPE_BREAKS])
def test_independent_validator_agrees_on_types(
    tmp_path: Path, raw: dict[str, Any], mutate: Mutation | None
) -> None:
    """A standard JSON Schema validator accepts and rejects the same files as tradecli on types."""
    jsonschema = pytest.importorskip("jsonschema")
    data = copy.deepcopy(raw)
    if mutate is not None:
        mutate(data)
    schema_ok = jsonschema.Draft202012Validator(json_schema()).is_valid(data)
    try:
        load(write(tmp_path, data))
        tradecli_ok = True
    except DataError:
        tradecli_ok = False
    assert schema_ok == tradecli_ok == (mutate is None)


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2017", Precision.YEAR, "2017-01-01", "2017-12-31"),
        ("2017-12", Precision.MONTH, "2017-12-01", "2017-12-31"),
        ("2024-02", Precision.MONTH, "2024-02-01", "2024-02-29"),
        ("2026-01-15", Precision.DAY, "2026-01-15", "2026-01-15"),
    ],
)
def test_partial_dates_keep_their_precision(
    text: str, precision: Precision, first: str, last: str
) -> None:
    """A month stays a month: printed as written, spanning its first to last day."""
    parsed = PartialDate.parse(text)
    assert str(parsed) == text
    assert parsed.precision is precision
    assert (parsed.first_day().isoformat(), parsed.last_day().isoformat()) == (first, last)


@pytest.mark.parametrize(
    "text", ["2017-13", "2017-00", "17-12", "2017-12-1", "2023-02-29", "", "x"]
)
def test_malformed_dates_are_refused(text: str) -> None:
    """Impossible or oddly written dates raise ValueError."""
    with pytest.raises(ValueError, match=r"date|month|day"):
        PartialDate.parse(text)
