# ruff: noqa: RUF001
"""A kept index never answers differently from the file, and no cache problem stops a query.

Every command is compared with ``--no-cache`` (which reads and validates the file and indexes it
in memory) after the kept index is truncated at every page, after bytes flipped at random
places, with rows of it changed, with an index or a cache folder that is not the user's own,
and with odd cache paths.
"""

from __future__ import annotations

import json
import os
import random
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from tradecli.cli import app
from tradecli.store import _tag
from tradecli.store import cache as folder
from tradecli.store.index import UnreadableIndexError, open_index

MINI = ROOT / "tests" / "fixtures" / "mini.json"
COMMANDS = [
    # First: a damaged index is rebuilt once noticed, so what a later command alone would
    # notice must come before the commands that notice it too.
    ["people", "qiang", "-f", "json"],
    ["companies", "bank", "-f", "json"],
    ["tariffs", "-f", "json"],
    ["tariffs", "--as-of", "2026-01-20", "-f", "json"],
    ["meetings", "--date", "2026-01", "-f", "json"],
    ["timeline", "-f", "json"],
    ["timeline", "--since", "2026-01-16", "-f", "json"],
    ["timeline", "--with", "carney"],
    ["search", "canola", "-f", "json"],
    ["search", "trade", "--limit", "2", "-f", "csv"],
    ["show", "carney", "-f", "json"],
    ["people", "li qiang", "-f", "json"],
    ["sources", "-f", "json"],
    ["summary", "-f", "json"],
    ["conflicts", "-f", "json"],
    ["quote", "--source", "ap-ev-deal", "-f", "json"],
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "tradecli"


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """A copy of the small fixture file."""
    path = tmp_path / "facts.json"
    path.write_bytes(MINI.read_bytes())
    return path


def run(runner: CliRunner, facts: Path, args: list[str], *, cache: bool = True) -> Any:
    prefix = ["--data", str(facts)] + ([] if cache else ["--no-cache"])
    result = runner.invoke(app, [*prefix, *args])
    return (result.exit_code, result.stdout, result.stderr)


def answers(runner: CliRunner, facts: Path, *, cache: bool = True) -> list[Any]:
    return [run(runner, facts, args, cache=cache) for args in COMMANDS]


def the_index(cache: Path) -> Path:
    (found,) = cache.glob("index-*.sqlite")
    return found


def sound(facts: Path) -> bool:
    """True if the kept index of the file opens and reads every collection."""
    directory = folder.private_dir(create=False)
    assert directory is not None
    try:
        opened = open_index(
            folder.index_path(folder.content_key(facts.read_bytes(), _tag()), directory)
        )
    except UnreadableIndexError:
        return False
    try:
        for name in ("sources", "people", "events", "tariffs"):
            opened.collection(name, None)
        return True
    except UnreadableIndexError:
        return False
    finally:
        opened.close()


def no_wrong_rows(damaged: list[Any], truth: list[Any]) -> None:
    """Every command answered, and every fact it gave is the file's, as the file gives it:
    damage the index cannot notice (a row lost cleanly) may only leave rows out."""
    for args, (code, out, _err), (_code, expected, _) in zip(COMMANDS, damaged, truth, strict=True):
        assert code == 0, (args, _err)
        if "json" not in args:
            continue
        given, wanted = json.loads(out), json.loads(expected)
        if isinstance(given, dict) and "items" in given:  # search: the total and the items
            given, wanted = given["items"], wanted["items"]
        elif isinstance(given, dict):  # show: the one fact
            given, wanted = [given], [wanted]
        known = {json.dumps(item.get("fields", item), sort_keys=True) for item in wanted}
        for item in given:
            assert json.dumps(item.get("fields", item), sort_keys=True) in known, (args, item)


@pytest.fixture
def truth(runner: CliRunner, facts: Path, cache: Path) -> list[Any]:
    """Every command's answer from the file itself, and an index built for the file."""
    expected = answers(runner, facts, cache=False)
    assert all(code == 0 for code, _out, _err in expected), expected
    assert answers(runner, facts) == expected, "a sound index answers as the file does"
    assert sound(facts)
    return expected


def test_truncated_at_every_page_the_answers_stay_those_of_the_file(
    runner: CliRunner, facts: Path, cache: Path, truth: list[Any]
) -> None:
    """A power cut can leave the index cut short at any page: every answer is still the file's,
    and the next run finds a sound index again."""
    path = the_index(cache)
    whole = path.read_bytes()
    page = int.from_bytes(whole[16:18], "big")
    cuts = [*range(page, len(whole), page), len(whole) - 1, 17]
    assert len(cuts) > 5
    for cut in cuts:
        path.write_bytes(whole[:cut])
        assert answers(runner, facts) == truth, f"cut at {cut}"
        assert sound(facts), f"rebuilt after the cut at {cut}"
        path = the_index(cache)
        whole = path.read_bytes()


def test_bytes_flipped_anywhere_never_change_an_answer(
    runner: CliRunner, facts: Path, cache: Path, truth: list[Any]
) -> None:
    """Random bytes flipped across the file (a fixed seed, so a failure can be replayed): each
    command answers, and never with a fact the file does not hold as given."""
    chooser = random.Random(20260115)
    path = the_index(cache)
    whole = path.read_bytes()
    examples = int(os.environ.get("TRADECLI_FUZZ_EXAMPLES", "40"))
    for _ in range(examples):
        damaged = bytearray(whole)
        for _flip in range(chooser.choice([1, 1, 2, 8])):
            offset = chooser.randrange(len(damaged))
            damaged[offset] ^= 1 << chooser.randrange(8)
        path.write_bytes(bytes(damaged))
        no_wrong_rows(answers(runner, facts), truth)
        # Damage no command read is still there: start the next example from a sound index.
        path.unlink(missing_ok=True)
        answers(runner, facts)
        assert sound(facts)
        path = the_index(cache)


def test_an_index_whose_facts_do_not_check_out_is_never_trusted(
    runner: CliRunner, facts: Path, cache: Path, truth: list[Any]
) -> None:
    """A fact changed inside an otherwise sound index fails its checksum: the file answers."""
    import sqlite3

    path = the_index(cache)
    with sqlite3.connect(path) as connection:
        (text,) = connection.execute("SELECT json FROM facts WHERE id = 'carney'").fetchone()
        planted = text.replace("Mark Carney", "Someone Else")
        connection.execute("UPDATE facts SET json = ? WHERE id = 'carney'", (planted,))
    assert answers(runner, facts) == truth
    assert sound(facts)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners")
def test_an_index_writable_by_others_is_not_read(
    runner: CliRunner, facts: Path, cache: Path, truth: list[Any]
) -> None:
    """An index anyone may write could have been planted: it is not read, and a private one
    takes its place."""
    path = the_index(cache)
    path.chmod(0o666)
    assert answers(runner, facts) == truth
    assert not the_index(cache).stat().st_mode & 0o022
    assert sound(facts)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_an_index_owned_by_someone_else_is_not_read(
    runner: CliRunner, facts: Path, cache: Path, truth: list[Any]
) -> None:
    """An index owned by another user is not read, even if it looks sound: one of the user's
    own replaces it."""
    import sqlite3

    path = the_index(cache)
    with sqlite3.connect(path) as connection:  # what another user could plant
        connection.execute("UPDATE facts SET json = replace(json, 'Mark Carney', 'Somebody')")
    os.chown(path, 12345, 12345)
    assert answers(runner, facts) == truth
    assert the_index(cache).stat().st_uid == os.getuid()
    assert sound(facts)


def test_a_cache_folder_others_may_write_is_skipped(
    runner: CliRunner, facts: Path, cache: Path
) -> None:
    """A shared, world-writable cache folder is not used at all: no index is read or written."""
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    expected = answers(runner, facts, cache=False)
    assert answers(runner, facts) == expected
    assert list(cache.iterdir()) == []


@pytest.mark.parametrize("name", ["with#hash", "with?question", "with%25percent", "a b"])
def test_odd_characters_in_the_cache_path_still_reuse_the_index(
    runner: CliRunner, facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """'#', '?' and '%' once made SQLite open another file: the index is now found and reused,
    and nothing is written outside the cache."""
    base = tmp_path / name
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    first = answers(runner, facts)
    built = list((base / "tradecli").glob("index-*.sqlite"))
    assert len(built) == 1
    stamp = built[0].stat().st_mtime_ns
    os.utime(built[0], ns=(stamp - 10**9, stamp - 10**9))
    assert answers(runner, facts) == first
    assert built[0].stat().st_mtime_ns != stamp - 10**9, "opened again: marked as used"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["facts.json", name])


def test_a_relative_cache_home_is_ignored(
    runner: CliRunner, facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XDG specification says a relative $XDG_CACHE_HOME is invalid: ~/.cache is used."""
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    expected = answers(runner, facts, cache=False)
    assert answers(runner, facts) == expected
    assert not (tmp_path / "relative").exists()
    assert list((tmp_path / "home" / ".cache" / "tradecli").glob("index-*.sqlite"))


def test_no_home_and_no_cache_home_still_answer(
    runner: CliRunner, facts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a home directory there is no cache: the command answers from the file."""
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    expected = answers(runner, facts, cache=False)
    assert answers(runner, facts) == expected


@pytest.mark.parametrize("problem", ["too long", "a file in the way", "no entry"])
def test_a_cache_path_that_cannot_be_used_still_answers(
    runner: CliRunner, facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    """A path too long for the system, a file where the folder should be, a folder one cannot
    enter: each command answers, exit 0."""
    if problem == "too long":
        base = tmp_path / ("x" * 250) / ("y" * 250) / ("z" * 250) / ("w" * 250) / ("v" * 250)
    elif problem == "a file in the way":
        (tmp_path / "blocked").write_text("not a folder", encoding="utf-8")
        base = tmp_path / "blocked"
    else:
        if os.geteuid() == 0:
            pytest.skip("root enters any folder")
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0)
        base = locked / "inside"
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    expected = answers(runner, facts, cache=False)
    try:
        assert answers(runner, facts) == expected
    finally:
        if problem == "no entry":
            (tmp_path / "locked").chmod(stat.S_IRWXU)


def test_an_interrupted_build_leaves_no_temporary_file(
    facts: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the index is being written leaves neither a partial index nor a temp file."""
    from tradecli.store import build, load

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load(facts)
    assert list(cache.iterdir()) == [], "nothing left behind"


# Search: the same hits, in the same order, from the kept index and from one in memory.

TRICKY = {
    "Straße": "strasse",
    "ΟΔΥΣΣΕΥΣ ὀδυσσεύς": "οδυσσευς",
    "ｆｕｌｌｗｉｄｔｈ letters": "fullwidth",
    "ﬁnance ligature": "finance",
    "x² squared": "x2",
    "Ⅻ roman": "xii",
    "snake_case_word": "snake_case*",
    "Zhào Lèjì": "zhao",
}


def tricky_file(tmp_path: Path) -> Path:
    """The fixture with facts whose names need Unicode normalisation to be found."""
    data = json.loads(MINI.read_text(encoding="utf-8"))
    for number, text in enumerate(TRICKY):
        data["statements"].append(
            {
                "id": f"stmt-tricky-{number}",
                "kind": "context",
                "text": f"A statement about {text}.",
                "evidence": [{"source": "article", "paraphrase": f"Words: {text}"}],
            }
        )
    path = tmp_path / "tricky.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "term", [*TRICKY.values(), "ΟΔΥΣΣΕΥΣ", "ＦＵＬＬ*", "ſtraſſe", '"x2 squared"']
)
def test_search_finds_text_as_names_are_normalised(
    runner: CliRunner, tmp_path: Path, cache: Path, term: str
) -> None:
    """Full-width letters, ligatures, 'ß', a final sigma, superscripts, Roman numerals: found,
    from the kept index as from one in memory."""
    path = tricky_file(tmp_path)
    args = ["search", term, "--limit", "0", "-f", "json"]
    scanned = run(runner, path, args, cache=False)
    run(runner, path, ["tariffs"])  # build the index
    indexed = run(runner, path, args)
    assert indexed == scanned
    assert json.loads(scanned[1]), f"{term!r} finds its statement"


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated store of 3,000 facts, made once for the module."""
    return generated(tmp_path_factory.mktemp("generated"), 3000)


def generated(tmp_path: Path, facts: int) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", module)
    spec.loader.exec_module(module)
    path = tmp_path / "generated.json"
    module.generate(facts, path)
    return path


@pytest.mark.parametrize("words", ["canola", "tariff china", "the", "zz"])
def test_search_ranks_the_same_with_and_without_the_index(
    runner: CliRunner, generated_store: Path, cache: Path, words: str
) -> None:
    """On a generated file, the top hits and the count line are the same either way."""
    path = generated_store
    for limit in ("20", "0"):
        args = ["search", words, "--limit", limit, "-f", "csv"]
        scanned = run(runner, path, args, cache=False)
        indexed = run(runner, path, args)
        assert indexed == scanned, (words, limit)


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE refs SET target = 'carnez' WHERE rowid = (SELECT min(rowid) FROM refs"
        " WHERE target = 'carney')",
        "UPDATE refs SET field = 'sourcf' WHERE field = 'source' AND target = 'ap-ev-deal'",
        "UPDATE refs SET target = 'carney' WHERE target = 'li-qiang'",
        "UPDATE names SET key = 'li qiang' WHERE key = 'zhao leji'",
        "UPDATE names SET rowid = rowid + 1 WHERE key = 'premier li'",
        "UPDATE days SET first_day = '2030-01-01'",
        "UPDATE days SET first_day = '2031-01-01', last_day = '2031-01-01'"
        " WHERE collection = 'sources'",
        # The timeline, streamed in order: a moved, reordered or damaged entry.
        "UPDATE timeline SET first = '1999-01-01', last = '1999-01-01', reach = '1999-01-01'"
        " WHERE rowid = (SELECT max(rowid) FROM timeline)",
        "UPDATE timeline SET crc = crc + 1 WHERE rowid = (SELECT max(rowid) FROM timeline)",
        "UPDATE timeline SET fact_id = 'zzz' WHERE rowid = (SELECT min(rowid) FROM timeline)",
        "UPDATE timeline SET rowid_of = rowid_of + 1"
        " WHERE rowid = (SELECT max(rowid) FROM timeline)",
        "UPDATE meta SET value = '{}' WHERE name = 'counts'",
        "INSERT INTO facts_fts (rowid, names, body) VALUES"
        " ((SELECT rowid FROM facts WHERE id = 'li-qiang'), 'canola canola', 'trade')",
    ],
)
def test_damage_to_what_the_index_derives_never_changes_an_answer(
    runner: CliRunner, facts: Path, cache: Path, truth: list[Any], damage: str
) -> None:
    """References, names, days, timeline entries and words the index keeps beside the facts
    carry checksums too: a damaged row that is read is noticed, the index rebuilt from the file,
    and no answer holds a fact the file does not hold as given. (A row lost cleanly is not
    noticed: its answer lacks it until the index is rebuilt.)"""
    import sqlite3

    with sqlite3.connect(the_index(cache)) as connection:
        connection.execute(damage)
    no_wrong_rows(answers(runner, facts), truth)


def test_every_fact_of_the_bundled_store_reads_the_same_from_the_index(
    runner: CliRunner, cache: Path
) -> None:
    """show, with every link both ways, for each fact; people and companies by name; every
    meeting window: the same from the index as from the file."""
    from conftest import BUNDLED

    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    ids = [item["id"] for key, items in data.items() if isinstance(items, list) for item in items]
    cases = [["show", fact_id, "-f", "json"] for fact_id in ids]
    cases += [["people", person["name"], "-f", "json"] for person in data["people"]]
    cases += [["meetings", "--date", day, "-f", "json"] for day in ("2026", "2026-01", "2025-10")]
    cases += [["sources", "-f", "json"], ["tariffs", "--source", "cp-suspension", "-f", "json"]]
    for args in cases:
        in_memory = run(runner, BUNDLED, args, cache=False)
        kept = run(runner, BUNDLED, args)
        assert kept == in_memory, args


def test_many_facts_read_at_once_are_those_of_the_file(facts: Path, cache: Path) -> None:
    """Store.many reads facts by id in one go, in the order asked, repeats kept: the same
    facts as the file's; an unknown id is a KeyError; a damaged fact is read from the index
    built anew."""
    from tradecli.store import load

    in_memory = load(facts, cache=False)
    ids = [item.id for _collection, item in in_memory.all_facts()]
    asked = [*reversed(ids), ids[0]]
    expected = [in_memory.by_id[fact_id] for fact_id in asked]
    load(facts)  # builds the index
    assert load(facts).many(asked) == expected
    with pytest.raises(KeyError):
        load(facts).many([ids[0], "no-such-fact"])

    import sqlite3

    opened = load(facts)
    with sqlite3.connect(the_index(cache)) as connection:
        connection.execute("UPDATE facts SET json = '[]' WHERE id = ?", (ids[1],))
    assert opened.many(asked) == expected
    assert sound(facts), "rebuilt"


@pytest.mark.parametrize(
    "args",
    [
        ["show", "no-such-fact"],
        ["show", "canada-surtax-on-chinese-ev"],
        ["people", "carnye"],
        ["people", "li qaing"],
        ["companies", "alibab"],
        ["people", "_"],  # LIKE wildcards typed in a name: the answer is still the file's
        ["people", "a_b"],
    ],
)
def test_a_miss_in_a_large_store_suggests_the_same_with_and_without_the_index(
    runner: CliRunner,
    generated_store: Path,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    """Past SUGGEST_FROM_ALL, close spellings come from the names and ids that sort next to the
    typed one (a typo costs the same at any size): the index and the file find the same ones."""
    from tradecli.query import names

    path = generated_store
    run(runner, path, ["tariffs"])  # build the index
    for threshold in (names.SUGGEST_FROM_ALL, 10):
        monkeypatch.setattr(names, "SUGGEST_FROM_ALL", threshold)
        scanned = run(runner, path, args, cache=False)
        indexed = run(runner, path, args)
        assert indexed == scanned, (args, threshold)
        assert scanned[0] == 1, scanned


def test_an_ambiguous_name_names_ten_candidates_and_counts_the_rest(
    runner: CliRunner, generated_store: Path, cache: Path
) -> None:
    """A word that many names share ('premier', in a generated store) is one short message:
    the first ten candidates and how many more, the same with and without the index."""
    path = generated_store
    run(runner, path, ["tariffs"])  # build the index
    scanned = run(runner, path, ["people", "premier"], cache=False)
    indexed = run(runner, path, ["people", "premier"])
    assert indexed == scanned
    code, _out, err = indexed
    first = err.splitlines()[0]
    assert code == 1
    total = int(first.split(" matches ")[1].split()[0])
    assert total > 10, first
    assert first.endswith(f" and {total - 10} more"), first
    assert first.count(" (") == 10, first
