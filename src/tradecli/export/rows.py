"""The export's rows: the SQL that fills the tables of ``export.tables`` from every fact's JSON.

SQLite reads each fact's JSON (the table ``tables.FACTS``, from ``Store.connect_with_json``) and
writes the rows itself: no Python object is made for a row, and the JSON is parsed by SQLite's
own parser. The rows are in file order, collection by collection as ``COLLECTIONS``
lists them:

- a kind's table has a row per fact;
- a part's table (a role, a lifecycle step, a piece of evidence) has a row per part, numbered in
  the order a reader of the file meets them: fact by fact, within a fact field by field in the
  table's order, and each part before the parts it holds;
- a link table has a row per reference in a list, numbered the same way.

A part's rows are first gathered in a temporary table, ``_rows_<table>``, with a key that sorts
them in that order (the fact's place, then the field and list index of each step down), so that
the parts they hold can name their row number.
"""

from __future__ import annotations

from typing import NamedTuple

from tradecli.export.tables import (
    FACTS,
    TABLES,
    Column,
    Table,
    Value,
    field_order,
    literal,
    names_several,
    quote,
)
from tradecli.facts.fields import Record, Shape
from tradecli.facts.kinds import COLLECTIONS, PARTS

# A row's sort key, as text that sorts as its parts do: the fact's collection and rowid, then for
# each step down into its parts the field's place and the list index.
_FACT_KEY = "printf('%03d%012d', {collection}, {rowid})"
_STEP_KEY = "printf('%03d%09d', {field}, {index})"

_TABLE_OF: dict[type[Record], Table] = {
    table.kind: table for table in TABLES if table.field is None
}


def _path(name: str) -> str:
    return literal(f"$.{name}")


def _cells(table: Table, document: str, *, exact: bool, atom: str | None = None) -> tuple[str, str]:
    """The SQL of a row's cells from the JSON of its fact or part (or its one reference, the
    ``atom``), in column order, and the joins they need: the kind of each fact a reference
    that may name several kinds names, looked up once for all of its columns."""
    cells: list[str] = []
    joins: list[str] = []
    for number, (field, fill) in enumerate(table.cells):
        value = Value(document, _path(field.name), atom, exact=exact)
        if names_several(field):
            alias = f"k{number}"
            joins.append(f" LEFT JOIN {FACTS} AS {alias} ON {alias}.id = {value.scalar}")
            value = value._replace(kind=f"{alias}.collection")
        cells += fill(value)
    return ", ".join(cells), "".join(joins)


def _fact_key(kind: type[Record], alias: str) -> str:
    return _FACT_KEY.format(collection=COLLECTIONS.index(kind.COLLECTION), rowid=f"{alias}.rowid")


def _rows_of(table: Table) -> str:
    """The temporary table of a part's rows, in file order: sort key, row number, owners, list
    index, JSON. One SELECT per field that holds the part."""
    selects = []
    for number, owner in enumerate(table.owners):
        for place, field in enumerate(field_order(owner)):
            if field.shape is not Shape.PART or field.part is not table.kind:
                continue
            path = _path(field.name)
            if owner in PARTS:
                holder, key, where = f"temp.{_rows_name(_TABLE_OF[owner])}", "o.sort", []
            else:
                holder = FACTS
                key, where = _fact_key(owner, "o"), [f"o.collection = {literal(owner.COLLECTION)}"]
            if field.many:
                items = Value("o.json", path).items
                source, index, json = f"{holder} AS o, {items} AS e", "e.key", "e.value"
            else:
                source, index, json = f"{holder} AS o", "0", f"json_extract(o.json, {path})"
                where.append(f"json_type(o.json, {path}) = 'object'")
            owners = ", ".join(
                f"{'o.id' if other == number else 'NULL'} AS {quote(column.name)}"
                for other, column in enumerate(_owner_columns(table))
            )
            step = _STEP_KEY.format(field=place, index=index)
            selects.append(
                f"SELECT {key} || {step} AS sort, {owners}, {index} AS list_index, {json} AS json"
                f" FROM {source}" + (f" WHERE {' AND '.join(where)}" if where else "")
            )
    union = "\nUNION ALL\n".join(selects)
    return (
        f"CREATE TEMP TABLE {_rows_name(table)} AS\n"
        f"SELECT row_number() OVER (ORDER BY sort) AS id, * FROM (\n{union}\n)"
    )


def _owner_columns(table: Table) -> tuple[Column, ...]:
    """A part's or link's owner columns, after its row number: one per kind or part holding it."""
    return table.columns[1 : 1 + len(table.owners)]


def _rows_name(table: Table) -> str:
    return quote(f"_rows_{table.name}")


class Fill(NamedTuple):
    """How one table's rows come from the facts' JSON: ``gather`` (for a part's table, the
    temporary table of its rows, to make first), then ``select``, the rows in column order
    and in file order."""

    table: Table
    gather: str | None
    select: str

    @property
    def insert(self) -> str:
        """INSERT of the rows into the table of the same name."""
        names = ", ".join(quote(name) for name in self.table.column_names)
        return f"INSERT INTO main.{quote(self.table.name)} ({names})\n{self.select}"


def fills(*, exact: bool = False) -> list[Fill]:
    """How each table is filled, in ``TABLES`` order, which is an order to fill them in: a
    part's rows are gathered before the rows of the parts it holds. With ``exact``, text is
    read by ``tables.EXACT_FUNCTIONS``. ``cleanup`` drops what they gather."""
    found = []
    for table in TABLES:
        kind, gather = table.kind, None
        if table.field is not None:  # a list of references
            items = Value("f.json", _path(table.field.name)).items
            cells, joins = _cells(table, "f.json", exact=exact, atom="e.value")
            order = "f.rowid, e.key"
            select = (
                f"SELECT row_number() OVER (ORDER BY {order}), f.id, e.key, {cells}"
                f" FROM {FACTS} AS f, {items} AS e{joins}"
                f" WHERE f.collection = {literal(kind.COLLECTION)} ORDER BY {order}"
            )
        elif table.numbered:  # parts
            gather = _rows_of(table)
            owners = ", ".join(f"r.{quote(column.name)}" for column in _owner_columns(table))
            cells, joins = _cells(table, "r.json", exact=exact)
            select = (
                f"SELECT r.id, {owners}, r.list_index, {cells}"
                f" FROM temp.{_rows_name(table)} AS r{joins} ORDER BY r.id"
            )
        else:  # a kind's facts
            cells, joins = _cells(table, "f.json", exact=exact)
            select = (
                f"SELECT {cells} FROM {FACTS} AS f{joins}"
                f" WHERE f.collection = {literal(kind.COLLECTION)} ORDER BY f.rowid"
            )
        found.append(Fill(table, gather, select))
    return found


def cleanup() -> list[str]:
    """The statements that drop the temporary tables ``fills`` gather."""
    return [
        f"DROP TABLE temp.{_rows_name(table)}"
        for table in TABLES
        if table.numbered and table.field is None
    ]
