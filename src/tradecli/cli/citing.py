"""tradecli sources and tradecli cite: where the facts come from, and how to cite it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from tradecli.cli.context import report, settings
from tradecli.cli.options import complete_sources, id_argument, listing
from tradecli.cli.output import echo, emit
from tradecli.errors import UsageError
from tradecli.textsafe import visible


class CiteFormat(StrEnum):
    """How ``tradecli cite`` writes a citation."""

    TEXT = "text"
    CSL_JSON = "csl-json"
    JSONL = "jsonl"
    BIBTEX = "bibtex"


@listing
def sources(
    ctx: typer.Context,
    which: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID|OUTLET]",
            help=(
                "List every fact this source supports: a source id, or an outlet's name, its "
                "start or its initials ('ap', 'Canadian Press')."
            ),
            show_default=False,
            autocompletion=complete_sources,
        ),
    ] = None,
    stories: Annotated[
        bool,
        typer.Option(
            "--stories", help="A line per story (source) instead of one per outlet, with its id."
        ),
    ] = False,
) -> None:
    """List the outlets behind the facts, and how many facts cite each; or what one supports.

    A wire service is one outlet, with the papers that carried its stories: a fact it reported
    through three papers is confirmed once, not three times. --stories lists each story.

    Examples:

      tradecli sources

      tradecli sources --stories

      tradecli sources cp-five-things

      tradecli sources "associated press"

      tradecli sources -f csv > outlets.csv
    """
    from tradecli.present.lists import outlet_listing, source_listing, supported_listing
    from tradecli.query.links import source_citations, supported_by
    from tradecli.query.sources import newest_source, outlets_of, sources_matching

    store = settings(ctx).store()
    if which is not None:
        chosen = sources_matching(store, which)
        facts = supported_by(store, chosen)
        emit(ctx, supported_listing(store, chosen, facts), empty=f"no fact cites {which}")
        return
    newest = newest_source(store)
    notes = []
    if newest is not None:
        outlet = f" ({newest.outlet})" if newest.outlet else ""
        notes.append(
            f"note: the newest source is dated {newest.as_of}{outlet}; "
            "the store knows nothing published after it"
        )
    if stories:
        listing = source_listing(store, source_citations(store))
    else:
        listing = outlet_listing(store, outlets_of(store))
    emit(ctx, listing, empty="no sources", notes=notes)


def cite(
    ctx: typer.Context,
    fact_ids: Annotated[
        list[str] | None,
        id_argument(
            "Facts, entities or sources: their ids, numbers or entities' names; - reads them "
            "from stdin, one a line (or JSON Lines records, by their id)."
        ),
    ] = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all", help="Every source in the store, each once, by id; give no ID with it."
        ),
    ] = False,
    style: Annotated[
        CiteFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help=(
                "text: a line per source; csl-json for Zotero or Pandoc; jsonl, the same CSL "
                "items a line each; bibtex."
            ),
        ),
    ] = CiteFormat.TEXT,
) -> None:
    """Cite the sources of facts (or sources themselves), ready to paste.

    Each source is cited once, in the order the facts cite them; --all cites every source in
    the store, by id; - reads the ids from stdin, one a line or a listing's -f jsonl records:
    the bibliography of a listing. text gives one line per source: outlet, title, date and
    address. csl-json and bibtex are for reference managers (Zotero imports both): a story is
    an article in its outlet, anything else a web page by its outlet, a reprint names who
    carried it, and an undated page says when it was written. The store records no access
    dates, so none is given.

    Examples:

      tradecli cite china-adt-canola-oil

      tradecli cite meeting-xi china-adt-canola-meal -f csl-json

      tradecli cite cp-five-things -f bibtex > cp.bib

      tradecli cite --all -f bibtex > tradecli.bib

      tradecli tariffs --status in_force -f jsonl | tradecli cite - -f bibtex
    """
    import json

    from tradecli.present import cite as citing
    from tradecli.query import names
    from tradecli.query.links import cited_sources
    from tradecli.textsafe import json_safe

    if every and fact_ids:
        raise UsageError(
            "--all cites every source; it cannot be combined with an ID",
            hint="leave out the IDs, or --all",
        )
    if not every and not fact_ids:
        raise UsageError("give the ID of a fact or source to cite, or --all for every source")
    store = settings(ctx).store()
    cited: list[Any] = []
    if every:
        cited = sorted(store.items("sources"), key=lambda source: source.id)
    wanted = [given for fact_id in fact_ids or [] for given in _ids_given(fact_id)]
    for collection, item in [names.fact(store, fact_id) for fact_id in wanted]:
        found = [item] if collection == "sources" else cited_sources(store, item)
        if not found:
            report(f"note: {item.id} cites no source")
        cited.extend(found)
    cited = citing.once(cited)
    if style is CiteFormat.CSL_JSON:
        document = json.dumps([citing.csl(s) for s in cited], ensure_ascii=False, indent=2)
        echo(json_safe(document))
    elif style is CiteFormat.JSONL:
        for source in cited:
            echo(json_safe(json.dumps(citing.csl(source), ensure_ascii=False)))
    elif cited and style is CiteFormat.BIBTEX:
        echo(visible(citing.bibliography(cited), keep_newlines=True))
    elif cited:
        echo("\n".join(visible(citing.line(s)) for s in cited))
    elif every:
        report("note: the store holds no sources")


def _ids_given(argument: str) -> list[str]:
    """The ids an ID argument gives: itself, or for ``-`` each line of stdin (a JSON object's
    ``id``, as ``-f jsonl`` writes it), blank lines skipped."""
    if argument != "-":
        return [argument]
    import json
    import sys

    found = []
    for number, line in enumerate(sys.stdin, start=1):
        text = line.strip()
        if text.startswith("{"):
            try:
                record = json.loads(text)
            except ValueError:
                record = None
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                raise UsageError(
                    f"stdin line {number} is not a JSON object with an id",
                    hint="give one id a line, or JSON Lines records as '-f jsonl' writes them",
                )
            text = record["id"]
        if text:
            found.append(text)
    return found
