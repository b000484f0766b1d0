"""`export csv`: the status table for a report: the `status --json` fields plus tags.

A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is written with a
leading apostrophe, so register text can never become a formula in someone's spreadsheet; so is
any part of a cell after a separator (`,`, `;`, tab, a line break), and every cell is quoted: a
spreadsheet that reads `;` as its separator (the default in much of Europe) splits a cell there.
`state` is the state `status --json` gives (SPEC §6.4: the table is those fields plus more), so
a program can join the two; `said_as` beside it is the state as people say it for its type (SPEC
§7.1): an expectation past its date has "no news", an ask "no answer"; only a promise "lapsed".
"""

from __future__ import annotations

import csv
import io
import re

from bot.decide import words
from bot.decide.status import StatusRow
from bot.shell.publish.inputs import Inputs

FIELDS = ("id", "title", "type", "state", "said_as", "deadline", "days_overdue", "slips", "last_update", "owner", "period",
          "due", "tags")


def csv_text(inputs: Inputs, rows: list[StatusRow] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(FIELDS)
    for r in rows if rows is not None else inputs.rows():
        values = {**r.to_json(), "tags": ";".join(r.tags), "said_as": words.state_word(r.state, r.said_type)}
        writer.writerow([_cell(values[f]) for f in FIELDS])
    return out.getvalue()


_AFTER_SEPARATOR = re.compile(r"""([,;\t\r\n][\s"']*)(?=[=+\-@])""")


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = _AFTER_SEPARATOR.sub(r"\1'", value)
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    return "" if value is None else value
