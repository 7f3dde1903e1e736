"""The query commands through the command line: wiring, exit codes, stdout and stderr apart."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import BUNDLED
from tradecli.cli import app, options
from tradecli.facts.vocab import EventStatus
from tradecli.render import Format

MINI = Path(__file__).parent / "fixtures" / "mini.json"
QUERY_COMMANDS = (
    "tariffs", "meetings", "quote", "people", "companies", "timeline", "sources", "summary",
)  # fmt: skip
ALL_COMMANDS = (*QUERY_COMMANDS, "search", "show")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The small fact file as plain JSON, to compute expected results independently."""
    return json.loads(MINI.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def run(runner: CliRunner, *args: str, data: Path = MINI) -> Result:
    """Run tradecli on a fact file."""
    return runner.invoke(app, ["--data", str(data), *args])


def json_ids(result: Result) -> list[str]:
    """The ids of a JSON result."""
    return [item["id"] for item in json.loads(result.stdout)]


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    """Each query command's help shows an example, the format option and the exit codes."""
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"tradecli {command}" in result.stdout
    assert "--format" in result.stdout
    assert "Exit codes" in result.stdout


def test_root_help_lists_every_command(runner: CliRunner) -> None:
    """tradecli --help names every query command."""
    result = runner.invoke(app, ["--help"])
    assert all(command in result.stdout for command in ALL_COMMANDS)


@pytest.mark.parametrize("command", QUERY_COMMANDS)
@pytest.mark.parametrize("fmt", list(Format))
def test_every_command_renders_every_format(runner: CliRunner, command: str, fmt: Format) -> None:
    """Each command writes data to stdout in each format, and to stderr only its notes."""
    result = run(runner, command, "--format", fmt.value)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    if command == "sources":
        assert result.stderr.startswith("note: the newest source is dated ")
    else:
        assert result.stderr == ""
    if fmt is Format.JSON:
        assert isinstance(json.loads(result.stdout), list)
    if fmt is Format.JSONL:
        lines = result.stdout.splitlines()
        assert all(isinstance(json.loads(line), dict) for line in lines)
        whole = json.loads(run(runner, command, "-f", "json").stdout)
        assert [json.loads(line) for line in lines] == whole


def test_tariffs_filters(runner: CliRunner, raw: dict[str, Any]) -> None:
    """--by, --on and --product combine."""
    result = run(
        runner, "tariffs", "--by", "Canada", "--on", "china", "--product", "vehicle", "-f", "json"
    )
    assert result.exit_code == 0
    expected = [
        m["id"]
        for m in raw["tariffs"]
        if m["imposed_by"] == "canada" and any("vehicle" in p for p in m["products"])
    ]
    assert json_ids(result) == expected


def test_tariffs_min_rate_notes_missing_rates(runner: CliRunner, raw: dict[str, Any]) -> None:
    """--min-rate keeps higher rates; measures with no rate are named on stderr, not guessed."""
    result = run(runner, "tariffs", "--min-rate", "80", "-f", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == [
        m["id"] for m in raw["tariffs"] if (m.get("rate_percent") or 0) >= 80
    ]
    assert "note: canola-investigation gives no rate" in result.stderr


def test_tariffs_show_an_investigation_as_having_no_rate(runner: CliRunner) -> None:
    """An investigation has no rate, and reads 'no rate', not 'not given' as if a source had
    left one out."""
    result = run(runner, "tariffs", "--product", "canola seed")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("canola-inv"))
    assert "\tno rate\t" in line


def test_negative_min_rate_is_a_usage_error(runner: CliRunner) -> None:
    """A negative rate is refused with exit 2."""
    result = run(runner, "tariffs", "--min-rate", "-5")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_meetings_on_a_day_note_a_month_only_meeting(runner: CliRunner) -> None:
    """--date DAY matches that day's meetings; stderr names those known only to the month."""
    result = run(runner, "meetings", "--date", "2026-01-15", "-f", "json")
    assert result.exit_code == 0
    assert set(json_ids(result)) == {"meeting-li-qiang", "meeting-zhao-leji"}
    assert result.stderr == (
        "note: meeting-executives is known only to 2026-01; not matched to 2026-01-15\n"
    )


def test_meetings_in_the_month(runner: CliRunner) -> None:
    """--since and --until of one month find the meeting known only to that month."""
    result = run(runner, "meetings", "--since", "2026-01", "--until", "2026-01", "-f", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    executives = next(r for r in rows if r["id"] == "meeting-executives")
    assert executives["date"] == "2026-01"
    assert result.stderr.startswith("note: the sources end on 2026-01-16; 2026-01-31 is after")


def test_meetings_with_and_status(runner: CliRunner) -> None:
    """--with takes any name of a participant; --status filters in any case."""
    result = run(runner, "meetings", "--with", "President Xi", "--status", "Held", "-f", "json")
    assert result.exit_code == 0
    assert json_ids(result) == ["meeting-xi"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["meetings", "--date", "2026-1-5"], "--date '2026-1-5'"),
        (["meetings", "--since", "2026-02-30"], "--since '2026-02-30'"),
        (["timeline", "--until", "soon"], "--until 'soon'"),
        (["meetings", "--date", "2026", "--since", "2025"], "cannot be combined"),
        (["meetings", "--status", "maybe"], "held, scheduled, cancelled"),
    ],
)
def test_bad_options_are_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    """A malformed date or status exits 2 with a message naming the option; stdout stays empty."""
    result = run(runner, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_status_help_names_every_status(runner: CliRunner) -> None:
    """The --status help lists every EventStatus value, so it cannot fall behind the schema."""
    result = runner.invoke(app, ["meetings", "--help"])
    assert all(status.value in result.stdout for status in EventStatus)


def test_empty_result_is_exit_0_with_a_message(runner: CliRunner) -> None:
    """No match: '[]' on stdout, a message on stderr, exit 0."""
    result = run(runner, "meetings", "--date", "1999", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "no meetings match --date 1999" in result.stderr


def test_quote_by_surname(runner: CliRunner, raw: dict[str, Any]) -> None:
    """'quote carney' finds Mark Carney's quotes."""
    result = run(runner, "quote", "carney", "-f", "json")
    assert result.exit_code == 0
    expected = {q["id"] for q in raw["quotes"] if q.get("speaker") == "carney"}
    assert set(json_ids(result)) == expected
    assert result.stderr == ""


def test_quote_about(runner: CliRunner) -> None:
    """--about finds quotes by their subject words."""
    result = run(runner, "quote", "--about", "progress", "-f", "json")
    assert json_ids(result) == ["li-readout"]


def test_unknown_name_exits_1_with_suggestions(runner: CliRunner) -> None:
    """A misspelt name is not found, with 'did you mean'."""
    result = run(runner, "quote", "carny")
    assert result.exit_code == 1
    assert "no person or organisation matches 'carny'" in result.stderr
    assert "did you mean Mark Carney (carney)" in result.stderr
    assert result.stdout == ""


def test_ambiguous_name_exits_1_listing_candidates(runner: CliRunner) -> None:
    """A shared first name lists every candidate."""
    result = run(runner, "people", "michael")
    assert result.exit_code == 1
    assert "Michael Kovrig (michael-kovrig)" in result.stderr
    assert "Michael Spavor (michael-spavor)" in result.stderr


def test_people_lists_roles(runner: CliRunner, raw: dict[str, Any]) -> None:
    """people lists every person with their roles."""
    result = run(runner, "people", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == [p["id"] for p in raw["people"]]
    li = next(r for r in rows if r["id"] == "li-qiang")
    assert "second-highest-ranking official" in li["roles"]


@pytest.mark.parametrize(("command", "name", "expected"), [
    ("people", "li qiang", "li-qiang"),
    ("people", "Zhào", "zhao-leji"),
    ("companies", "CATL", "catl"),
    ("companies", "contemporary amperex", "catl"),
])  # fmt: skip
def test_entity_in_full_with_links(
    runner: CliRunner, command: str, name: str, expected: str
) -> None:
    """people NAME and companies NAME show the entity and the meetings linked to it."""
    result = run(runner, command, name, "-f", "json")
    assert result.exit_code == 0
    entity = json.loads(result.stdout)
    assert entity["id"] == expected
    assert any(link["kind"] == "events" for link in entity["links"])


def test_companies_do_not_include_people(runner: CliRunner) -> None:
    """companies looks only among organisations."""
    result = run(runner, "companies", "carney")
    assert result.exit_code == 1
    assert "no organisation matches" in result.stderr


def test_timeline_window(runner: CliRunner) -> None:
    """timeline --since/--until keeps dated happenings in the window, in order."""
    result = run(runner, "timeline", "--since", "2024", "--until", "2024-12", "-f", "json")
    assert result.exit_code == 0
    dates = [item["date"] for item in json.loads(result.stdout)]
    assert dates
    assert all(d.startswith("2024") for d in dates)
    assert dates == sorted(dates)


def test_search_ranks_and_shows(runner: CliRunner) -> None:
    """search finds facts by words in any case, best first, with a score."""
    result = run(runner, "search", "AMPEREX", "-f", "json")
    assert result.exit_code == 0
    found = json.loads(result.stdout)["items"]
    assert found[0]["id"] == "catl"
    assert [f["score"] for f in found] == sorted((f["score"] for f in found), reverse=True)


@pytest.mark.parametrize(
    ("limit", "shown", "said"), [("2", 2, 2), ("0", None, None), ("100", None, 100)]
)
def test_search_json_says_how_many_matches_there_are(
    runner: CliRunner, limit: str, shown: int | None, said: int | None
) -> None:
    """search -f json is an object whatever the limit: the total, the limit and the items; a
    listing cut by --limit says so on stderr too, with the option that shows all."""
    every = run(runner, "search", "canola", "--limit", "0", "-f", "json")
    total = json.loads(every.stdout)["total"]
    assert total > 2
    result = run(runner, "search", "canola", "--limit", limit, "-f", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    items = json.loads(every.stdout)["items"]
    assert found == {"total": total, "limit": said, "items": items[:shown]}
    cut = f"note: showing the best 2 of {total} matches; --limit 0 shows all\n"
    assert result.stderr == (cut if shown else "")
    lines = run(runner, "search", "canola", "--limit", limit, "-f", "jsonl")
    assert [json.loads(line) for line in lines.stdout.splitlines()] == items[:shown]
    assert lines.stderr == result.stderr


def test_jsonl_streams_one_record_a_line(runner: CliRunner) -> None:
    """`tariffs -f jsonl | head -1` is one whole JSON object: the first measure."""
    result = runner.invoke(app, ["tariffs", "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert first == json.loads(runner.invoke(app, ["tariffs", "-f", "json"]).stdout)[0]


@pytest.mark.parametrize("args", [("show", "meeting-xi"), ("people", "carney"), ("show", "3")])
def test_one_fact_in_json_is_an_object(runner: CliRunner, args: tuple[str, ...]) -> None:
    """show -f json (and a person or company named) gives the object, not a one-item array;
    -f jsonl gives it on one line."""
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert isinstance(found, dict)
    assert found["id"]
    line = runner.invoke(app, [*args, "-f", "jsonl"]).stdout
    assert line.count("\n") == 1
    assert json.loads(line) == found


def test_search_table_shows_matches(runner: CliRunner) -> None:
    """The search table lists the best match first."""
    result = run(runner, "search", "catl")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split("\t")[1] == "catl"


def test_search_without_match(runner: CliRunner) -> None:
    """A search that finds nothing exits 0 with a message on stderr."""
    result = run(runner, "search", "zebra")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "nothing matches 'zebra'" in result.stderr


def test_show_a_fact_in_full(runner: CliRunner, raw: dict[str, Any]) -> None:
    """show ID prints every field, its evidence and its links."""
    result = run(runner, "show", "canada-ev-surtax")
    assert result.exit_code == 0
    surtax = next(m for m in raw["tariffs"] if m["id"] == "canada-ev-surtax")
    flat_output = " ".join(result.stdout.split())
    assert surtax["purpose"] in flat_output
    assert "Norton Rose Fulbright" in flat_output
    assert "← answered by: China's anti-dumping duty" in flat_output
    assert "(canola-seed-duty)" in flat_output


def test_show_unknown_id_suggests(runner: CliRunner) -> None:
    """A near-miss id exits 1 and suggests the id."""
    result = run(runner, "show", "meeting-xi-jinping")
    assert result.exit_code == 1
    assert "meeting-xi" in result.stderr


def test_sources_count_citations(runner: CliRunner) -> None:
    """sources --stories lists every source with the number of facts citing it."""
    result = run(runner, "sources", "--stories", "-f", "json")
    counts = {item["id"]: item["cited_by"] for item in json.loads(result.stdout)}
    assert counts["unused-source"] == 0
    assert counts["nrf-surtax"] == 3


def test_summary_names_the_visit(runner: CliRunner) -> None:
    """summary names the visit, the people met, what is disputed, the date the sources end and
    the fact counts, last."""
    result = run(runner, "summary", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    topics = {row["topic"] for row in rows}
    assert {"visit", "who", "where", "disputed", "figure", "sources end"} <= topics
    assert rows[-1]["topic"] == "facts"
    ended = next(row["detail"] for row in rows if row["topic"] == "sources end")
    assert ended.startswith("2026-01-16, the date of the newest source")
    who = next(row["detail"] for row in rows if row["topic"] == "who")
    assert "Li Qiang" in who


def test_untrusted_text_is_made_visible(
    runner: CliRunner, tmp_path: Path, raw: dict[str, Any]
) -> None:
    """Escape sequences in a fact never reach the terminal, in tables or JSON."""
    data = json.loads(json.dumps(raw))
    data["tariffs"][0]["title"] = "Surtax \x1b]0;pwned\x07 [red]x[/red]"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for fmt in Format:
        result = run(runner, "tariffs", "-f", fmt.value, data=path)
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout
        assert "\x07" not in result.stdout
    table = run(runner, "tariffs", data=path)
    assert "[red]x[/red]" in table.stdout


def test_bad_data_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    """A fact file that is not valid exits 3, before any output."""
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    result = run(runner, "tariffs", data=path)
    assert result.exit_code == 3
    assert result.stdout == ""


class _Root:
    def __init__(self, data: str) -> None:
        self.params = {"data": data}


class _Context:
    """Just enough of a Click context for a completion callback."""

    def __init__(self, data: str) -> None:
        self.root = _Root(data)

    def find_root(self) -> _Root:
        return self.root


def test_completion_offers_names_and_ids() -> None:
    """Completion offers matching entity ids and fact ids from the --data file."""
    ctx: Any = _Context(str(MINI))
    actors = options.complete_entities(("people", "organisations"))
    assert ("carney", "Mark Carney") in actors(ctx, "car")
    offered = options.complete_entities(("organisations",))(ctx, "conte")
    assert ("contemporary", "Contemporary Amperex Technology") in offered
    offered_ids = [value for value, _name in options.complete_ids(ctx, "meeting-x")]
    assert offered_ids == ["meeting-xi-scheduled", "meeting-xi"]
    assert ("carney", "Mark Carney") in options.complete_ids(ctx, "car")


def test_completion_fails_silently(tmp_path: Path) -> None:
    """A store that cannot load completes nothing instead of failing."""
    ctx: Any = _Context(str(tmp_path / "missing.json"))
    assert options.complete_entities(("people", "organisations"))(ctx, "car") == []
    assert options.complete_ids(ctx, "m") == []


@pytest.mark.skipif(not BUNDLED.is_file(), reason="bundled data/facts.json not present")
@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_commands_run_on_the_bundled_data(runner: CliRunner, command: str) -> None:
    """Every query command works on the bundled fact file."""
    result = runner.invoke(app, [command, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)


@pytest.mark.skipif(not BUNDLED.is_file(), reason="bundled data/facts.json not present")
@pytest.mark.parametrize("name", ["carney", "li qiang", "CATL", "contemporary amperex"])
def test_names_from_the_brief_resolve_in_the_bundled_data(runner: CliRunner, name: str) -> None:
    """The names the issue lists each find one entity in the bundled data."""
    result = runner.invoke(app, ["show", name, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert isinstance(json.loads(result.stdout)["id"], str)


def test_quote_by_how_a_source_describes_the_speaker(runner: CliRunner) -> None:
    """A speaker no entity names is found by its description; an unknown word still exits 1."""
    result = run(runner, "quote", "readout", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json_ids(result) == ["li-readout"]
    assert run(runner, "quote", "official readout", "-f", "json").exit_code == 0
    missing = run(runner, "quote", "zanzibar")
    assert missing.exit_code == 1
    assert "zanzibar" in missing.stderr
    by_li = run(runner, "quote", "li qiang", "-f", "json")
    assert by_li.exit_code == 0
    assert json_ids(by_li) == [], "a quote about Li Qiang's meeting is not by Li Qiang"
