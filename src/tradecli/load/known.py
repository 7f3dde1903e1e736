"""Which index a fact file has, known from the file's status alone, as git's index knows it.

A warm run need not read and hash the whole file to find its index: after a run has hashed it,
the file's size, modification and change times (to the nanosecond), inode and device are kept
beside the key they gave. A later run whose file shows the same status uses that key without
reading a byte. Anything else, and the file is read and hashed as before.

Every way a file can change changes its status: writing it changes its modification and change
times (the change time cannot be set back, not even by ``touch``), replacing it changes its
inode. One case needs care, the one git calls racy: a change within the resolution of the
file system's clock (a second or two on some) after the status was kept would keep the same
times. So a status is only kept for a file last modified more than RACY_SECONDS before it is
taken; a file changed more recently is hashed on every run until it has rested that long.

The kept statuses live in the private cache folder, one small file per fact file, each trusted
only if it is ours, as the index is.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
import zlib
from pathlib import Path

from tradecli.load.index import FORMAT, _ours, private_dir

RACY_SECONDS = 3
_VERSION = 1


def _entry_path(directory: Path, path: Path) -> Path:
    # A file per path; the entry names its path in full, so two paths that share a name
    # (one CRC-32 in four billion) only take the file from each other.
    name = zlib.crc32(os.fsencode(path.absolute()))
    return directory / f"known-{name:08x}.json"


def _status(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _tag() -> str:
    from tradecli import __version__
    from tradecli.facts.kinds import fingerprint

    tag = f"{_VERSION} {__version__} {FORMAT} {fingerprint()}"
    return f"{_VERSION}-{__version__}-{FORMAT}-{zlib.crc32(tag.encode()):08x}"


def status_of(path: Path) -> os.stat_result | None:
    """The status of a regular file, or None (a pipe, a device, a folder, or out of reach)."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def known_key(path: Path) -> str | None:
    """The content key kept for this file, if its status is exactly the one kept with it."""
    info = status_of(path)
    directory = private_dir(create=False)
    if info is None or directory is None:
        return None
    entry = _entry_path(directory, path)
    try:
        with entry.open("rb") as stream:
            if not _ours(os.fstat(stream.fileno()), directory=False):
                return None
            kept = json.loads(stream.read(65536))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("tag") != _tag():
        return None
    if kept.get("path") != str(path.absolute()) or kept.get("status") != _status(info):
        return None
    key = kept.get("key")
    return key if isinstance(key, str) and len(key) == 64 else None


def remember_key(path: Path, before: os.stat_result | None, key: str) -> None:
    """Keep the key of a file hashed just now, with the status it had before it was read.

    Nothing is kept when the file changed while it was read, or was modified too recently for
    its times to tell a later change (the racy case), or the cache folder cannot be used.
    """
    after = status_of(path)
    if before is None or after is None or _status(before) != _status(after):
        return
    if time.time_ns() - before.st_mtime_ns < RACY_SECONDS * 1_000_000_000:
        return
    directory = private_dir(create=True)
    if directory is None:
        return
    entry = _entry_path(directory, path)
    document = {
        "tag": _tag(),
        "path": str(path.absolute()),
        "status": _status(before),
        "key": key,
    }
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            json.dump(document, stream)
        temporary.replace(entry)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
