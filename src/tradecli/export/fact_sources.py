"""The view ``fact_sources``: every fact's sources, its own and those of its parts, in SQL.

A fact cites sources in its own evidence, and a measure in the evidence of each lifecycle step
too (a conflict, in its explanation's): a join of ``evidence`` on one owner column misses them.
The view is derived from the evidence table's owners (``Table.owners``): a SELECT per owner,
a kind's rows as they are, a part's joined to the part's table for the fact that holds it.
"""

from __future__ import annotations

from tradecli.export.tables import TABLES_BY_NAME, Column, Table, literal, quote
from tradecli.facts.fields import Record
from tradecli.facts.kinds import KINDS, Evidence

FACT_SOURCES = "fact_sources"

COLUMNS = (
    Column("fact_id", "TEXT", "The fact: an id of the table named by kind."),
    Column("kind", "TEXT", "The table of the fact."),
    Column("source_id", "TEXT", "A source the fact cites: an id of sources."),
    Column(
        "via",
        "TEXT",
        "Where the fact cites it: 'evidence' (its own), 'lifecycle step N' (a measure's N-th "
        "step, list_index N - 1) or 'explanation' (a conflict's).",
    ),
    Column("excerpt", "TEXT", "The source's own words, verbatim; NULL for a paraphrase."),
    Column("paraphrase", "TEXT", "What the source says, in our own words; NULL for an excerpt."),
    Column("evidence_id", "INTEGER", "The row of evidence it comes from; the view's order."),
)

DOC = (
    "Every fact's sources, direct and through its parts (a measure's lifecycle steps, a "
    "conflict's explanation): a row per piece of evidence, in file order."
)


def _select(evidence: Table, owner: type[Record], column: Column) -> str:
    """The rows of the evidence held by one owner: a fact itself, or one of a fact's parts."""
    e = "e"
    cells = f'{e}."source", %s, {e}."excerpt", {e}."paraphrase", {e}."id"'
    if owner in KINDS:
        fact, kind, via = f"{e}.{quote(column.name)}", literal(owner.TABLE), literal("evidence")
        return (
            f"SELECT {fact}, {kind}, {cells % via}\n"
            f"FROM {quote(evidence.name)} AS {e}\n"
            f"WHERE {fact} IS NOT NULL"
        )
    part = TABLES_BY_NAME[owner.TABLE]
    (holder,) = part.owners  # a part with evidence belongs to a kind, in one field
    (field,) = (field for field in holder.FIELDS if field.part is owner)
    noun = owner.SINGULAR.replace("_", " ")
    via = f'{literal(noun + " ")} || (p."list_index" + 1)' if field.many else literal(noun)
    fact = f"p.{quote(part.owner_columns[0].name)}"
    return (
        f"SELECT {fact}, {literal(holder.TABLE)}, {cells % via}\n"
        f"FROM {quote(evidence.name)} AS {e}\n"
        f'JOIN {quote(part.name)} AS p ON p."id" = {e}.{quote(column.name)}'
    )


def create_sql() -> str:
    """CREATE VIEW with a comment on the view and on each of its columns."""
    evidence = TABLES_BY_NAME[Evidence.TABLE]
    selects = [
        _select(evidence, owner, column)
        for owner, column in zip(evidence.owners, evidence.owner_columns, strict=True)
    ]
    lines = [f"CREATE VIEW {quote(FACT_SOURCES)} (", f"  -- {DOC}"]
    for index, column in enumerate(COLUMNS):
        comma = "," if index < len(COLUMNS) - 1 else ""
        lines.append(f"  {quote(column.name)}{comma} -- {column.doc}")
    lines.append(") AS")
    body = "\nUNION ALL\n".join(selects)
    return "\n".join(lines) + "\n" + body + f"\nORDER BY {len(COLUMNS)}"
