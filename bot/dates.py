"""The Python surface SPEC §4 promises: `from bot.dates import resolve`. The reader itself lives
in the `bot/when/` room; this module only keeps that documented import working."""

from bot.when.dates import UnreadableDate, Window, resolve

__all__ = ["UnreadableDate", "Window", "resolve"]
