"""Where indexes are kept, and which of them may be trusted: the private cache folder.

Indexes live in ``$XDG_CACHE_HOME/tradecli`` (else ``~/.cache/tradecli``). A folder or file there
is used only if it is the user's own and no one else may write to it (as ssh and pip judge); a
relative ``$XDG_CACHE_HOME`` is ignored, as the XDG specification says. An index is named after
the content key of its fact file (``content_key``): a changed file has another key, so it can
never be answered from the index of its old bytes.

A warm run need not read and hash the whole file to know its key. After a run has hashed a
file, the file's size, modification and change times, inode and device are kept beside the key
(``known_key``, ``remember_key``), as git's index keeps them. A later run that finds exactly the
same status uses the key without reading a byte; any difference, and the file is read and hashed.

The status is kept only for a file whose change time is more than ``RACY_SECONDS`` in the past.
The change time (ctime) is the kernel's: writing a file sets it, and no user can set it back
(``touch -r``, ``cp -p``, ``rsync -t`` and ``tar x`` set back only the modification time). A
file changed within the resolution of the file system's clock after its status was kept (one
second on some) would keep the same times; a file that has rested ``RACY_SECONDS`` cannot have
been changed in the second its status was taken. This is git's "racy" rule.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
import zlib
from pathlib import Path

RACY_SECONDS = 3
KEEP_DAYS = 30  # an index no run has opened for this long is removed when another is built
_STATUS_VERSION = 2


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/tradecli``, else ``~/.cache/tradecli``; None with no home for it."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(base).is_absolute():
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):  # no home directory
            return None
    return Path(base) / "tradecli"


def private_dir(*, create: bool) -> Path | None:
    """The cache folder if it is ours alone (with ``create``, made if missing); else None."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        if create and not directory.exists():
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        return directory if ours(directory.stat(), directory=True) else None
    except (OSError, ValueError):  # too long, no permission, a NUL in the path, ...
        return None


def ours(info: os.stat_result, *, directory: bool) -> bool:
    """Whether a file (or folder) is of that kind, the user's own, and writable by no one else."""
    kind_fits = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    owner = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return kind_fits and owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def content_key(raw: bytes, tag: str) -> str:
    """A key that changes with the file's bytes and with ``tag`` (tradecli's version, the index
    format and the declarations of the facts)."""
    import hashlib  # only a run that reads the file needs it

    digest = hashlib.sha256(raw)
    digest.update(f"\0{tag}".encode())
    return digest.hexdigest()


def index_path(key: str, directory: Path) -> Path:
    """Where the index of a content key lives in the cache folder."""
    return directory / f"index-{key[:40]}.sqlite"


def remove(path: Path) -> None:
    """Remove a file of ours, if it is there."""
    with contextlib.suppress(OSError):
        path.unlink()


def prune(directory: Path, *, keep: Path, now: float | None = None) -> None:
    """Remove indexes no run has opened for KEEP_DAYS, and temporary files left by a crash.

    An index for a file since edited, or made by another version, is never opened again; without
    pruning they would pile up. Opening an index marks it used.
    """
    now = time.time() if now is None else now
    try:
        candidates = list(directory.iterdir())
    except OSError:
        return
    for path in candidates:
        if path == keep:
            continue
        if path.name.startswith("index-") and path.suffix == ".sqlite":
            older_than = KEEP_DAYS * 86_400
        elif path.name.startswith(".index-") and path.suffix == ".tmp":
            older_than = 86_400  # a build takes seconds: a day-old one was abandoned
        else:
            continue
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > older_than:
                path.unlink()


# The statuses kept beside content keys


def _status_path(directory: Path, path: Path) -> Path:
    # One file per fact file; it names its path in full, so two paths sharing a CRC (one in four
    # billion) only take the file from each other.
    return directory / f"known-{zlib.crc32(os.fsencode(path.absolute())):08x}.json"


def _status(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def status_of(path: Path) -> os.stat_result | None:
    """The status of a regular file, or None (a pipe, a device, a folder, or out of reach)."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def known_key(path: Path, tag: str) -> str | None:
    """The content key kept for this file, if its status is exactly the one kept with it."""
    info = status_of(path)
    directory = private_dir(create=False)
    if info is None or directory is None:
        return None
    try:
        with _status_path(directory, path).open("rb") as stream:
            if not ours(os.fstat(stream.fileno()), directory=False):
                return None
            kept = json.loads(stream.read(65536))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("tag") != f"{_STATUS_VERSION} {tag}":
        return None
    if kept.get("path") != str(path.absolute()) or kept.get("status") != _status(info):
        return None
    key = kept.get("key")
    return key if isinstance(key, str) and len(key) == 64 else None


def remember_key(path: Path, before: os.stat_result | None, key: str, tag: str) -> None:
    """Keep the key of a file hashed just now, with the status it had before it was read.

    Nothing is kept when the file changed while it was read, when it changed too recently for
    its times to tell a later change (the racy rule), or when the cache folder cannot be used.
    """
    after = status_of(path)
    if before is None or after is None or _status(before) != _status(after):
        return
    changed = max(before.st_mtime_ns, before.st_ctime_ns)
    if time.time_ns() - changed < RACY_SECONDS * 1_000_000_000:
        return
    directory = private_dir(create=True)
    if directory is None:
        return
    entry = _status_path(directory, path)
    document = {
        "tag": f"{_STATUS_VERSION} {tag}",
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
        remove(temporary)
