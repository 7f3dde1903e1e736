"""Shell completion through Typer's real machinery: names, sources and fact ids."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, env_without_tradecli


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
