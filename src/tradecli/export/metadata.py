"""The metadata datasette shows beside an export: ``datasette facts.db -m metadata.json``.

Datasette reads metadata from a file, not from the database: a title and description on its
index page, a source in every page's footer, a description of each table and of each of its
columns, and the column that labels a row where a foreign key links to it (``label_column``).
Everything is derived from the declarations and the tables' own comments, as the SQL comments
are; the description says what the export is and the date the sources end. Datasette escapes
every text it shows (``description``, never ``description_html``), so nothing from the fact
file is read as HTML. A fact file states no licence, so the metadata's ``license`` is the one
given with ``--licence``, or else says that none is stated and that excerpts are their
publishers' (datasette shows it in every page's footer): never one guessed.

The same file serves Datasette 0.x (``--metadata``) and 1.0, which still reads a table's
``label_column`` from metadata as well as from ``datasette.yaml``.
"""

from __future__ import annotations

from typing import Any

from tradecli.export import fact_sources
from tradecli.export.info import ExportInfo
from tradecli.export.tables import DERIVED, TABLES, Column, Table
from tradecli.facts.fields import Shape


def label_column(table: Table) -> str | None:
    """The column that names a row, for links to it: the text that names the fact (a title, a
    name, a topic), else its first required text (a quote's words); None where none does."""
    texts = [
        field
        for field, _fill in table.cells
        if field.shape is Shape.TEXT and not field.many and table.field is None
    ]
    naming = [field for field in texts if field.names]
    required = [field for field in texts if not field.nullable]
    found = naming or required
    return found[0].name if found else None


def _columns(columns: tuple[Column, ...]) -> dict[str, str]:
    return {column.name: column.doc for column in columns}


def description(info: ExportInfo) -> str:
    """What the export is, the date its sources end, and where to start."""
    newest = info.newest_source
    if info.sources_end is None or newest is None:
        ends = "No source is dated, so when the sources end is unknown."
    else:
        outlet = newest.outlet or newest.carried_by
        by = f"{outlet}, " if outlet else ""
        ends = (
            f"The sources end on {info.sources_end} ({by}“{newest.title}”): the facts know "
            "nothing that came after."
        )
    return (
        f"Every fact of {info.fact_file} with the sources it cites, exported by tradecli "
        f"{info.tradecli_version} on {info.exported_at}. {ends} Dates are as the sources give "
        "them; sort and filter on each date's _earliest and _latest days. fact_sources lists "
        "every fact's sources, those of a measure's lifecycle steps too; export_info records "
        "this export."
    )


NO_LICENCE = (
    "None stated by the fact file; excerpts are quoted from their publishers, who hold the "
    "rights to them"
)
"""The ``license`` when none is given: what is known, and no more."""


def datasette_metadata(
    info: ExportInfo, *, database: str, licence: str | None = None
) -> dict[str, Any]:
    """The metadata of an export opened in datasette as ``database`` (the file's stem), under
    ``licence`` if one is given."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {"description": table.doc, "columns": _columns(table.columns)}
        label = label_column(table)
        if label is not None:
            entry["label_column"] = label
        tables[table.name] = entry
    for derived in DERIVED:
        tables[derived.name] = {"description": derived.doc, "columns": _columns(derived.columns)}
    tables[fact_sources.FACT_SOURCES] = {
        "description": fact_sources.DOC,
        "columns": _columns(fact_sources.COLUMNS),
    }
    about = description(info)
    return {
        "title": f"tradecli: {info.fact_file}",
        "description": about,
        "license": licence or NO_LICENCE,
        "source": "The documents in the sources table, which every fact cites",
        "databases": {database: {"description": about, "tables": tables}},
    }
