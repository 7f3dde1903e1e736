"""The console every drawing for people goes through, and drawings saved as SVG and HTML.

Every string reaches Rich as plain text (no markup, emoji codes or highlighting), colour only
on a terminal without NO_COLOR, and a width of at least MIN_WIDTH. On a terminal whose encoding
is not UTF-8, text is prepared for it before it is measured: our own marks become ASCII (``→``
``->``, ``…`` ``...``) and any other character the encoding cannot write becomes a visible
``\\uXXXX`` escape, so columns line up and nothing turns into a question mark.

Whether a drawing is for people follows Rich's ``is_terminal``: stdout is a terminal, or
``TTY_COMPATIBLE=1`` (or ``FORCE_COLOR``) says to draw as if it were; ``TTY_COMPATIBLE=0``
gives plain lines on a terminal too.
"""

from __future__ import annotations

import codecs
import contextlib
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tradecli.errors import UsageError
from tradecli.files import staged
from tradecli.textsafe import link_target as link_target  # browse.view reads it here
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from rich.console import RenderableType

MIN_WIDTH = 40

# Marks of our own that have a plain ASCII spelling, for terminals that cannot write them.
_ASCII = str.maketrans(
    {
        "\u2192": "->",  # rightwards arrow
        "\u2190": "<-",  # leftwards arrow
        "\u2026": "...",  # ellipsis
        "\u2014": "--",  # em dash
        "\u2013": "-",  # en dash
        "\u201c": '"',  # curly double quotes
        "\u201d": '"',
        "\u2018": "'",  # curly single quotes
        "\u2019": "'",
        "\u00b7": "-",  # middle dot
        "\u25cf": "*",  # the timeline's day mark
        "\u25ac": "=",  # the timeline's span mark
        "\u00a0": " ",  # no-break space
    }
)


def make_console(stream: TextIO, *, record: bool = False, width: int | None = None) -> Console:
    """A console that treats every string as plain text and styles nothing off a terminal.

    A width under MIN_WIDTH (``COLUMNS=0``, ``COLUMNS=5``) is taken as that minimum: the answer's
    lines wrap on such a terminal, where narrower columns would hold nothing at all. With
    ``record``, it also keeps what it draws, for ``save_recording``.
    """
    console = Console(
        file=stream,
        highlight=False,
        markup=False,
        emoji=False,
        color_system=None if os.environ.get("NO_COLOR") else "auto",
        record=record,
        width=width,
    )
    if console.width < MIN_WIDTH:
        console.width = MIN_WIDTH
    return console


def utf8(console: Console) -> bool:
    """Whether the console's stream writes UTF-8 (a recording, an SVG, always does)."""
    try:
        return codecs.lookup(console.encoding).name == "utf-8"
    except LookupError:
        return False


def prepare(text: str, *, ascii_only: bool) -> str:
    """Fact text made visible, and written so the console's encoding can show it whole."""
    shown = visible(text)
    if not ascii_only or shown.isascii():
        return shown
    return in_ascii(shown)


def in_ascii(text: str) -> str:
    """Text in ASCII: our marks spelt in ASCII, any other character as a ``\\uXXXX`` escape."""
    return text.translate(_ASCII).encode("ascii", "backslashreplace").decode("ascii")


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Recording:
    """Files to save a drawing in, besides the terminal: an SVG image, an HTML page, or both."""

    svg: Path | None = None
    html: Path | None = None
    title: str = "tradecli"


# What XML 1.0 (so an SVG) may not hold, whatever reached the drawing: C0 controls but tab,
# newline and carriage return, lone surrogates (which UTF-8 cannot write either), U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# Rich writes a link's address into its href as it is. Every link is a link_target, which holds no
# '"', so each href ends at the next quote; here it is escaped as an attribute's value must be
# (an '&' as '&amp;', so that '&lt;' in an address stays those four characters).
_HREF = re.compile(r'(<a (?:class="r\d+" )?href=")([^"]*)(")')


def _escape_links(page: str) -> str:
    """An HTML page of Rich's with the address of each of its links escaped."""
    return _HREF.sub(lambda match: match[1] + html.escape(match[2]) + match[3], page)


def save_recording(console: Console, recording: Recording) -> None:
    """Write what a recording console drew as SVG and HTML; text is escaped, never interpreted.

    Each file is staged beside its path and renamed onto it when complete (``files.staged``), so
    an existing file is replaced whole (the path is one the user named for this output) and a
    failure leaves none. Text is made visible before it is drawn; a character that XML may not
    hold and that reached the drawing all the same becomes U+FFFD, so the SVG is well-formed.
    An address drawn as a link (``link_target``: http and https only) is a link in the HTML page
    too, its href escaped.
    """
    outputs: list[tuple[Path, str]] = []
    # An address stands whole on its line even where it is wider than the terminal; the image
    # is made as wide as the longest line, so it holds the address whole too.
    drawn = console.export_text(clear=False)
    console.width = max([console.width, *(cell_len(line) for line in drawn.splitlines())])
    if recording.svg is not None:
        svg = console.export_svg(title=visible(recording.title), clear=False)
        outputs.append((recording.svg, svg))
    if recording.html is not None:
        outputs.append((recording.html, _escape_links(console.export_html(clear=False))))
    with contextlib.ExitStack() as stack:
        # Both files are complete before the first one is moved into place.
        for path, document in outputs:
            temporary = stack.enter_context(staged(path, force=True))
            try:
                temporary.write_text(_NOT_XML.sub("\ufffd", document), encoding="utf-8")
            except OSError as error:
                raise UsageError(
                    f"cannot write {path}: {error.strerror or error}",
                    hint="choose a path in a folder you can write to",
                ) from None


def say(console: Console, text: Text, *, indent: int = 0, first: Text | None = None) -> None:
    """Print text wrapped at the console's width, at words, with no line ending in a space.

    ``first`` goes before the first line; later lines are indented by ``indent`` cells.
    """
    lead = first if first is not None else Text(" " * indent)
    for number, line in enumerate(text.wrap(console, max(console.width - indent, 1))):
        shown = lead.copy() if number == 0 else Text(" " * indent)
        shown.append_text(line)
        shown.rstrip()
        console.print(shown, soft_wrap=True)


def print_view(view: RenderableType, console: Console) -> None:
    """Draw a Rich view (a tree of a timeline or of chains) on the console.

    No line ends in spaces. A terminal that cannot write UTF-8 gets the drawing in ASCII (Rich
    draws its trees with ASCII guides there already).
    """
    with console.capture() as captured:
        console.print(view)
    drawn = _TRAILING.sub(r"\1", captured.get())  # Rich pads a tree's lines to its width
    if not utf8(console):
        drawn = in_ascii(drawn)
    # Printed again, from the styles Rich wrote, so a recording holds it too.
    console.print(Text.from_ansi(drawn.removesuffix("\n")), soft_wrap=True)
