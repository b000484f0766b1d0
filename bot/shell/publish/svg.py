"""The timeline of one track: each promised window as a bar, slips in grey, the promise in force
in colour, today as a dashed line, readable at every width from a 320 px phone to print.

A chart drawn in one SVG with a viewBox shrinks its text with it (12 px labels were 6 px on a
phone), so the words are HTML and only the shapes are SVG: each promised time is a line of
text (its words, wrapping like any text, at the page's own size) over a strip of SVG whose
positions are percentages of the chart's width. The year grid and today's line are one SVG
stretched behind the strips; the years and "today" are SVG text at a fixed pixel size, never
scaled. A label starts where its bar starts, or, in the right half, ends where it ends (classes
`a-N` and `z-N` in style.css, steps of 5%: the page's CSP allows no inline style).

A chart is on every commitment's page, so its markup is kept lean (issue 26 item 9): only the
positions that differ from chart to chart are attributes, with the sizes SVG 1.1 requires (a
bar's height, a dot's radius: the HTML validator checks SVG 1.1); what every chart shares besides
(a bar's top and corners, a dot's centre, a label's offset) is in style.css, as the SVG 2 geometry
properties and CSS transforms every current browser supports, and style.css knows the grid, each
bar and the axis by their place in the chart, not by a class on each.

The chart is for sighted readers: `role="img"` (its words and shapes are not read out) with a name
that says what it shows and points to the table after it, which gives the same facts in text.
Every text is escaped here; nothing from the register reaches the markup unescaped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from html import escape

from bot.decide import words
from bot.shell.publish.chronicle import Line, Step

# A date, a financial year or a sum inside register text: kept on one line ("2022-" / "02-21",
# "3 Jan" / "2023" and "£1.4" / "million" were each broken on a phone).
WHOLE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{4}[-/]\d{2}\b|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                   r"[a-z]*(?: \d{4})?\b|£[\d.,]+ (?:million|billion|thousand)\b")
DIGIT = re.compile(r"\d")
LEFT, RIGHT = 1.5, 98.5  # the percentages a date can take: a dot at either end stays whole
EDGE = 84  # from here a year or "today" is written left of its line (38 px is 13% of a 320 px phone's chart)
STEP = 5  # label positions, in percent of the chart's width (style.css has a class for each)


def timeline_html(line: Line, today: date) -> str:
    start, end = _span(line, today)
    ticks = _ticks(start, end)
    end = _room_for_last_year(start, end, ticks)
    origin, scale = start.toordinal(), (RIGHT - LEFT) / max((end - start).days, 1)

    def x(d: date) -> float:
        return round(LEFT + scale * (d.toordinal() - origin), 1)

    # The years' lines are drawn in a box 100 wide and 1 high stretched over the chart: a line is
    # "M{x} 0V1", and style.css keeps its stroke 1 px wide however far the box is stretched. Today's
    # dashed line stays outside that box: browsers differ on how a stretched box scales dashes.
    paths = "".join(f"M{x(t)} 0V1" for t in ticks)
    grid = f'<svg viewBox="0 0 100 1" preserveAspectRatio="none"><path d="{paths}"/></svg>' if ticks else ""
    parts = [f'<div class="tl" role="img" aria-label="{escape(_title(line))}">',
             f'<svg>{grid}<line class="now" x1="{x(today)}%" x2="{x(today)}%" y2="100%"/></svg>']
    closed = line.track.closing is not None
    parts += [_step(step, x, today, closed) for step in line.steps]
    now = x(today)
    years = "".join(f'<text{_anchor(at)} x="{at}%">{year}</text>' for at, year in _years(ticks, x))
    parts.append(f'<svg><text{_anchor(now, "now")} x="{now}%">today</text>{years}</svg></div>')
    return "".join(parts)


def _step(step: Step, x: Callable[[date], float], today: date, closed: bool) -> str:
    """One promised time: its words on a line of their own, then its bar; the end of the promise
    in force is red once it passed with the track still open."""
    p = step.promise
    window = p.window
    begin = p.on or (window.earliest if window else None) or today
    finish = window.latest if window and window.latest else today
    label = keep_whole(escape(_cut(p.phrase or "(no date given)", 80) + (f" (slip {step.slip})" if step.slip else "")))
    kind = "cur" if step.current else "old"
    out = [f'<p class="{kind} {_place(x(begin), x(finish))}">{label}</p><svg>']
    if window is None or window.latest is None:  # open-ended: runs on past today
        out.append(f'<line class="open" x1="{x(begin)}%" y1="10" x2="{x(today)}%" y2="10"/></svg>')
        return "".join(out)
    early = window.earliest or begin
    width = max(round(x(window.latest) - x(early), 1), 0.3)
    late = ' class="late"' if step.current and window.latest < today and not closed else ""
    out.append(f'<line x1="{x(begin)}%" y1="10" x2="{x(window.latest)}%" y2="10"/>'
               f'<rect x="{x(early)}%" width="{width}%" height="8"/><circle{late} cx="{x(window.latest)}%" r="5"/></svg>')
    return "".join(out)


def _place(begin: float, finish: float) -> str:
    """Start the label at its bar's start, or, past the middle, end it at the bar's end: it always
    has at least half the chart's width to wrap in."""
    if begin <= 50:
        return f"a-{int(begin // STEP) * STEP}"
    return f"z-{min(int((100 - finish) // STEP) * STEP, 50)}"


def keep_whole(escaped: str) -> str:
    """Escaped text with each date, financial year and sum in it in a span that never wraps."""
    return WHOLE.sub(lambda m: f'<span class="nw">{m.group(0)}</span>', escaped) if DIGIT.search(escaped) else escaped


def _anchor(at: float, *names: str) -> str:
    """Years and "today" are short: they sit right of their line, or left of it near the right edge
    (class `r`: style.css ends it 4 px before its line; without it, it starts 4 px after). A year is
    on the axis's lower row, "today" (class `now`) on its upper one."""
    classes = " ".join((*names, "r") if at >= EDGE else names)
    return f' class="{classes}"' if classes else ""


def _years(ticks: list[date], x: Callable[[date], float]) -> list[tuple[float, int]]:
    """The year of each tick, written right of its line, in the year it names: the chart leaves the
    last line room for its label (_room_for_last_year). A label written left of its line would sit
    in the year before (a reader took today, 23 Nov 2026, to be in "2027")."""
    return [(x(t), t.year) for t in ticks]


def _room_for_last_year(start: date, end: date, ticks: list[date]) -> date:
    """The chart's last day: far enough past the last year's line that its label fits right of it,
    inside the year it names (a 2027 line near the edge had no label, "spring 2027" beside it)."""
    if not ticks:
        return end
    need = math.ceil((ticks[-1] - start).days * (RIGHT - LEFT) / (EDGE - 1 - LEFT))
    return max(end, start + timedelta(days=need))


def _ticks(start: date, end: date) -> list[date]:
    """1 January of every year in the span, or of every 2nd, 5th or 10th when there are many:
    at most six, so four-digit years never crowd on a 320 px screen."""
    years = list(range(start.year + 1, end.year + 1))
    every = next(n for n in (1, 2, 5, 10, 20, 50, 100, 10**6) if len(years) / n <= 6)
    return [date(y, 1, 1) for y in years if y % every == 0]


def _span(line: Line, today: date) -> tuple[date, date]:
    dates = [today]
    for s in line.steps:
        w = s.promise.window
        dates += [d for d in (s.promise.on, w.earliest if w else None, w.latest if w else None) if d is not None]
    start, end = min(dates), max(dates)
    pad = timedelta(days=max(30, (end - start).days // 20))
    return start - pad, end + pad


def _title(line: Line) -> str:
    """The chart's name; its text alternative is the table after it, which gives every date."""
    n = len(line.steps)
    times = words.of(line.track.commitment.type).times[n > 1]
    return (f"Timeline{' for ' + line.period if line.period else ''}: {n} {times} and "
            f"{line.slips or 'no'} slip{'' if line.slips == 1 else 's'}, in the table below")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
