"""Addresses are links in Markdown and HTML output: http and https only, escaped, never injected.

A source's address is the one link either format makes. The Markdown is read by a CommonMark
parser (markdown-it-py, which Rich brings) told to accept every link, so that a ``javascript:``
link we wrote would show here rather than be dropped by the parser's own guard; the HTML page of
``--export-html`` is read by ``html.parser``.
"""

from __future__ import annotations

import html.parser
import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from tradecli.cli import app
from tradecli.textsafe import link_target, visible

# Addresses a fact file may hold, each with the link target it gives (None: no link).
ADDRESSES: list[tuple[str, str | None]] = [
    ("https://plain.example/a/b?c=1&d=2#e", "https://plain.example/a/b?c=1&d=2#e"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(document.cookie)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("ftp://files.example/x", None),
    (
        'https://evil.example/"onmouseover="alert(1)',
        "https://evil.example/%22onmouseover=%22alert(1)",
    ),
    (
        "https://evil.example/<script>alert(1)</script>",
        "https://evil.example/%3Cscript%3Ealert(1)%3C/script%3E",
    ),
    (
        "https://evil.example/a)](javascript:alert(1))",
        "https://evil.example/a)](javascript:alert(1))",
    ),
    ("https://evil.example/x'y`z", "https://evil.example/x'y%60z"),
    ("https://evil.example/?a=&lt;b&amp;c&copy;d", "https://evil.example/?a=&lt;b&amp;c&copy;d"),
    ("http://plain.example/path_(with)_*stars*", "http://plain.example/path_(with)_*stars*"),
    ("https://evil.example/back\\slash", "https://evil.example/back\\slash"),
    (" https://evil.example/leading-space", None),
    ("https://evil.example/a space", None),
    ("https://evil.example/\u202eevil", None),
    ("https://evil.example/line\nbreak", None),
]

TITLES = [
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "quote \" and ' and ]) and )",
    "![img](https://tracker.example/p.png)",
]


@pytest.mark.parametrize(("url", "target"), ADDRESSES)
def test_link_target(url: str, target: str | None) -> None:
    """Only http(s) addresses of printable ASCII link; quotes and angle brackets are encoded."""
    assert link_target(url) == target


def hostile_file(path: Path) -> Path:
    """A fact file with a source per address, hostile titles, and one person citing them all."""
    sources = [
        {
            "id": f"s{number}",
            "title": f"{TITLES[number % len(TITLES)]} {number}",
            "outlet": "Outlet ](javascript:alert(1))",
            "publisher": "news",
            "kind": "news_report",
            "url": url,
        }
        for number, (url, _target) in enumerate(ADDRESSES)
    ]
    person = {
        "id": "p1",
        "name": "Someone",
        "evidence": [{"source": s["id"], "paraphrase": "As it says."} for s in sources],
    }
    data = {"format_version": 1, "sources": sources, "people": [person]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


class Anchors(html.parser.HTMLParser):
    """Each ``<a>``'s attributes and text, and every tag's name."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[dict[str, str | None], str]] = []
        self.tags: set[str] = set()
        self._open: dict[str, str | None] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "a":
            self._open, self._text = dict(attrs), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._open, self._text))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text += data


def anchors(page: str) -> Anchors:
    parser = Anchors()
    parser.feed(page)
    parser.close()
    return parser


def linked() -> list[tuple[str, str]]:
    """The addresses that are links, each with its target."""
    return [(url, target) for url, target in ADDRESSES if target is not None]


def test_markdown_links_every_web_address_and_nothing_else(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Rendered with every link allowed: one <a> per http(s) address, its text the address."""
    markdown_it = pytest.importorskip("markdown_it")
    path = hostile_file(tmp_path / "facts.json")
    result = runner.invoke(app, ["--data", str(path), "show", "p1", "-f", "markdown"])
    assert result.exit_code == 0, result.stderr
    parser = markdown_it.MarkdownIt("commonmark")
    parser.validateLink = lambda _url: True  # our output, not the parser, must keep links safe
    page = anchors(parser.render(result.stdout))
    assert page.tags <= {"h2", "h3", "p", "ul", "li", "strong", "a"}, page.tags
    assert [set(attrs) for attrs, _text in page.links] == [{"href"}] * len(linked())
    # markdown-it percent-encodes what a URL may not hold (a backslash); the address is the same.
    hrefs = [unquote(attrs["href"] or "") for attrs, _text in page.links]
    assert hrefs == [unquote(target) for _url, target in linked()]
    assert [text for _attrs, text in page.links] == [url for url, _target in linked()]
    items = [item.strip() for item in _text_of(parser.render(result.stdout)).split("\n- ")]
    for url, target in ADDRESSES:
        if target is None:  # the address as text, in an item of its own
            assert visible(url).strip() in items, url


def _text_of(rendered: str) -> str:
    """The rendered HTML's text, each list item beginning a line with "- "."""

    class Text(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.text = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "li":
                self.text += "\n- "

        def handle_data(self, data: str) -> None:
            self.text += data.replace("\n", "")

    parser = Text()
    parser.feed(rendered)
    return parser.text


def test_html_page_links_every_web_address_and_nothing_else(
    runner: CliRunner, tmp_path: Path
) -> None:
    """--export-html: one <a href> per http(s) address, escaped so it is the target exactly."""
    path = hostile_file(tmp_path / "facts.json")
    page_path = tmp_path / "page.html"
    args = ["--data", str(path), "show", "p1", "--export-html", str(page_path)]
    result = runner.invoke(app, args, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    page = anchors(page_path.read_text(encoding="utf-8"))
    assert "script" not in page.tags
    assert [set(attrs) - {"class"} for attrs, _text in page.links] == [{"href"}] * len(linked())
    assert [attrs["href"] for attrs, _text in page.links] == [t for _url, t in linked()]
    assert [text for _attrs, text in page.links] == [url for url, _target in linked()]
