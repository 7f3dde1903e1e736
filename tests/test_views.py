"""The timeline and chain views, and --export-svg / --export-html on every table.

Expected headings, edges and sources are computed from data/facts.json itself, never copied from
the program's output.
"""

from __future__ import annotations

import calendar
import copy
import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.text import Text
from typer.testing import CliRunner, Result

from conftest import BUNDLED
from tradecli.cli import app
from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import Measure
from tradecli.present.views import span_label
from tradecli.query.chains import MAX_DEPTH, ChainNode, Cut, links, response_chains
from tradecli.store import load
from tradecli.textsafe import visible

RAW: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))
TARIFF_IDS = [m["id"] for m in RAW["tariffs"]]
GUIDES = re.compile(r"^[\s│├└─┃┣┗━]*")
WIDE = {"COLUMNS": "200"}
TERMINAL = {"TTY_COMPATIBLE": "1"}  # drawn as for a terminal, though CliRunner's stdout is not one
HOSTILE = "zqview [bold]x[/] [link=https://evil.example/]c[/link] \x1b[2J \x1b]0;t\x07 <b>&amp;</b>"
SVG_CELL = 20 * 0.61
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")

TABLE_CASES = [
    ("tariffs", []),
    ("tariffs", ["--chain"]),
    ("meetings", []),
    ("quote", []),
    ("people", []),
    ("people", [RAW["people"][0]["id"]]),
    ("companies", []),
    ("timeline", []),
    ("timeline", ["--long"]),
    ("search", ["canola"]),
    ("show", [TARIFF_IDS[0]]),
    ("sources", []),
    ("summary", []),
    ("conflicts", []),
]


def run(runner: CliRunner, *args: str, data: Path = BUNDLED, env: Any = None) -> Result:
    """Run tradecli on a fact file."""
    return runner.invoke(app, ["--data", str(data), *args], env=env)


def content(line: str) -> str:
    """A line of a tree without its guides and padding."""
    return GUIDES.sub("", line).rstrip()


def tree_node(line: str) -> str | None:
    """What a line of a tree starts a node with (a heading, an entry), or None for a line that
    goes on with the text of the node above."""
    if line[:1] not in " │├└":
        return line.rstrip()
    before, branch, rest = line.partition("── ")
    if branch and set(before) <= set(" │├└"):
        return rest.rstrip()
    return None


def flattened(output: str) -> str:
    """A tree's text with guides removed and all whitespace collapsed, to read wrapped lines."""
    return " ".join(content(line) for line in output.splitlines()).replace("  ", " ")


def parsed(text: str) -> PartialDate:
    """A date from the fact file."""
    return PartialDate.parse(text)


def responds(measure: dict[str, Any]) -> list[str]:
    """What a measure responds to in the data file (the key may be left out)."""
    return list(measure.get("responds_to", []))


def sources_of(item: dict[str, Any]) -> list[str]:
    """The source ids an item's evidence cites, in order, each once."""
    return list(dict.fromkeys(e["source"] for e in item["evidence"]))


def timeline_entries(raw: dict[str, Any]) -> list[tuple[str, PartialDate, frozenset[str]]]:
    """(id, date, sources) of every timeline entry, computed from the data file alone."""
    entries = []
    for event in raw["events"]:
        if event.get("date"):
            entries.append((event["id"], parsed(event["date"]), frozenset(sources_of(event))))
    for measure in raw["tariffs"]:
        steps = measure.get("lifecycle") or []
        for step in steps:
            if step.get("date"):
                same_day = [s for s in steps if s.get("date") == step["date"]]
                cited = frozenset(src for s in same_day for src in sources_of(s))
                entries.append((measure["id"], parsed(step["date"]), cited))
        if not steps:
            for name in ("announced", "in_force", "ends"):
                if measure.get(name):
                    cited = frozenset(sources_of(measure))
                    entries.append((measure["id"], parsed(measure[name]), cited))
    return entries


def visit_months(raw: dict[str, Any]) -> set[tuple[int, int]]:
    """The (year, month) pairs of the visits in the data file."""
    months = set()
    for event in raw["events"]:
        if event["category"] == "visit" and event.get("date"):
            first = parsed(event["date"])
            last = parsed(event.get("end_date") or event["date"])
            assert first.month is not None
            assert (first.year, first.month) == (last.year, last.month), "extend this helper"
            months.add((first.year, first.month))
    return months


def day_heading(day: date) -> str:
    """How a day of the visit is headed: 'Thursday 15 January 2026'."""
    return (
        f"{calendar.day_name[day.weekday()]} {day.day} {calendar.month_name[day.month]} {day.year}"
    )


def expected_headings(raw: dict[str, Any]) -> tuple[list[str], set[str]]:
    """The headings in order, and the day headings that must not appear (outside the visit)."""
    dates = [when for _id, when, _sources in timeline_entries(raw)]
    visit = visit_months(raw)
    headings: list[str] = []
    absent: set[str] = set()
    for year in sorted({d.year for d in dates}):
        headings.append(str(year))
        months = sorted({d.month for d in dates if d.year == year and d.month is not None})
        for month in months:
            headings.append(f"{calendar.month_name[month]} {year}")
            days = sorted(
                {d.day for d in dates if (d.year, d.month) == (year, month) and d.day is not None}
            )
            for day in days:
                heading = day_heading(date(year, month, day))
                (headings.append if (year, month) in visit else absent.add)(heading)
    return headings, absent


def hostile_copy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the bundled facts with hostile text in a measure's and an event's title."""
    data = copy.deepcopy(RAW)
    titles: dict[str, str] = {}
    investigation = next(m for m in data["tariffs"] if responds(m))
    month_event = next(e for e in data["events"] if re.fullmatch(r"\d{4}-\d{2}", e["date"] or ""))
    for item in (investigation, month_event):
        item["title"] = f"{HOSTILE} {item['title']}"
        titles[item["id"]] = item["title"]
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path, titles


def svg_lines(path: Path) -> list[str]:
    """The text of an SVG that Rich exported, line by line (parsing it proves it well-formed).

    Rich writes one element per run of text at its column (x = column * 12.2, its default cell
    width) and leaves out runs of spaces; they are put back here.
    """
    rows: dict[float, list[tuple[float, str]]] = {}
    for element in ET.parse(path).iter("{http://www.w3.org/2000/svg}text"):
        if element.get("clip-path") is None:  # the window title, not terminal text
            continue
        rows.setdefault(float(element.get("y", 0)), []).append(
            (float(element.get("x", 0)), element.text or "")
        )
    lines = []
    for _y, parts in sorted(rows.items()):
        shown = ""
        for x, text in sorted(parts):
            shown += " " * (round(x / SVG_CELL) - cell_len(shown)) + text.replace("\xa0", " ")
        lines.append(shown)
    return lines


class _Collector(HTMLParser):
    """The text inside <code> (where Rich puts the terminal's text) and every tag seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.in_code = self.in_code or tag == "code"

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self.in_code = False

    def handle_data(self, data: str) -> None:
        if self.in_code:
            self.text.append(data)


def html_text(path: Path) -> tuple[str, list[str]]:
    """The terminal text an HTML page shows, and the tags it holds."""
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return "".join(collector.text), collector.tags


# --- Timeline -----------------------------------------------------------------------------


def test_timeline_groups_by_year_and_month_and_expands_the_visit_days(runner: CliRunner) -> None:
    """Year, month and (in the visit's months) day headings appear once each, in date order."""
    result = run(runner, "timeline", "--long")
    assert result.exit_code == 0, result.stderr
    headings, absent = expected_headings(RAW)
    assert any(h.endswith(f"January {year}") for year, _m in visit_months(RAW) for h in headings)
    wanted = set(headings) | absent
    shown = [node for node in map(tree_node, result.stdout.splitlines()) if node in wanted]
    assert shown == headings
    assert len([h for h in headings if h[0].isalpha() and h.split()[0] in calendar.day_name]) > 1


def test_a_month_or_year_precision_event_is_drawn_as_a_span(runner: CliRunner) -> None:
    """An event known only to the month (or year) shows its precision and the span marker."""
    result = run(runner, "timeline", "--long")
    lines = [content(line) for line in result.stdout.splitlines()]
    coarse = [e for e in RAW["events"] if e.get("date") and len(e["date"]) < 10]
    assert any(len(e["date"]) == 7 for e in coarse), "the data has no month-precision event"
    for event in coarse:
        if event.get("end_date"):
            continue
        unit = "month" if len(event["date"]) == 7 else "year"
        marker = f"▬ {event['date']} (whole {unit})"
        assert any(line.startswith(marker) for line in lines), marker
    for event in RAW["events"]:
        if event.get("date") and len(event["date"]) == 10 and not event.get("end_date"):
            assert f"▬ {event['date']}" not in result.stdout


# The one source whose page shows no date, as the corrections brief asks it to be named.
UNDATED = {
    "article-carney-beijing": "Polar Herald, n.d. (written 15\u201316 January 2026)",
    "newsgd-joly-visit": "Newsgd.com, n.d. (written 2026)",
}


def source_names(ids: frozenset[str]) -> frozenset[str]:
    """How sources are named to people: "The Canadian Press, 2026-01-16" (the outlet, not the
    site that carried it), or the title in quotes where no outlet is given."""
    named = set()
    for source in RAW["sources"]:
        if source["id"] in UNDATED and source["id"] in ids:
            named.add(UNDATED[source["id"]])
        elif source["id"] in ids:
            name = source["outlet"] or f"“{source['title']}”"
            named.add(f"{name}, {source['published']}" if source.get("published") else name)
    return frozenset(named)


def test_every_timeline_entry_names_its_sources(runner: CliRunner) -> None:
    """Each entry's detail line names its sources by outlet and date: a measure's step its own."""
    result = run(runner, "timeline", "--long", env={"COLUMNS": "400"})
    assert result.exit_code == 0
    found = Counter(
        (fact_id, frozenset(cited.split("; ")))
        for fact_id, cited in re.findall(
            r"(?:event|measure) ([a-z0-9._-]+) · according to (.+)$",
            "\n".join(content(line) for line in result.stdout.splitlines()),
            re.MULTILINE,
        )
    )
    expected = Counter(
        (fact_id, source_names(cited)) for fact_id, _when, cited in timeline_entries(RAW)
    )
    assert found == expected


def test_timeline_machine_formats_keep_their_rows(runner: CliRunner) -> None:
    """JSON and CSV still give one flat row per entry, as before the view."""
    records = json.loads(run(runner, "timeline", "-f", "json").stdout)
    assert len(records) == len(timeline_entries(RAW))
    assert set(records[0]) == {"date", "end_date", "id", "kind", "title", "what", "sources"}
    rows = list(csv.DictReader(io.StringIO(run(runner, "timeline", "-f", "csv").stdout)))
    assert [r["id"] for r in rows] == [r["id"] for r in records]


def test_span_labels_spell_out_precision() -> None:
    """A date's label says how much of it is known; a single day needs no mark."""
    assert span_label(parsed("2018-12")) == ("2018-12 (whole month)", True)
    assert span_label(parsed("2025")) == ("2025 (whole year)", True)
    assert span_label(parsed("2019"), parsed("2021")) == ("2019 to 2021 (years)", True)
    assert span_label(parsed("2017-12-03"), parsed("2017-12-07")) == (
        "2017-12-03 to 2017-12-07 (5 days)",
        True,
    )
    assert span_label(parsed("2026-01-15")) == ("2026-01-15", False)


# --- Chains of measures -------------------------------------------------------------------


def expected_edges(tariffs: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(measure, measure responding to it) among the given measures, from responds_to."""
    ids = {m["id"] for m in tariffs}
    return {(ref, m["id"]) for m in tariffs for ref in responds(m) if ref in ids}


def walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every node of a JSON chain forest, depth first."""
    found = []
    for node in nodes:
        found.append(node)
        found.extend(walk(node["responses"]))
    return found


def json_edges(nodes: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(node, response) pairs of a JSON chain forest."""
    return {(node["id"], child["id"]) for node in walk(nodes) for child in node["responses"]}


def test_chain_tree_has_the_ev_surtax_over_the_investigation(runner: CliRunner) -> None:
    """A measure that answers nothing is a root; the measures answering it are drawn beneath."""
    root = next(m for m in RAW["tariffs"] if m["id"] == "canada-ev-surtax")
    assert responds(root) == []
    answers = [m for m in RAW["tariffs"] if root["id"] in responds(m)]
    assert "china-anti-discrimination-investigation" in [m["id"] for m in answers]
    result = run(runner, "tariffs", "--chain", env={**WIDE, **TERMINAL})
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    at = lines.index(root["title"])
    tree = []
    for line in lines[at + 1 :]:
        if not line:
            break
        tree.append(line)
    children = [line[4:] for line in tree if line.startswith(("├── ", "└── "))]
    assert children == [m["title"] for m in answers]
    investigation = next(m for m in answers if m["id"] == "china-anti-discrimination-investigation")
    grandchildren = [m["title"] for m in RAW["tariffs"] if investigation["id"] in responds(m)]
    assert grandchildren
    assert all(any(line.endswith(f"── {title}") for line in tree) for title in grandchildren)
    for measure in RAW["tariffs"]:
        assert f"{measure['id']} · " in result.stdout


def test_chain_json_nesting_matches_responds_to(runner: CliRunner) -> None:
    """JSON nests each response under what it responds to; every measure appears in full once."""
    result = run(runner, "tariffs", "--chain", "-f", "json")
    assert result.exit_code == 0
    forest = json.loads(result.stdout)
    nodes = walk(forest)
    assert json_edges(forest) == expected_edges(RAW["tariffs"])
    for node in nodes:
        for child in node["responses"]:
            assert node["id"] in child["responds_to"]
        assert set(node) == {
            "id", "title", "rate_percent", "status", "certainty", "announced", "in_force",
            "responds_to", "responds_to_basis", "cut", "responses",
        }  # fmt: skip
    assert sorted(n["id"] for n in nodes if n["cut"] is None) == sorted(TARIFF_IDS)
    ids = set(TARIFF_IDS)
    roots = [m["id"] for m in RAW["tariffs"] if not ids & set(responds(m))]
    assert [node["id"] for node in forest] == roots
    several = [m["id"] for m in RAW["tariffs"] if len(set(responds(m)) & ids) > 1]
    assert several, "the data has no measure answering several; the repeat case proves nothing"
    for measure_id in several:
        cuts = [n["cut"] for n in nodes if n["id"] == measure_id]
        assert sorted(cuts, key=str) == sorted([None, *["repeat"] * (len(cuts) - 1)], key=str)


def test_chain_csv_lists_every_link(runner: CliRunner) -> None:
    """CSV has one row per link, and an empty 'from' for a measure that answers nothing."""
    result = run(runner, "tariffs", "--chain", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    edges = {(r["from"], r["to"]) for r in rows if r["from"]}
    assert edges == expected_edges(RAW["tariffs"])
    ids = set(TARIFF_IDS)
    assert {r["to"] for r in rows if not r["from"]} == {
        m["id"] for m in RAW["tariffs"] if not ids & set(responds(m))
    }
    assert list(rows[0]) == ["from", "from title", "to", "to title"]


def test_chain_follows_the_filters(runner: CliRunner) -> None:
    """With --product, roots are the measures answering none of those kept, named as such."""
    kept = [m for m in RAW["tariffs"] if any("canola" in p.lower() for p in m["products"])]
    ids = {m["id"] for m in kept}
    result = run(runner, "tariffs", "--chain", "--product", "canola", "-f", "json")
    forest = json.loads(result.stdout)
    assert {n["id"] for n in walk(forest)} == ids
    assert json_edges(forest) == expected_edges(kept)
    table = run(
        runner, "tariffs", "--chain", "--product", "canola", env={**WIDE, **TERMINAL}
    ).stdout
    for measure in kept:
        outside = [ref for ref in responds(measure) if ref not in ids]
        if outside and not ids & set(responds(measure)):
            assert "responds to, outside this selection: " in table


def test_chain_with_a_cycle_ends(runner: CliRunner, tmp_path: Path) -> None:
    """Measures answering each other in a circle are drawn once, the circle marked, no loop."""
    data = copy.deepcopy(RAW)
    answer = next(m for m in data["tariffs"] if m["id"] == "china-adt-canola-oil")
    first = next(m for m in data["tariffs"] if m["id"] == "canada-ev-surtax")
    first["responds_to"] = [answer["id"]]
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run(runner, "tariffs", "--chain", "-f", "json", data=path)
    assert result.exit_code == 0, result.stderr
    nodes = walk(json.loads(result.stdout))
    assert sorted(n["id"] for n in nodes if n["cut"] is None) == sorted(TARIFF_IDS)
    assert "cycle" in {n["cut"] for n in nodes}
    assert run(runner, "tariffs", "--chain", data=path).exit_code == 0


def test_chain_as_of_together_is_a_usage_error(runner: CliRunner) -> None:
    """--chain and --as-of cannot be combined: exit 2, nothing on stdout."""
    result = run(runner, "tariffs", "--chain", "--as-of", "2026-01-16")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--chain" in result.stderr


def _measures() -> list[Measure]:
    return list(load(BUNDLED).items("tariffs"))


def test_response_chains_mark_repeats_cycles_and_depth() -> None:
    """Without the CLI: self-reference is a cycle, a deep chain continues as its own root."""
    template = _measures()[0]
    lonely = template.replace(id="self", responds_to=["self"])
    chains = response_chains([lonely])
    assert [(n.measure.id, n.cut) for n in chains] == [("self", None)]
    assert [(n.measure.id, n.cut) for n in chains[0].responses] == [("self", Cut.CYCLE)]
    deep = [
        template.replace(id=f"m{i}", responds_to=[f"m{i - 1}"] if i else [])
        for i in range(MAX_DEPTH * 2 + 3)
    ]
    chains = response_chains(deep)

    def depth(node: ChainNode) -> int:
        return 1 + max((depth(child) for child in node.responses), default=0)

    assert len(chains) > 1
    assert all(depth(root) <= MAX_DEPTH + 1 for root in chains)
    full = [n.measure.id for root in chains for n in _all(root) if n.cut is None]
    assert sorted(full) == sorted(m.id for m in deep)
    assert links(deep)[0] == (None, deep[0])


def _all(node: ChainNode) -> list[ChainNode]:
    return [node, *(inner for child in node.responses for inner in _all(child))]


# --- Exporting what the terminal shows ----------------------------------------------------


@pytest.mark.parametrize(
    ("command", "args"), TABLE_CASES, ids=[" ".join([c, *a]) for c, a in TABLE_CASES]
)
def test_every_table_exports_svg_and_html(
    runner: CliRunner, tmp_path: Path, command: str, args: list[str]
) -> None:
    """Each table or view writes an SVG and an HTML file of what a terminal shows, and prints
    that to stdout too."""
    drawn = run(runner, command, *args, env=TERMINAL)
    svg, page = tmp_path / "out.svg", tmp_path / "out.html"
    result = run(runner, command, *args, "--export-svg", str(svg), "--export-html", str(page))
    plain = drawn
    assert result.exit_code == 0, result.stderr
    assert result.stdout == plain.stdout
    assert result.stderr == plain.stderr
    shown = [line.rstrip() for line in result.stdout.splitlines()]
    assert [line.rstrip() for line in svg_lines(svg)] == shown
    text, _tags = html_text(page)
    assert [line.rstrip() for line in text.strip("\n").splitlines()] == shown


def test_svg_holds_a_fact_text_and_html_holds_it_escaped(runner: CliRunner, tmp_path: Path) -> None:
    """A fact's title is in the SVG's text and, HTML-escaped, in the page's source."""
    event = min((e for e in RAW["events"] if e.get("date")), key=lambda e: len(e["title"]))
    svg, page = tmp_path / "t.svg", tmp_path / "t.html"
    args = ("timeline", "--long", "--export-svg", str(svg), "--export-html", str(page))
    assert run(runner, *args).exit_code == 0
    assert any(event["title"] in line for line in svg_lines(svg))
    assert html.escape(event["title"]) in page.read_text(encoding="utf-8")
    assert event["title"] in html_text(page)[0]


def test_an_existing_export_file_is_replaced(runner: CliRunner, tmp_path: Path) -> None:
    """The path is one the user named for this output, so an old file there is replaced."""
    svg = tmp_path / "old.svg"
    svg.write_text("old", encoding="utf-8")
    assert run(runner, "sources", "--export-svg", str(svg)).exit_code == 0
    assert svg.read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize("command", [["timeline", "--long"], ["tariffs", "--chain"]])
def test_hostile_text_is_literal_in_views_and_exports(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    """Markup shows as written and control characters as escapes: terminal, SVG and HTML."""
    path, titles = hostile_copy(tmp_path)
    svg, page = tmp_path / "h.svg", tmp_path / "h.html"
    args = [*command, "--export-svg", str(svg), "--export-html", str(page)]
    result = run(runner, *args, data=path, env=WIDE)
    assert result.exit_code == 0, result.stderr
    shown = visible(HOSTILE)
    assert shown in result.stdout
    assert RAW_CONTROL.search(result.stdout + result.stderr) is None
    assert any(shown in line for line in svg_lines(svg))
    raw_svg = svg.read_text(encoding="utf-8")
    assert RAW_CONTROL.search(raw_svg.replace("\n", "")) is None
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in raw_svg
    source = page.read_text(encoding="utf-8")
    assert html.escape(shown) in source
    text, tags = html_text(page)
    assert shown in text
    assert "b" not in tags
    assert "a" not in tags
    if command == ["timeline", "--long"]:
        assert all(visible(title) in flattened(result.stdout) for title in titles.values())


# --- Errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--export-svg", "--export-html"])
@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_exporting_another_format_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, option: str, fmt: str
) -> None:
    """Only the table can be exported: exit 2, a message naming both options, no file."""
    target = tmp_path / "out"
    result = run(runner, "meetings", "--format", fmt, option, str(target))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert option in result.stderr
    assert f"--format {fmt}" in result.stderr
    assert not target.exists()


def test_a_missing_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    """A path in a folder that does not exist: exit 2, naming the path, nothing written."""
    target = tmp_path / "no-such-folder" / "out.svg"
    result = run(runner, "timeline", "--export-svg", str(target))
    assert result.exit_code == 2
    assert str(target) in result.stderr
    assert result.stdout == ""
    assert not target.parent.exists()


def test_a_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    """A folder is not a file to write: exit 2."""
    result = run(runner, "timeline", "--export-html", str(tmp_path))
    assert result.exit_code == 2
    assert str(tmp_path) in result.stderr


@pytest.mark.parametrize("how", ["same path", "another spelling", "symbolic link"])
def test_the_fact_file_itself_is_refused(runner: CliRunner, tmp_path: Path, how: str) -> None:
    """Exporting over the fact file being read is refused with exit 2; the file is unchanged."""
    facts = tmp_path / "facts.json"
    facts.write_bytes(BUNDLED.read_bytes())
    if how == "same path":
        target = facts
    elif how == "another spelling":
        (tmp_path / "sub").mkdir()
        target = tmp_path / "sub" / ".." / "facts.json"
    else:
        target = tmp_path / "link.svg"
        target.symlink_to(facts)
    result = run(runner, "tariffs", "--export-svg", str(target), data=facts)
    assert result.exit_code == 2
    assert "fact file" in result.stderr
    assert facts.read_bytes() == BUNDLED.read_bytes()


def test_one_path_for_both_exports_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """SVG and HTML cannot share a file: exit 2."""
    target = str(tmp_path / "both")
    result = run(runner, "summary", "--export-svg", target, "--export-html", target)
    assert result.exit_code == 2
    assert not Path(target).exists()


def test_a_file_that_cannot_be_written_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails (permission, full disk) ends in exit 2 naming the path, no traceback."""

    def refuse(self: Path, *args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    target = tmp_path / "out.html"
    result = run(runner, "sources", "--export-html", str(target))
    assert result.exit_code == 2
    assert f"cannot write {target}: Permission denied" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_failed_invocation_leaves_no_export_behind(runner: CliRunner, tmp_path: Path) -> None:
    """An export option given to a command that then fails to parse does not reach the next run."""
    target = tmp_path / "late.svg"
    failed = run(runner, "tariffs", "--export-svg", str(target), "--min-rate", "-5")
    assert failed.exit_code == 2
    assert run(runner, "tariffs").exit_code == 0
    assert not target.exists()


def test_export_options_are_documented(runner: CliRunner) -> None:
    """--help of each table command names both export options."""
    for command in {command for command, _args in TABLE_CASES}:
        result = runner.invoke(app, [command, "--help"], env=WIDE)
        assert "--export-svg" in result.stdout
        assert "--export-html" in result.stdout


@pytest.mark.parametrize("width", [8, 20, 41, 80])
def test_a_marked_entry_wraps_under_its_text(width: int) -> None:
    """A timeline entry's lines wrap under its text, never under its mark, and no character
    of the text is lost."""
    import io

    from rich.console import Console

    from tradecli.present.views import DAY_MARK, marked

    text = "2017-12-03 to 2017-12-07 (5 days)  Justin Trudeau's trip to China, held " * 2
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(marked(DAY_MARK, Text(text)))
    drawn = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert drawn[0].startswith(DAY_MARK + " ")
    assert all(line.startswith("  ") for line in drawn[1:])
    assert "".join(line[2:].strip() for line in drawn).replace(" ", "") == text.replace(" ", "")
