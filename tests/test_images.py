"""The README's pictures are what the program draws now, and the README shows every one."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from types import ModuleType

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "images.py"


@pytest.fixture(scope="module")
def images() -> ModuleType:
    """scripts/images.py, imported as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("scripts_images", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # for its dataclass, which looks its module up there
    spec.loader.exec_module(module)
    return module


def test_the_readme_shows_every_picture_the_script_draws(images: ModuleType) -> None:
    """Each image the README links is drawn by the script, and each one it draws is shown."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\(docs/images/([^)]+)\)", readme)
    assert sorted(shown) == sorted(images.NAMES)
    assert sorted(path.name for path in images.IMAGES.glob("*.svg")) == sorted(images.NAMES)


@pytest.mark.slow
def test_the_pictures_are_what_the_program_draws() -> None:
    """Drawn again from the bundled data, every picture is byte for byte the committed one."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
