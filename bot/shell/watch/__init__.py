"""The evidence watch and source checks (SPEC §6.3): GOV.UK, Parliament and watched pages asked
through the one polite HTTP client (bot.shell.http); what they find is stored as leads.

`run_watch(store, register, settings, now) -> WatchReport` is the pass `watch` and `run` call;
`check_sources(...)` is `commitment-bot sources`.
"""

from bot.shell.watch.run import Bases, WatchReport, run_watch, watch
from bot.shell.watch.sources import SourceCheck, check_sources

__all__ = ["Bases", "SourceCheck", "WatchReport", "check_sources", "run_watch", "watch"]
