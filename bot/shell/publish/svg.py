"""The timeline of one track as inline SVG: each promised window as a bar, slips in grey, the
promise in force in colour, and today as a dashed line.

The chart is decoration for sighted readers: `role="img"` with a title and a description that
say what it shows, and the page gives the same facts as a table beside it (its text alternative).
Every text is escaped here; nothing from the register reaches the markup unescaped.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from bot.shell.publish.chronicle import Line, Step

WIDTH, LEFT, RIGHT, ROW, TOP = 720, 8, 12, 34, 26
NOW_COLOUR, CURRENT, SLIPPED, LATE = "#1d4f91", "#1d4f91", "#6b6b6b", "#a4161a"


def timeline_svg(line: Line, today: date, ident: str) -> str:
    """`ident` makes the ids of the title and description unique on the page."""
    start, end = _span(line, today)
    days = max((end - start).days, 1)

    def x(d: date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (d - start).days / days, 1)

    height = TOP + ROW * len(line.steps) + 22
    parts = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{ident}-t">{escape(_title(line))}</title>',
             f'<desc id="{ident}-d">{escape(_desc(line, today))}</desc>']
    for year in range(start.year + 1, end.year + 1):
        tick = x(date(year, 1, 1))
        parts.append(f'<line x1="{tick}" y1="{TOP - 8}" x2="{tick}" y2="{height - 18}" class="grid"/>'
                     f'<text x="{tick + 3}" y="{height - 6}" class="axis">{year}</text>')
    for i, step in enumerate(line.steps):
        parts.append(_bar(step, TOP + ROW * i, x, today))
    tx = x(today)
    parts.append(f'<line x1="{tx}" y1="4" x2="{tx}" y2="{height - 18}" class="today" stroke="{NOW_COLOUR}"/>'
                 f'<text x="{min(tx + 3, WIDTH - 40)}" y="14" class="axis">today</text></svg>')
    return "".join(parts)


def _bar(step: Step, y: int, x, today: date) -> str:  # type: ignore[no-untyped-def]
    p = step.promise
    window = p.window
    colour = CURRENT if step.current else SLIPPED
    begin = p.on or (window.earliest if window else None) or today
    label = escape(_cut(p.phrase or "(no words)", 60) + (f" (slip {step.slip})" if step.slip else ""))
    out = [f'<text x="{x(begin)}" y="{y + 8}" class="label" text-anchor="{_anchor(x(begin))}">{label}</text>']
    if window is None or window.latest is None:  # open-ended: runs on past today
        out.append(f'<line x1="{x(begin)}" y1="{y + 16}" x2="{x(today)}" y2="{y + 16}" stroke="{colour}" '
                   'stroke-width="3" stroke-dasharray="6 4"/>')
        return "".join(out)
    early = window.earliest or begin
    out.append(f'<line x1="{x(begin)}" y1="{y + 16}" x2="{x(window.latest)}" y2="{y + 16}" stroke="{colour}" '
               'stroke-width="1.5"/>')
    out.append(f'<rect x="{x(early)}" y="{y + 12}" width="{max(x(window.latest) - x(early), 2)}" height="8" '
               f'fill="{colour}" rx="2"/>')
    mark = LATE if step.current and window.latest < today else colour
    out.append(f'<circle cx="{x(window.latest)}" cy="{y + 16}" r="5" fill="{mark}"/>')
    return "".join(out)


def _span(line: Line, today: date) -> tuple[date, date]:
    dates = [today]
    for s in line.steps:
        w = s.promise.window
        dates += [d for d in (s.promise.on, w.earliest if w else None, w.latest if w else None) if d is not None]
    start, end = min(dates), max(dates)
    pad = timedelta(days=max(30, (end - start).days // 20))
    return start - pad, end + pad


def _anchor(at: float) -> str:
    return "end" if at > WIDTH * 0.7 else "start"


def _title(line: Line) -> str:
    what = f"Timeline of the {line.period} occurrence" if line.period else "Timeline of the promised dates"
    return f"{what}: {len(line.steps)} promised time(s), {line.slips} slip(s)"


def _desc(line: Line, today: date) -> str:
    said = [f"{s.promise.on or 'undated'}: {s.promise.phrase or 'no words'} ({s.reading})" for s in line.steps]
    return "; ".join(said) + f". Today is {today.isoformat()}; the table below lists the same dates."


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
