"""What an export records of itself: which tradecli wrote it, from which bytes, up to which
source, and when. The table ``export_info`` holds it, and the datasette metadata says it."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tradecli import __version__
from tradecli.errors import DataError, Problem
from tradecli.export.rows import Row, date_cells
from tradecli.export.tables import EXPORT_VERSION
from tradecli.facts.kinds import Source
from tradecli.query.sources import newest_source

if TYPE_CHECKING:
    from tradecli.store import Store


class ExportInfo(NamedTuple):
    """One export's record of itself."""

    tradecli_version: str
    export_version: int
    fact_file: str
    fact_file_sha256: str | None
    newest_source: Source | None  # the source published last
    exported_at: str

    def row(self) -> Row:
        """The row of ``export_info``, in its columns' order."""
        newest = self.newest_source
        when = None if newest is None else newest.as_of
        return (
            self.tradecli_version,
            self.export_version,
            self.fact_file,
            self.fact_file_sha256,
            None if newest is None or when is None else newest.id,
            *date_cells(when),
            self.exported_at,
        )

    @property
    def sources_end(self) -> str | None:
        """The date the sources end, as written (``2026-04-07``), or None."""
        newest = self.newest_source
        if newest is None or newest.as_of is None:
            return None
        return str(newest.as_of)


def export_info(store: Store, *, now: datetime | None = None) -> ExportInfo:
    """The record of an export of ``store`` made ``now`` (the current time by default)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return ExportInfo(
        __version__,
        EXPORT_VERSION,
        store.path.name,
        fact_file_sha256(store.path),
        newest_source(store),
        moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def fact_file_sha256(path: Path) -> str | None:
    """The SHA-256 of a fact file's bytes, in hex; None for what is not a regular file (a pipe
    has been read once already, and a named pipe would wait for a writer).

    Raise DataError, naming the file, if it can no longer be read.
    """
    import hashlib  # only an export needs it

    try:
        # O_NONBLOCK: opening a named pipe put in the file's place must not wait for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise _unreadable(path, error) from None
    with os.fdopen(handle, "rb") as stream:
        try:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return None
            return hashlib.file_digest(stream, "sha256").hexdigest()
        except OSError as error:
            raise _unreadable(path, error) from None


def _unreadable(path: Path, error: OSError) -> DataError:
    detail = error.strerror or str(error)
    return DataError(
        str(path),
        [Problem("", f"cannot be read again to record its SHA-256 in the export: {detail}")],
    )
