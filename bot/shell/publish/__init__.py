"""Publishing the register: a static site, a calendar, a feed and a table (SPEC §6.4).

Everything is built from `Inputs` (inputs.py), read once from the store, and `now`; the same
inputs give the same bytes. `refresh` is what `run` calls after each check:

    from bot.shell.publish import refresh
    refresh(app.store, register, now, Path("/srv/www/commitments"))

It writes the whole site into a new directory beside the target and swaps it in (swap.py), so
a reader never sees half a site.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.register.model import Register
    from bot.shell.publish.site import Written
    from storage.repository import Store


def refresh(store: Store, register: Register, now: datetime, target: Path, title: str = "Government commitments",
            base_url: str | None = None, link: bool = True) -> Written:
    """Rebuild the site at `target` from the store (the register already synced) as at `now`.

    With `link` (the default, for a live server) `target` becomes a symlink to the current
    version, swapped with one atomic rename; without it `target` stays a plain directory."""
    from bot.shell.publish.inputs import gather
    from bot.shell.publish.site import write_site
    from bot.shell.publish.swap import swap_in

    inputs = gather(store, register, now)
    return swap_in(target, lambda out: write_site(inputs, out, title, base_url), link=link)
