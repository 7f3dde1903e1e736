"""The export's rows: every fact flattened into the tables of ``export.tables``, in file order.

The rows come from each fact's JSON (``Store.all_fact_json``), which holds words and dates as the
export writes them: no records are made.

A fact's row comes first, then, field by field in the table's order, the rows of its lists: the
link rows of a list of references, and each part's row followed by its own parts' rows (a
lifecycle step, then its evidence).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tradecli.export.tables import (
    TABLES,
    TABLES_BY_NAME,
    Cell,
    Table,
    field_order,
    in_own_table,
    plain,
)
from tradecli.facts.fields import Record, Shape
from tradecli.facts.kinds import KINDS

if TYPE_CHECKING:
    from tradecli.store import Store

_TABLE_OF: dict[type[Record], Table] = {
    table.kind: table for table in TABLES if table.field is None
}
_LINK_TABLE_OF = {(table.kind, table.field.name): table for table in TABLES if table.field}

# Adds the rows of a fact's or a part's JSON: (JSON, the kind that owns it, the owner's key, its
# place in the list). A kind's facts are added with no owner (None, None, 0).
_Add = Callable[[Any, "type[Record] | None", Cell, int], None]


def _row_source(table: Table, scope: dict[str, Any]) -> list[str]:
    """The lines that append one fact's or part's row to its table: every cell, in column order."""
    cells = []
    if table.numbered:
        cells.append("key")
        for number, holder in enumerate(table.owners):
            scope[f"_owner{number}"] = holder
            cells.append(f"(owner_key if owner is _owner{number} else None)")
        cells.append("list_index")
    for number, (field, fill) in enumerate(table.cells):
        if fill is plain:  # a value that is its own cell: no call
            cells.append(f"values[{field.name!r}]")
        else:
            scope[f"_cells{number}"] = fill
            cells.append(f"*_cells{number}(values[{field.name!r}], kinds)")
    return [f"    rows.append(({', '.join(cells)},))"]


def _lists_source(kind: type[Record], scope: dict[str, Any]) -> list[str]:
    """The lines that add the rows of a fact's or part's lists, field by field: parts and links."""
    lines = []
    for field in field_order(kind):
        if in_own_table(field):
            continue
        name = field.name
        if field.shape is Shape.PART:
            assert field.part is not None
            add = f"_add_{_TABLE_OF[field.part].name}"
            if field.many:
                lines.append(f"    for index, part in enumerate(values[{name!r}]):")
                lines.append(f"        {add}(part, _kind, key, index)")
            else:
                lines.append(f"    if values[{name!r}] is not None:")
                lines.append(f"        {add}(values[{name!r}], _kind, key, 0)")
        else:
            link = _LINK_TABLE_OF[kind, name]
            ((_field, fill),) = link.cells
            scope[f"_link_{name}"] = fill
            lines.append(f"    links = _rows_{link.name}")
            lines.append(f"    for index, target in enumerate(values[{name!r}]):")
            lines.append(
                f"        links.append((len(links) + 1, key, index, *_link_{name}(target, kinds)))"
            )
    return lines


def _adders(tables: dict[str, list[tuple[Cell, ...]]], kinds: dict[str, str]) -> dict[Any, _Add]:
    """For each kind and part, a function that adds the rows of one's JSON to ``tables``.

    Each is compiled from its table's declaration, with the cells of a row written out and one
    loop per list: a loop over the fields for every row was most of the time of an export of
    100,000 facts.
    """
    shared: dict[str, Any] = {"kinds": kinds}
    shared.update({f"_rows_{name}": rows for name, rows in tables.items()})
    scopes = []
    for kind, table in _TABLE_OF.items():
        scope = {**shared, "_kind": kind}
        key = "len(rows) + 1" if table.numbered else "values['id']"
        lines = [
            f"def _add_{table.name}(values, owner, owner_key, list_index):",
            f"    rows = _rows_{table.name}",
            f"    key = {key}",
            *_row_source(table, scope),
            *_lists_source(kind, scope),
        ]
        exec("\n".join(lines), scope)
        scopes.append(scope)
    adders = {
        f"_add_{table.name}": scope[f"_add_{table.name}"]
        for scope, table in zip(scopes, _TABLE_OF.values(), strict=True)
    }
    for scope in scopes:  # each adds its parts' rows with theirs
        scope.update(adders)
    return {kind: adders[f"_add_{table.name}"] for kind, table in _TABLE_OF.items()}


def table_rows(store: Store) -> dict[str, list[tuple[Cell, ...]]]:
    """Every table's rows, in file order, as tuples in the table's column order."""
    facts = list(store.all_fact_json())  # each fact read once, for its kind and then its rows
    kinds = {data["id"]: collection for collection, data in facts}
    tables: dict[str, list[tuple[Cell, ...]]] = {name: [] for name in TABLES_BY_NAME}
    adders = _adders(tables, kinds)
    by_collection = {kind.COLLECTION: adders[kind] for kind in KINDS}
    for collection, data in facts:
        by_collection[collection](data, None, None, 0)
    return tables
