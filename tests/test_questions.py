"""Everyday questions take one command: the filters, `statements`, `sources ID` and `cite`.

Expected answers are worked out from data/facts.json here, never copied from tradecli's output.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import BUNDLED
from tradecli.cli import app

RAW: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))


def run(runner: CliRunner, *args: str, data: Path = BUNDLED) -> Result:
    """Run tradecli on a fact file."""
    return runner.invoke(app, ["--data", str(data), *args])


def ids(result: Result) -> list[str]:
    """The ids of a JSON answer."""
    assert result.exit_code == 0, result.stderr
    return [record["id"] for record in json.loads(result.stdout)]


def cites(item: Any, source_ids: set[str]) -> bool:
    """Whether an item of the file cites one of the sources, anywhere in it."""
    return any(f'"source": "{source}"' in json.dumps(item) for source in source_ids)


def outlet_sources(prefix: str) -> set[str]:
    """Ids of the sources whose outlet starts with this."""
    return {s["id"] for s in RAW["sources"] if (s.get("outlet") or "").startswith(prefix)}


# --- statements ------------------------------------------------------------------------------


@pytest.mark.parametrize("kinds", ["figure", "expectation,goal", "Agreement"])
def test_statements_by_kind(runner: CliRunner, kinds: str) -> None:
    """`statements --kind` keeps the statements of those kinds, and all of them."""
    wanted = {kind.strip().lower() for kind in kinds.split(",")}
    expected = {s["id"] for s in RAW["statements"] if s["kind"] in wanted}
    assert expected
    assert set(ids(run(runner, "statements", "--kind", kinds, "-f", "json"))) == expected


def test_an_unknown_kind_names_the_choices(runner: CliRunner) -> None:
    """A kind that does not exist exits 2 and lists the kinds."""
    result = run(runner, "statements", "--kind", "rumour")
    assert result.exit_code == 2
    assert "figure" in result.stderr
    assert result.stdout == ""


def test_expectations_are_listed_as_expectations(runner: CliRunner) -> None:
    """Every line of `statements --kind expectation` says it is an expectation."""
    lines = run(runner, "statements", "--kind", "expectation").stdout.splitlines()
    assert lines
    assert all(line.split("\t")[1].startswith("expectation") for line in lines)


def test_statements_by_holder(runner: CliRunner) -> None:
    """`statements --by` keeps what that entity claims or holds."""
    expected = [s["id"] for s in RAW["statements"] if s.get("claimed_by") == "mark-carney"]
    assert expected
    found = ids(run(runner, "statements", "--by", "carney", "-f", "json"))
    assert sorted(found) == sorted(expected)


# --- filters on the query commands -------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "collection"),
    [("quote", "quotes"), ("statements", "statements"), ("meetings", "events")],
)
def test_certainty_on_query_commands(runner: CliRunner, command: str, collection: str) -> None:
    """--certainty keeps only facts held with that certainty."""
    found = ids(run(runner, command, "--certainty", "claimed,reported", "-f", "json"))
    stated = {i["id"] for i in RAW[collection] if i.get("certainty", "stated") == "stated"}
    assert not set(found) & stated
    kept = {i["id"] for i in RAW[collection] if i.get("certainty") in ("claimed", "reported")}
    assert set(found) <= kept


def test_certainty_words_are_checked(runner: CliRunner) -> None:
    """An unknown certainty is a usage error naming the choices."""
    result = run(runner, "tariffs", "--certainty", "sure")
    assert result.exit_code == 2
    assert "widely_seen_as" in result.stderr


def test_tariffs_by_status_on_the_newest_sources_date(runner: CliRunner) -> None:
    """`tariffs --status suspended` lists what was suspended on the newest source's date."""
    records = json.loads(run(runner, "tariffs", "--status", "suspended", "-f", "json").stdout)
    assert records
    assert {record["as_of"]["status"] for record in records} == {"suspended"}
    assert "china-adt-canola-meal" in {record["id"] for record in records}


def test_timeline_with_a_person(runner: CliRunner) -> None:
    """`timeline --with` keeps the entries of facts that name the entity."""
    records = json.loads(run(runner, "timeline", "--with", "li qiang", "-f", "json").stdout)
    naming = {
        item["id"]
        for name, items in RAW.items()
        if isinstance(items, list)
        for item in items
        if "li-qiang" in json.dumps({k: v for k, v in item.items() if k != "id"})
    }
    assert records
    assert {record["id"] for record in records} <= naming
    assert "meeting-li-qiang" in {record["id"] for record in records}


def test_quote_by_channel(runner: CliRunner) -> None:
    """`quote --channel social_media` keeps the quotes said on social media."""
    expected = [q["id"] for q in RAW["quotes"] if q["channel"] == "social_media"]
    assert expected
    assert sorted(ids(run(runner, "quote", "--channel", "social media", "-f", "json"))) == sorted(
        expected
    )


@pytest.mark.parametrize(("named", "prefix"), [("ap", "Associated Press"), ("cp", "The Canadian")])
def test_source_by_outlet_on_every_query(runner: CliRunner, named: str, prefix: str) -> None:
    """--source takes an outlet's initials: the quotes listed are those its sources support."""
    chosen = outlet_sources(prefix)
    expected = [q["id"] for q in RAW["quotes"] if cites(q, chosen)]
    found = ids(run(runner, "quote", "--source", named, "-f", "json"))
    assert sorted(found) == sorted(expected)


def test_an_unknown_outlet_suggests(runner: CliRunner) -> None:
    """A mistyped outlet exits 1 and suggests the close one."""
    result = run(runner, "tariffs", "--source", "Reuter")
    assert result.exit_code == 0 or "Reuters" in result.stderr
    wrong = run(runner, "tariffs", "--source", "Assoicated Press")
    assert wrong.exit_code == 1
    assert "Associated Press" in wrong.stderr


def test_chain_from_a_measure(runner: CliRunner) -> None:
    """`tariffs --chain --from ID` is that measure and what answers it, in turn."""
    start = "china-anti-discrimination-investigation"
    answers: dict[str, list[str]] = {}
    for measure in RAW["tariffs"]:
        for ref in measure.get("responds_to", []):
            answers.setdefault(ref, []).append(measure["id"])
    reached, waiting = {start}, [start]
    while waiting:
        for later in answers.get(waiting.pop(), []):
            if later not in reached:
                reached.add(later)
                waiting.append(later)
    result = run(runner, "tariffs", "--chain", "--from", start, "-f", "json")
    assert result.exit_code == 0, result.stderr
    (root,) = json.loads(result.stdout)
    assert root["id"] == start

    def walk(node: dict[str, Any]) -> set[str]:
        return {node["id"], *(i for child in node["responses"] for i in walk(child))}

    assert walk(root) == reached
    assert len(reached) > 1


def test_from_needs_chain_and_a_measure(runner: CliRunner) -> None:
    """--from without --chain is a usage error; an unknown id exits 1 with a suggestion."""
    assert run(runner, "tariffs", "--from", "canada-ev-surtax").exit_code == 2
    wrong = run(runner, "tariffs", "--chain", "--from", "canada-ev-surtx")
    assert wrong.exit_code == 1
    assert "canada-ev-surtax" in wrong.stderr


# --- sources ID ---------------------------------------------------------------------------------


def test_sources_id_lists_what_a_source_supports(runner: CliRunner) -> None:
    """`sources ID` lists every fact whose evidence cites the source."""
    expected = {
        item["id"]
        for name, items in RAW.items()
        if isinstance(items, list) and name != "sources"
        for item in items
        if cites(item, {"ap-ev-deal"})
    }
    assert set(ids(run(runner, "sources", "ap-ev-deal", "-f", "json"))) == expected


def test_sources_by_outlet_name(runner: CliRunner) -> None:
    """`sources "associated press"` lists what that outlet's sources support, all of them."""
    chosen = sorted(outlet_sources("Associated Press"))
    assert len(chosen) > 1
    by_id = {i for source in chosen for i in ids(run(runner, "sources", source, "-f", "json"))}
    assert set(ids(run(runner, "sources", "Associated Press", "-f", "json"))) == by_id


# --- cite ---------------------------------------------------------------------------------------


def test_cite_a_fact_gives_a_line_per_source(runner: CliRunner) -> None:
    """`cite ID`: a line per source the fact cites: outlet, title, date and address."""
    meeting = next(e for e in RAW["events"] if e["id"] == "meeting-xi")
    cited = list(dict.fromkeys(e["source"] for e in meeting["evidence"]))
    lines = run(runner, "cite", "meeting-xi").stdout.splitlines()
    assert len(lines) == len(cited)
    for source_id, line in zip(cited, lines, strict=True):
        source = next(s for s in RAW["sources"] if s["id"] == source_id)
        assert f"“{source['title']}”" in line
        assert line.endswith(source["url"])
        assert source["published"] in line


def test_cite_csl_json_reads_as_csl(runner: CliRunner) -> None:
    """CSL JSON: an item per source with type, title, container-title, issued and URL."""
    items = json.loads(run(runner, "cite", "cp-five-things", "-f", "csl-json").stdout)
    (item,) = items
    source = next(s for s in RAW["sources"] if s["id"] == "cp-five-things")
    assert item["id"] == "cp-five-things"
    assert item["type"] == "article-newspaper"
    assert item["title"] == source["title"]
    assert item["container-title"] == "The Canadian Press"
    assert item["issued"] == {"date-parts": [[2026, 1, 16]]}
    assert item["URL"] == source["url"]


def test_cite_bibtex_escapes_what_latex_reads(runner: CliRunner, tmp_path: Path) -> None:
    """BibTeX: a wire story is an @article in its outlet; braces, backslashes and % in a title
    are text, and no brace of the data can close the field."""
    data = copy.deepcopy(RAW)
    source = next(s for s in data["sources"] if s["id"] == "cp-five-things")
    source["title"] = r"100% {evil} \input{/etc/passwd} & more"
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    entry = run(runner, "cite", "cp-five-things", "-f", "bibtex", data=path).stdout
    assert entry.startswith("@article{cp-five-things,")
    assert r"\input{" not in entry
    title = (
        r"100\% {\textbraceleft}evil{\textbraceright} {\textbackslash}input"
        r"{\textbraceleft}/etc/passwd{\textbraceright} \& more"
    )
    assert f"  title = {{{title}}}," in entry
    assert "  journal = {The Canadian Press}," in entry
    assert "  date = {2026-01-16}," in entry
    assert entry.count("{") == entry.count("}")


def test_cite_an_unknown_id_suggests(runner: CliRunner) -> None:
    """A mistyped id exits 1 with the close ids."""
    result = run(runner, "cite", "meeting-xii")
    assert result.exit_code == 1
    assert "meeting-xi" in result.stderr


# --- one command per question ---------------------------------------------------------------------


def test_who_met_whom_and_when(runner: CliRunner) -> None:
    """`meetings --with xi`: each line has the date, the meeting and its participants."""
    lines = run(runner, "meetings", "--with", "xi").stdout.splitlines()
    held = next(line for line in lines if line.startswith("meeting-xi\t"))
    cells = held.split("\t")
    assert cells[1] == "2026-01-16"
    assert "Mark Carney; Xi Jinping" in cells


def test_what_a_measure_is_now_and_since_when(runner: CliRunner) -> None:
    """`tariffs --product "canola meal"`: rate, status on the newest source's date, since."""
    (line,) = run(runner, "tariffs", "--product", "canola meal").stdout.splitlines()
    cells = line.split("\t")
    assert cells[0] == "china-adt-canola-meal"
    assert cells[3:7] == ["100%", "suspended", "2026-03-01", "2026-12-31"]


def test_which_outlets_report_a_fact(runner: CliRunner) -> None:
    """A measure's line ends with the outlets reporting it, by name, not id."""
    (line,) = run(runner, "tariffs", "--product", "canola meal").stdout.splitlines()
    outlets = line.split("\t")[-1].split("; ")
    assert "Reuters" in outlets
    assert not any(re.fullmatch(r"[a-z0-9-]+", outlet) for outlet in outlets)


def test_what_is_disputed(runner: CliRunner) -> None:
    """`conflicts -f csv`: each conflict's claims, by fact, with their sources."""
    rows = list(csv.DictReader(io.StringIO(run(runner, "conflicts", "-f", "csv").stdout)))
    for conflict in RAW["conflicts"]:
        assert {r["claim"] for r in rows if r["conflict"] == conflict["id"]} == set(
            conflict["claims"]
        )
