"""Writing a command's answer: notes on stderr, the listing on stdout, and table images saved."""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING

from tradecli.cli.context import Settings, report, settings
from tradecli.errors import UsageError
from tradecli.files import not_regular, same_file
from tradecli.render import Format

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import RenderableType
    from typer import Context

    from tradecli.present.listing import Listing
    from tradecli.render.console import Recording


def _recording(found: Settings) -> Recording | None:
    """The files --export-svg and --export-html name, checked; None when neither is given."""
    given = [
        (option, path)
        for option, path in (
            ("--export-svg", found.export_svg),
            ("--export-html", found.export_html),
        )
        if path is not None
    ]
    if not given:
        return None
    fmt = found.fmt
    if fmt is not Format.TABLE:
        raise UsageError(
            f"{given[0][0]} saves what the table shows; it cannot be used with "
            f"--format {fmt.value}",
            hint=f"leave out --format, or save the {fmt.value} output with '> FILE'",
        )
    from tradecli.store import resolve_path

    fact_file = resolve_path(found.data)
    for option, path in given:
        _check_image_path(option, path)
        if same_file(path, fact_file):
            raise UsageError(
                f"{option} {path} is the fact file being read; choose another path to write"
            )
    if len(given) == 2 and same_file(given[0][1], given[1][1]):
        raise UsageError(f"--export-svg and --export-html both name {given[0][1]}; give two paths")
    from tradecli.render.console import Recording

    return Recording(svg=found.export_svg, html=found.export_html, title=found.export_title)


def _check_image_path(option: str, path: Path) -> None:
    """Refuse a path that an image could not be written to, before anything is drawn.

    Only a regular file is replaced (staged beside it, then renamed): never a folder, a named
    pipe or a device such as /dev/null, which a rename would replace.
    """
    kind = not_regular(path)  # a path that cannot be looked at is a UsageError already
    try:
        folder_is_there = kind is not None or path.parent.is_dir()
        folder_is_a_file = not folder_is_there and path.parent.exists()
    except OSError as error:  # a folder on the way that cannot be entered
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    if kind == "a directory":
        raise UsageError(f"{option} {path} is a folder; give the path of a file to write")
    if kind is not None:
        raise UsageError(
            f"{option} {path} is {kind}, not a regular file; it is never written to",
            hint="give the path of a regular file, or of one that does not exist yet",
        )
    if folder_is_a_file:
        raise UsageError(
            f"{option} {path}: {path.parent} is a file, not a folder",
            hint="choose a path in a folder",
        )
    if not folder_is_there:
        raise UsageError(
            f"{option} {path}: the folder {path.parent} does not exist",
            hint="create the folder first, or choose a path in a folder that exists",
        )


def emit(
    ctx: Context,
    listing: Listing,
    *,
    empty: str,
    notes: list[str] | None = None,
    view: RenderableType | None = None,
) -> None:
    """Report notes, write the listing to stdout in --format, and say on stderr if it is empty.

    With --long, every item is written in full (its details), where the listing has them. In
    table format a ``view``, when given, is drawn instead of the listing's lines; with
    --export-svg or --export-html the drawing is also saved to those files, as a terminal
    shows it, even when stdout is not one.
    """
    from tradecli.render import renderer

    found = settings(ctx)
    fmt = found.fmt
    recording = _recording(found)
    if found.long and listing.details is not None and view is None:
        listing = dataclasses.replace(listing, whole=True)
    notes = notes if notes is not None else []
    known = len(notes)
    for note in notes[:known]:
        report(note)
    if fmt is Format.TABLE and (view is not None or recording is not None):
        from tradecli.render import table

        drawing = view if view is not None and next(iter(listing.rows), None) else listing
        count = table.show(drawing, sys.stdout, recording=recording)
    else:
        count = renderer(fmt)(listing, sys.stdout)
    for note in notes[known:]:  # what a streamed answer learned as it was written
        report(note)
    if not count:
        report(empty)


def echo(text: str) -> None:
    """Write a line of text that is already safe to show (``visible``) to stdout."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def on_terminal() -> bool:
    """Whether stdout is drawn for people (a terminal, or TTY_COMPATIBLE=1), not piped."""
    from tradecli.render.console import make_console

    return make_console(sys.stdout).is_terminal
