"""The ``tradecli export`` commands: write every fact to a SQLite database or to CSV files.

The commands only parse arguments and report; tradecli.export does the work. The store comes from
the global ``--data`` option, like every other command.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tradecli.cli.context import report, settings
from tradecli.errors import UsageError

EXPORT_EXIT_CODES = (
    "Exit codes: 0 written; 2 an output file exists (pass --force) or cannot be written; "
    "3 a fact file that cannot be read or is invalid; 4 internal error; 130 interrupted."
)

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Overwrite output files that exist. Without it, an existing file is left untouched.",
    ),
]

export_app = typer.Typer(
    help=(
        "Export every fact, with its evidence, to a SQLite database or to CSV files, for "
        "datasette, sqlite-utils, a spreadsheet or your own SQL.\n\n"
        "Examples:\n\n"
        "  tradecli export sqlite facts.db\n\n"
        "  tradecli --data my-facts.json export csv facts-csv/"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


class Reader(StrEnum):
    """Who opens the CSV files of ``export csv``."""

    DATA = "data"
    SPREADSHEET = "spreadsheet"


def _report_counts(target: Path, counts: dict[str, int]) -> None:
    rows = ", ".join(f"{count} {table}" for table, count in counts.items())
    report(f"wrote {target}: {rows}")


@export_app.command("sqlite", epilog=EXPORT_EXIT_CODES)
def sqlite_command(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH",
            help="The database file to write, e.g. facts.db.",
            show_default=False,
        ),
    ],
    force: ForceOption = False,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            metavar="FILE",
            help=(
                "Also write datasette's metadata of the database to FILE (JSON): title, "
                "licence, the date the sources end, and a description of every table and "
                "column. Open both with: datasette PATH -m FILE."
            ),
            show_default=False,
        ),
    ] = None,
    licence: Annotated[
        str | None,
        typer.Option(
            "--licence",
            metavar="TEXT",
            help=(
                "The licence of the data, for the metadata, e.g. CC-BY-4.0. Without it the "
                "metadata says none is stated. Needs --metadata."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write every fact to a SQLite database, with foreign keys and full-text search.

    One table per kind of fact (sources, people, organisations, places, events, tariffs, quotes,
    statements, conflicts), link tables such as evidence and event_participants, and a search
    index <table>_fts that datasette and sqlite-utils use. Dates keep their precision in a
    <field>_precision column; <field>_earliest and <field>_latest give the first and last days
    each can mean, to sort and filter on. The view fact_sources lists every fact's sources,
    those of a measure's lifecycle steps too; every foreign key has an index; export_info
    records the tradecli version, the fact file's SHA-256, the newest source and the time.
    The file appears only when it is complete.

    Examples:

      tradecli export sqlite facts.db

      tradecli export sqlite facts.db --metadata metadata.json

      datasette facts.db -m metadata.json

      sqlite-utils search facts.db tariffs canola
    """
    from tradecli.export import write_sqlite

    if licence is not None and metadata is None:
        raise UsageError("--licence goes in the metadata", hint="give --metadata FILE as well")
    counts = write_sqlite(
        settings(ctx).store(), path, force=force, metadata=metadata, licence=licence
    )
    _report_counts(path, counts)
    if metadata is not None:
        report(f"wrote {metadata}: datasette {path} -m {metadata}")


@export_app.command("csv", epilog=EXPORT_EXIT_CODES)
def csv_command(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="The directory to write <table>.csv files into; created if missing.",
            show_default=False,
        ),
    ],
    force: ForceOption = False,
    reader: Annotated[
        Reader,
        typer.Option(
            "--for",
            help=(
                "Who opens the files. data: every text exactly as written, for pandas, csvkit "
                "and your own code. spreadsheet: a UTF-8 byte order mark, by which Excel and "
                "LibreOffice know the encoding, and a ' before any text a spreadsheet would "
                "run as a formula (=, +, -, @, tab, carriage return) or that starts with '."
            ),
        ),
    ] = Reader.DATA,
) -> None:
    """Write one CSV file per table, with the same rows and columns as the SQLite export.

    Each file is UTF-8 with a header row; an empty cell is NULL, lists are JSON arrays, and
    link tables (evidence, event_participants, ...) join to the others by id. Text is written
    exactly as the facts hold it, for data tools; --for spreadsheet makes the files safe and
    legible in Excel and LibreOffice. No file is written unless all of them can be; without
    --force, an existing file stops the export.

    Examples:

      tradecli export csv facts-csv/

      tradecli export csv facts-sheets/ --for spreadsheet
    """
    from tradecli.export import write_csv

    spreadsheet = reader is Reader.SPREADSHEET
    counts = write_csv(settings(ctx).store(), directory, force=force, spreadsheet=spreadsheet)
    _report_counts(directory, counts)
