"""Putting a freshly written directory in place so that no reader ever sees half of it.

`swap_in(target, write, link=True)`: write into a new directory beside `target`, then point
`target` (a symlink) at it with one `os.replace`, which is atomic on POSIX: a reader sees the
old site or the new one. The previous version is kept until the next swap, so a page opened
just before a swap can still load its stylesheet; older ones are removed.

`link=False` leaves `target` a plain directory (what `export site` makes, to upload): the old
one is renamed aside and the new one renamed in, two renames with a moment between them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
MARK = ".commitment-bot-site"  # in every site written: only a directory holding it is ever replaced


class NotASite(Exception):
    """`target` holds something the bot did not write: it is never replaced (or deleted)."""


def check_target(target: Path) -> None:
    """Refuse a target that is a file, or a directory with content the bot did not write
    (`export site .` in the register's folder must not replace the register and the database)."""
    if target.is_symlink() or target.is_dir():
        if (target / MARK).exists() or not target.is_symlink() and not any(target.iterdir()):
            return
        raise NotASite(f"{target} already holds files that commitment-bot did not write, and a site replaces its "
                       "directory whole: give a new or empty directory (e.g. public/)")
    if target.exists():
        raise NotASite(f"{target} is a file, not a directory: give a new or empty directory (e.g. public/)")


def swap_in(target: Path, write: Callable[[Path], T], link: bool = True) -> T:
    target = target.absolute()
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        result = write(fresh)
        (fresh / MARK).write_text("Written by `commitment-bot export site`: this directory is replaced whole on each "
                                  "export.\n", encoding="utf-8")
        fresh.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if link or target.is_symlink():
        _point(target, fresh)
    else:
        _rename(target, fresh)
    return result


def _point(target: Path, fresh: Path) -> None:
    previous = Path(os.readlink(target)).name if target.is_symlink() else None
    if target.exists() and not target.is_symlink():  # a plain directory (the bot's: check_target), once
        aside = target.with_name(f".{target.name}.replaced-{fresh.name}")  # a new name: never a person's folder
        target.rename(aside)
        shutil.rmtree(aside, ignore_errors=True)
    pointer = target.with_name(f".{target.name}.link-{fresh.name}")
    pointer.symlink_to(fresh.name)  # relative: the pair can be moved together
    os.replace(pointer, target)
    keep = {fresh.name, previous}
    for old in target.parent.glob(f".{target.name}.*"):
        if old.name not in keep and _ours(old):
            shutil.rmtree(old, ignore_errors=True)


def _ours(folder: Path) -> bool:
    """A site the bot wrote: a real directory with the marker. A person's `.public.backup` beside
    the target matches the same pattern and is never removed."""
    return folder.is_dir() and not folder.is_symlink() and (folder / MARK).is_file()


def _rename(target: Path, fresh: Path) -> None:
    aside = None
    if target.exists():
        aside = target.with_name(f".{target.name}.old-{fresh.name}")
        target.rename(aside)
    fresh.rename(target)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
