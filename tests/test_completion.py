"""Shell completion through Typer's real machinery: names, sources and fact ids, and the words
of every vocabulary option."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, env_without_tradecli
from tradecli.cli.citing import CiteFormat
from tradecli.facts.vocab import Certainty, Channel, EventStatus, MeasureStatus, StatementKind
from tradecli.render import Format

# The tradecli command installed beside this Python (the venv's console script).
INSTALLED = Path(sys.executable).with_name("tradecli")


def complete(words: str) -> list[str]:
    """What bash completion offers for the last of ``words``."""
    env = env_without_tradecli()
    env.update(
        {
            "_TRADECLI_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    script = "import sys; sys.argv = ['tradecli']; from tradecli.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("tradecli quote car", "carney"),
        ("tradecli people zh", "zhao-leji"),
        ("tradecli companies contemp", "contemporary"),
        ("tradecli show meeting-x", "meeting-xi-scheduled"),
        ("tradecli tariffs --source cp-f", "cp-five-things"),
    ],
)
def test_completion_offers_names_sources_and_ids(words: str, expected: str) -> None:
    """Speakers, entities, source ids and fact ids complete from the bundled store."""
    offered = complete(words)
    assert expected in offered
    typed = words.split()[-1]
    assert all(value.startswith(typed) for value in offered)


def test_completion_descriptions_cannot_act_in_the_shell(tmp_path: pytest.TempPathFactory) -> None:
    """A hostile name completes as visible text on one line: no newline adds a completion of
    its own, no escape code reaches the terminal (zsh shows descriptions)."""
    import json

    from conftest import BUNDLED

    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["people"][0]["name"] = "Evil\nrm -rf ~\x1b]0;pwned\x07 Carnage"
    path = tmp_path / "facts.json"  # type: ignore[operator]
    path.write_text(json.dumps(data), encoding="utf-8")
    env = env_without_tradecli()
    env.update(
        {
            "_TRADECLI_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "tradecli people carn",
            "TRADECLI_DATA": str(path),
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    script = "import sys; sys.argv = ['tradecli']; from tradecli.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert "rm -rf" not in [line.strip() for line in done.stdout.splitlines()]
    assert "Evil\\x0arm -rf" in done.stdout, done.stdout


def offered_by_installed(line: str, *, shell: str = "bash") -> list[str]:
    """What the installed ``tradecli`` offers, through the completion protocol its shell script
    speaks, for the last word of ``line`` (a line ending in a space completes a new word)."""
    if not INSTALLED.is_file():
        pytest.skip(f"no tradecli installed beside {sys.executable}")
    env = env_without_tradecli()
    words = line.split()
    env["_TRADECLI_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        env["COMP_WORDS"] = line
        env["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
    done = subprocess.run(
        [str(INSTALLED)], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("tradecli tariffs --status ", MeasureStatus),
        ("tradecli meetings --status ", EventStatus),
        ("tradecli quote --channel ", Channel),
        ("tradecli statements --kind ", StatementKind),
        ("tradecli tariffs --certainty ", Certainty),
        ("tradecli browse --certainty ", Certainty),
        ("tradecli search --format ", Format),
        ("tradecli tariffs -f ", Format),
        ("tradecli cite -f ", CiteFormat),
    ],
)
def test_a_vocabulary_option_offers_its_words(line: str, words: type[object]) -> None:
    """<Tab> after a vocabulary option offers exactly its declared words, not file names."""
    assert offered_by_installed(line) == [word.value for word in words]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("tradecli tariffs --status sus", ["suspended"]),
        ("tradecli tariffs --status in_force,l", ["in_force,lifted"]),
        ("tradecli quote --channel readout,re", ["readout,remarks"]),
        ("tradecli statements --certainty claimed,", None),
        ("tradecli meetings --status h", ["held", "happened"]),
    ],
)
def test_words_complete_after_a_comma(line: str, expected: list[str] | None) -> None:
    """The last of several words completes after the ones given, which are not offered again."""
    offered = offered_by_installed(line)
    if expected is None:
        assert offered == [f"claimed,{word.value}" for word in Certainty if word.value != "claimed"]
    else:
        assert offered == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("tradecli show carn", "carney"),
        ("tradecli show meeting-x", "meeting-xi"),
        ("tradecli cite meeting-xi ap-", "ap-ev-deal"),
        ("tradecli sources cp-f", "cp-five-things"),
        ("tradecli timeline --with qia", "qiang"),
        ("tradecli quote --side chi", "china"),
    ],
)
def test_an_id_argument_completes_names_as_well_as_ids(line: str, expected: str) -> None:
    """show and cite take an entity's name as well as an id: both complete."""
    offered = offered_by_installed(line)
    assert expected in offered
    assert all(value.startswith(line.split()[-1]) for value in offered)


@pytest.mark.parametrize("line", ["tradecli show carn", "tradecli tariffs --status "])
def test_zsh_descriptions_are_one_visible_line_each(line: str, tmp_path: Path) -> None:
    """In zsh, which shows each completion's description, a hostile name from the fact file
    stays one line of visible text: no escape code, no newline adding a completion."""
    import json

    from conftest import BUNDLED

    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["people"][0]["name"] = "Carnage\nrm -rf ~\x1b]0;pwned\x07 [red]x[/red]"
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    offered = offered_by_installed(
        f"tradecli --data {path} {line.removeprefix('tradecli ')}", shell="zsh"
    )
    assert offered
    text = "\n".join(offered)
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "rm -rf ~" not in [entry.strip() for entry in offered]
    if " show " in line:
        assert "Carnage\\x0arm -rf" in text, text
