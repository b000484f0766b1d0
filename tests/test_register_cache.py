"""The register cache is keyed on the file, not on how its path was typed (issue 22 item 19):
cron's `--file /srv/r.yaml` and a person's `--file r.yaml` share one parse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.register.model import Register
from bot.shell.registerfile import read
from tests.conftest import REPO


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copyfile(REPO / "commitments.yaml", tmp_path / "commitments.yaml")
    (tmp_path / "link.yaml").symlink_to("commitments.yaml")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("spelled", ["commitments.yaml", "./commitments.yaml", "sub/../commitments.yaml", "link.yaml",
                                     "{folder}/commitments.yaml"])
def test_every_spelling_of_the_file_is_served_from_the_cache(folder: Path, spelled: str) -> None:
    first = read(Path("commitments.yaml"))
    assert first.register is not None
    asked: list[str] = []

    def cached(source_hash: str) -> Register | None:
        asked.append(source_hash)
        return first.register if source_hash == first.source_hash else None

    again = read(Path(spelled.format(folder=folder)), cached)
    assert asked == [first.source_hash] and again.register is first.register  # not parsed again


def test_another_file_with_the_same_text_is_another_register(folder: Path) -> None:
    """Two checkouts holding the same text are still two registers: the key names the real file."""
    shutil.copyfile(folder / "commitments.yaml", folder / "sub" / "commitments.yaml")
    assert read(Path("commitments.yaml")).source_hash != read(Path("sub/commitments.yaml")).source_hash
