"""The export's tables, columns, comments and constraints, derived from the fact declarations.

Every kind has a table keyed by its id: one column per field (two for a date: the date as
written and its precision), the kind's own fields first, then the fields every fact shares. A
list of references becomes a link table ``<kind>_<field>`` (``event_participants``), a list of
parts the part's own table (``person_roles``, ``lifecycle_steps``, ``evidence``), numbered in
file order with a ``list_index``. A reference that may name several kinds becomes one nullable
foreign key per kind, with a CHECK that at most one (in a list: exactly one) is set. Each
column's comment is its field's description.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from tradecli.facts.dates import PartialDate, Precision
from tradecli.facts.fields import ExactlyOne, Field, Record, Shape
from tradecli.facts.kinds import COLLECTIONS, KIND_OF, KINDS, PARTS, Evidence

Cell = str | int | float | None

# Stamped into PRAGMA user_version; raise it when a table or column changes meaning.
EXPORT_VERSION = 2

_DATE_NOTE = "As in the fact file: YYYY, YYYY-MM or YYYY-MM-DD."


class Column(NamedTuple):
    """One column of an exported table."""

    name: str
    sql_type: str
    doc: str
    not_null: bool = False
    primary_key: bool = False
    references: str | None = None
    choices: tuple[str, ...] = ()

    def definition(self) -> str:
        """The column's definition in CREATE TABLE."""
        parts = [quote(self.name), self.sql_type]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        if self.not_null or self.primary_key:
            parts.append("NOT NULL")
        if self.references is not None:
            parts.append(f'REFERENCES {quote(self.references)}("id")')
        if self.check is not None:
            parts.append(check_constraint(self.check))
        return " ".join(parts)

    @property
    def check(self) -> str | None:
        """The expression of the column's CHECK, if it has one: its value is one of its choices."""
        if not self.choices:
            return None
        allowed = ", ".join(literal(choice) for choice in self.choices)
        return f"{quote(self.name)} IN ({allowed})"


# The table every fact's JSON is read from while the tables are filled: (rowid, id, collection,
# json), rowids in file order within a collection (``Store.connect_with_json``).
FACTS = "tradecli_facts"


class Value(NamedTuple):
    """Where one field's value is, in SQL: the JSON ``document`` that holds it, at ``path``;
    or, for an item of a list of references, the item itself (``atom``). For a reference that
    may name several kinds (``names_several``), ``kind`` is the collection of the fact it
    names, joined by the query. With ``exact``, text is read by ``EXACT_FUNCTIONS``."""

    document: str
    path: str
    atom: str | None = None
    kind: str | None = None
    exact: bool = False

    @property
    def scalar(self) -> str:
        """The value as SQL: text, a number or NULL (a list comes as its JSON text)."""
        if self.atom:
            return self.atom
        sqlite = f"json_extract({self.document}, {self.path})"
        return self.exactly(f"tradecli_json_extract({self.document}, {self.path})", sqlite)

    def exactly(self, exact: str, sqlite: str) -> str:
        """``exact`` for a document that may hold a NUL when ``exact`` is on, else ``sqlite``."""
        if not self.exact:
            return sqlite
        return f"CASE WHEN instr({self.document}, {NUL_ESCAPE}) THEN {exact} ELSE {sqlite} END"

    @property
    def items(self) -> str:
        """The items of a list, as the table ``json_each`` makes of them."""
        return f"json_each({self.document}, {self.path})"


# SQLite's JSON functions end a text at an escaped NUL (\u0000): json_extract('["a\u0000b"]',
# '$[0]') is 'a'. The JSON of parts and lists keeps the escape, but a text read out of it is
# cut. In a store with a NUL, each fact or part whose JSON holds its escape is read by these
# instead (a Python call per cell), which read text whole and give the same cells as SQLite's
# (tests/test_export.py).
# The SQL text of a NUL as json.dumps writes it (found also where a backslash is before "u0000").
NUL_ESCAPE = r"'\u0000'"


@functools.lru_cache(maxsize=4)  # a row's cells come from one document
def _document(text: str) -> Any:
    return json.loads(text)


def _exact_extract(text: str, path: str) -> Cell:
    value = _document(text).get(path.removeprefix("$."))
    if isinstance(value, dict | list):
        return _COMPACT(value)
    return value  # type: ignore[no-any-return]


def _exact_texts(text: str, path: str) -> str:
    return _json_text(_document(text).get(path.removeprefix("$."), []))


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# A list of texts as the export writes it: json.dumps(..., ensure_ascii=False).
_json_text = json.JSONEncoder(ensure_ascii=False).encode

EXACT_FUNCTIONS: dict[str, Callable[[str, str], Cell]] = {
    "tradecli_json_extract": _exact_extract,
    "tradecli_json_texts": _exact_texts,
}


# How one field's value in a fact's JSON becomes its cells: the SQL of each cell.
CellsOf = Callable[[Value], tuple[str, ...]]


class Table(NamedTuple):
    """An exported table: its columns, constraints and search columns, and where rows come from.

    ``kind`` is the kind or part whose records are its rows, or, for a link table, the kind that
    owns the list; ``field`` is that list's field. ``cells`` says, for each field stored in
    the table's own columns, how its value in the fact's JSON fills them.
    """

    name: str
    doc: str
    columns: tuple[Column, ...]
    search: tuple[str, ...]
    constraints: tuple[tuple[str, str], ...]
    kind: type[Record]
    field: Field | None
    cells: tuple[tuple[Field, CellsOf], ...]
    owners: tuple[type[Record], ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(column.name for column in self.columns)

    @property
    def numbered(self) -> bool:
        """True for a table of parts or links, whose rows are numbered in file order."""
        return bool(self.owners)

    @property
    def checks(self) -> tuple[str, ...]:
        """The expressions of every CHECK of the table, its columns' and its own, in order."""
        own = (column.check for column in self.columns if column.check is not None)
        rules = (sql[len(_CHECK) : -1] for sql, _doc in self.constraints if sql.startswith(_CHECK))
        return (*own, *rules)

    def create_sql(self) -> str:
        """CREATE TABLE with a comment on the table and on every column."""
        items = [(column.definition(), column.doc) for column in self.columns]
        items += list(self.constraints)
        lines = [f"CREATE TABLE {quote(self.name)} (", f"  -- {self.doc}"]
        for index, (definition, doc) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            lines.append(f"  {definition}{comma} -- {doc}")
        lines.append(")")
        return "\n".join(lines)


_CHECK = "CHECK ("


def check_constraint(expression: str) -> str:
    """A CHECK constraint of an expression: ``Table.checks`` reads the expression back."""
    return f"{_CHECK}{expression})"


def quote(identifier: str) -> str:
    """An SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def one_of(names: Iterable[str], *, exactly: bool) -> str:
    """A CHECK that at most (or exactly) one of the columns is set."""
    total = " + ".join(f"({quote(name)} IS NOT NULL)" for name in names)
    return check_constraint(f"{total} {'=' if exactly else '<='} 1")


def targets(field: Field) -> tuple[str, ...]:
    """The collections a reference may name, in file order."""
    return tuple(collection for collection in COLLECTIONS if collection in field.targets)


def _singular(collection: str) -> str:
    return KIND_OF[collection].SINGULAR


def _noun(kind: type[Record]) -> str:
    return kind.SINGULAR.replace("_", " ")


# Cells of each shape of a value, as SQL reading it from a fact's JSON (``Record.to_json``):
# words and dates as written. A number is always a float: 100 and 100.0 read back the same.
# ``plain``, a value that is its own cell, is public: ``export.rows`` reads it straight.
def plain(value: Value) -> tuple[str, ...]:
    """The value itself."""
    return (value.scalar,)


def _real(value: Value) -> tuple[str, ...]:
    return (f"CAST({value.scalar} AS REAL)",)


def _written_lengths() -> dict[int, str]:
    """The precision of a date by the length of its text: 4, 7 or 10 characters."""
    samples = ("2000", "2000-01", "2000-01-01")
    return {len(text): PartialDate.parse(text).precision.value for text in samples}


def _date(value: Value) -> tuple[str, ...]:
    cases = " ".join(
        f"WHEN {length} THEN {literal(precision)}"
        for length, precision in _written_lengths().items()
    )
    return value.scalar, f"CASE length({value.scalar}) {cases} END"


def _texts(value: Value) -> tuple[str, ...]:
    # As _json_text writes a list of texts: items between ", ", each escaped as json_quote
    # escapes it (the same escapes: tests/test_export.py).
    texts = "group_concat(json_quote(value), ', ')"
    sqlite = f"(SELECT '[' || coalesce({texts}, '') || ']' FROM {value.items})"
    return (value.exactly(f"tradecli_json_texts({value.document}, {value.path})", sqlite),)


def _alternatives(field: Field) -> CellsOf:
    kinds_in_order = targets(field)

    def cells(value: Value) -> tuple[str, ...]:
        # A reference to no fact of the other kinds stays in the first kind's column, whose
        # foreign key then fails the export if it names no fact of that kind either.
        assert value.kind is not None, f"{field.name}: the query joins the kind it names"
        others = kinds_in_order[1:]
        rest = ", ".join(literal(collection) for collection in others)
        return (
            f"CASE WHEN {value.kind} IN ({rest}) THEN NULL ELSE {value.scalar} END",
            *(
                f"CASE {value.kind} WHEN {literal(collection)} THEN {value.scalar} END"
                for collection in others
            ),
        )

    return cells


def names_several(field: Field) -> bool:
    """True for a reference that may name facts of several kinds: a column per kind."""
    return field.shape is Shape.REF and len(targets(field)) > 1


def _reference_columns(
    field: Field, name: str, doc: str, *, required: bool
) -> tuple[tuple[Column, ...], CellsOf, tuple[tuple[str, str], ...]]:
    """The columns of one reference: one foreign key, or one per kind it may name."""
    kinds_in_order = targets(field)
    if not names_several(field):
        return (
            (Column(name, "TEXT", doc, not_null=required, references=kinds_in_order[0]),),
            plain,
            (),
        )
    columns = tuple(
        Column(
            f"{name}_{_singular(collection)}",
            "TEXT",
            f"{doc} Set when one of the {collection}, else NULL.",
            references=collection,
        )
        for collection in kinds_in_order
    )
    check = one_of([column.name for column in columns], exactly=required)
    what = f"Each row names one {name}." if field.many else _one_doc(field, required=required)
    return columns, _alternatives(field), ((check, what),)


def _one_doc(field: Field, *, required: bool) -> str:
    return f"{'Exactly' if required else 'At most'} one {field.name} column is set."


def _columns_of(field: Field) -> tuple[tuple[Column, ...], CellsOf, tuple[tuple[str, str], ...]]:
    """The columns a field stored in its own table fills, how, and their constraints."""
    name, doc, not_null = field.name, field.description, not field.nullable
    if field.shape is Shape.ID:
        return (Column(name, "TEXT", doc, primary_key=True),), plain, ()
    if field.shape is Shape.REF:
        return _reference_columns(field, name, doc, required=not_null)
    if field.shape is Shape.DATE:
        precision = tuple(str(member.value) for member in Precision)
        columns = (
            Column(name, "TEXT", f"{doc} {_DATE_NOTE}"),
            Column(
                f"{name}_precision",
                "TEXT",
                f"How much of {name} is known: year, month or day.",
                choices=precision,
            ),
        )
        return columns, _date, ()
    if field.shape is Shape.VOCAB:
        assert field.vocab is not None
        choices = tuple(str(member.value) for member in field.vocab)
        return (Column(name, "TEXT", doc, not_null=not_null, choices=choices),), plain, ()
    if field.shape in (Shape.PERCENT, Shape.NUMBER):
        return (Column(name, "REAL", doc),), _real, ()
    if field.many:  # a list of texts
        doc = f"{doc} A JSON array of text; [] when none."
        return (Column(name, "TEXT", doc, not_null=True),), _texts, ()
    return (Column(name, "TEXT", doc, not_null=not_null),), plain, ()


def in_own_table(field: Field) -> bool:
    """True for a field stored in its kind's own table (not a list of parts or references)."""
    return field.shape is not Shape.PART and not (field.shape is Shape.REF and field.many)


_FIELD_ORDER: dict[type[Record], tuple[Field, ...]] = {}


def field_order(kind: type[Record]) -> tuple[Field, ...]:
    """A kind's fields as the export orders them: id, its own fields, then those it inherits."""
    found = _FIELD_ORDER.get(kind)
    if found is None:
        found = _FIELD_ORDER[kind] = _field_order(kind)
    return found


def _field_order(kind: type[Record]) -> tuple[Field, ...]:
    own = kind.OWN_FIELDS
    fields = (*own, *(field for field in kind.FIELDS if field not in own))
    ids = tuple(field for field in fields if field.shape is Shape.ID)
    return (*ids, *(field for field in fields if field.shape is not Shape.ID))


def _owners(part: type[Record]) -> tuple[type[Record], ...]:
    """The kinds and parts that hold ``part``, kinds first, in file order."""
    return tuple(
        holder for holder in (*KINDS, *PARTS) if any(field.part is part for field in holder.FIELDS)
    )


def _numbering() -> Column:
    return Column("id", "INTEGER", "Row number, 1, 2, ... in file order.", primary_key=True)


def _list_index() -> Column:
    return Column("list_index", "INTEGER", "0-based place in the fact file's list.", not_null=True)


def _owner_columns(
    owners: tuple[type[Record], ...],
) -> tuple[tuple[Column, ...], tuple[tuple[str, str], ...]]:
    columns = tuple(
        Column(
            f"{owner.SINGULAR}_id",
            "INTEGER" if owner in PARTS else "TEXT",
            f"The {_noun(owner)} this row belongs to.",
            not_null=len(owners) == 1,
            references=owner.TABLE,
        )
        for owner in owners
    )
    if len(owners) == 1:
        unique = f"UNIQUE ({quote(columns[0].name)}, {quote('list_index')})"
        return columns, ((unique, "One row per list item."),)
    check = one_of([column.name for column in columns], exactly=True)
    return columns, ((check, "Each row belongs to one fact or part."),)


def _rule_checks(kind: type[Record]) -> tuple[tuple[str, str], ...]:
    """CHECKs for the kind's rules that SQL can state: exactly one of two fields."""
    found = []
    for rule in kind.RULES:
        if isinstance(rule, ExactlyOne) and len(rule.names) == 2:
            first, second = (quote(name) for name in rule.names)
            both = check_constraint(f"({first} IS NULL) <> ({second} IS NULL)")
            found.append((both, f"Exactly one of {rule.names[0]} or {rule.names[1]}."))
    return tuple(found)


def _record_table(kind: type[Record]) -> Table:
    """The table of a kind's records, or of a part's."""
    owners = _owners(kind) if kind in PARTS else ()
    columns: list[Column] = []
    constraints: list[tuple[str, str]] = []
    if owners:
        owner_columns, owner_checks = _owner_columns(owners)
        columns += [_numbering(), *owner_columns, _list_index()]
    cells = []
    for field in field_order(kind):
        if not in_own_table(field):
            continue
        field_columns, fill, checks = _columns_of(field)
        columns += field_columns
        constraints += checks
        cells.append((field, fill))
    if owners:
        constraints += owner_checks
    constraints += _rule_checks(kind)
    search = tuple(
        field.name for field, _fill in cells if field.searched and field.shape is Shape.TEXT
    )
    return Table(
        kind.TABLE,
        (kind.__doc__ or "").strip().splitlines()[0],
        tuple(columns),
        search,
        tuple(constraints),
        kind,
        None,
        tuple(cells),
        owners,
    )


def _link_table(kind: type[Record], field: Field) -> Table:
    """The link table of a list of references: one row per id in the list."""
    owner_columns, owner_checks = _owner_columns((kind,))
    ref_columns, fill, checks = _reference_columns(
        field, field.each, field.each_description, required=True
    )
    return Table(
        f"{kind.SINGULAR}_{field.name}",
        field.description,
        (_numbering(), *owner_columns, _list_index(), *ref_columns),
        (),
        (*checks, *owner_checks),
        kind,
        field,
        ((field, fill),),
        (kind,),
    )


def _build() -> tuple[Table, ...]:
    """Kinds, then the tables of their parts and links, evidence last."""
    parts = [_record_table(part) for part in PARTS]
    links = [
        _link_table(kind, field)
        for kind in KINDS
        for field in field_order(kind)
        if field.shape is Shape.REF and field.many
    ]
    evidence = [table for table in parts if table.kind is Evidence]
    others = [table for table in parts if table.kind is not Evidence]
    return (*(_record_table(kind) for kind in KINDS), *others, *links, *evidence)


TABLES: tuple[Table, ...] = _build()
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
