"""The register's JSON Schema (draft 2020-12), built from the loader's own rules.

The loader is the one authority on what `commitments.yaml` may hold; this module only turns its
rules into a schema for editors (`# yaml-language-server: $schema=...`) and CI
(`check-jsonschema`). The keys of every mapping, the id and date patterns and the statuses are
the loader's and the model's own constants, read when the schema is built, so a key the loader
gains appears here too; a key with no value schema below is reported by `undescribed()` (and
fails the tests) rather than left out. The channel keys (`slack`, `email`) are whatever channels
the caller passes, as the loader is given them.

What a schema cannot judge is left to `commitment-bot validate`: whether a `due` phrase reads,
unique ids and the links between them, evidence for a closing status, dates within the
calendar's range, a channel's address syntax. The schema checks the shape: keys, required keys,
types, patterns, statuses.

Types are YAML 1.2's, as validators and editors see them: the loader reads every scalar as text
(`version: 1` is the text "1", `due: 2023` the year "2023"), but to a validator those are numbers,
so a free text accepts any scalar, `version` accepts 1 or "1", `id` and `due` accept an integer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from bot.register import loader
from bot.register.model import ACTION_KINDS, CHASE_HOWS, STATUSES, TYPES, Schedule
from bot.register.problems import CONTROL
from bot.when.recurrence import NAMED_RULES

Schema = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Literals the loader writes inline rather than as constants (its `_required`, `_route`, and the
# required keys of its `mapping(...)` calls). tests/test_schema.py checks each against the
# loader's behaviour, so they cannot drift.
REQUIRED_TOP = ("version", "commitments")
COMMITMENT_REQUIRED = ("id", "title", "owner")
UPDATE_REQUIRED = ("date", "note")
ACTION_REQUIRED = ("date", "kind")
MATCH_KEYS = ("tags",)
WATCH_REQUIRED = ("query",)  # a GOV.UK or Parliament watch must say what to search for

# No control character but tab and line feed (SPEC §2), in the loader's own character class.
_CONTROLS = CONTROL.pattern.removeprefix("[").removesuffix("]")
_SPECIAL = "\\^$.|?*+()[]{}/"  # escaped in a pattern; ECMA 262 (unicode mode) refuses any other escape
_SCALAR = ["string", "number", "boolean"]  # every YAML 1.2 scalar but null; the loader reads each as text


def shapes(channels: Iterable[str]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every mapping of the register, by the name the loader gives it in its messages
    ("a commitment", "an update"...): its keys and its required keys, as the loader reads them."""
    rules = tuple(channels)
    return {
        "the register": (loader.TOP_KEYS, REQUIRED_TOP),
        "defaults": (loader.DEFAULTS_KEYS, ()),
        "a route": (("match", *rules), ()),
        "match": (MATCH_KEYS, MATCH_KEYS),
        "schedule": (tuple(f.name for f in fields(Schedule)), ()),
        "access": (loader.ACCESS_KEYS, ()),
        "publish": (loader.PUBLISH_KEYS, ()),
        "a commitment": (loader.COMMITMENT_KEYS, COMMITMENT_REQUIRED),
        "an update": (loader.UPDATE_KEYS, UPDATE_REQUIRED),
        "an action": (loader.ACTION_KEYS, ACTION_REQUIRED),
        "source": (loader.SOURCE_KEYS, ()),
        "notify": (rules, ()),
        "watch": (loader.WATCH_KEYS, ()),
        "watch govuk": (loader.GOVUK_KEYS, WATCH_REQUIRED),
        "watch parliament": (loader.PARLIAMENT_KEYS, WATCH_REQUIRED),
    }


_DEFS = {"the register": None, "defaults": "defaults", "a route": "route", "match": "match",
         "schedule": "schedule", "access": "access", "publish": "publish", "a commitment": "commitment",
         "an update": "update", "an action": "action", "source": "source",
         "notify": "notify", "watch": "watch", "watch govuk": "watch_govuk",
         "watch parliament": "watch_parliament"}


def build(channels: Iterable[str]) -> Schema:
    """The schema: `channels` are the register keys a route or `notify:` may name (the shell
    passes `notifiers.target_rules()`'s keys, as it does to the loader)."""
    rules = tuple(channels)
    values = _values(rules)
    objects = {where: _object(keys, required, values[where]) for where, (keys, required) in shapes(rules).items()}
    if rules:  # a route without a channel key points nowhere
        objects["a route"]["anyOf"] = [{"required": [key]} for key in rules]
    objects["source"]["anyOf"] = [{"required": ["title"]}, {"required": ["url"]}]  # "source needs a title or a url"
    objects["notify"]["minProperties"] = 1  # "notify sends nowhere"
    objects["an update"] |= _context_rule()
    top = objects.pop("the register")
    return {
        "$schema": DIALECT,
        "title": "commitment-bot register (commitments.yaml)",
        "description": "Government promises and their deadlines. Generated by `commitment-bot schema` from "
                       "the loader's rules; `commitment-bot validate` checks the meaning too.",
        **top,
        "$defs": {_DEFS[where]: schema for where, schema in objects.items()},
    }


def undescribed(channels: Iterable[str]) -> list[str]:
    """Keys the loader reads that have no value schema here ("a commitment: watch"): each must be
    given one below, or the schema would accept anything under it."""
    rules = tuple(channels)
    values = _values(rules)
    return [f"{where}: {key}" for where, (keys, _) in shapes(rules).items() for key in keys
            if key not in values[where]]


def _object(keys: tuple[str, ...], required: tuple[str, ...], values: dict[str, Schema]) -> Schema:
    unknown: Schema = {"description": "read by commitment-bot; not yet described by this schema"}
    out: Schema = {"type": "object", "properties": {key: values.get(key, unknown) for key in keys},
                   "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def _context_rule() -> Schema:
    """The loader's "a context update cannot carry due" (and status, and deadline), at the key."""
    refused = {key: {"not": {}, "description": f"a context update cannot carry {key}: only the owner's own word "
                                               "changes a status or a deadline"} for key in loader.OWNERS_WORD_KEYS}
    return {"if": {"properties": {"context": {"enum": [True, "true"]}}, "required": ["context"]},
            "then": {"properties": refused}}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _text(description: str, required: bool = True) -> Schema:
    """Text, as the loader reads any scalar; `required` ones may not be empty or blank (its
    `required_text`), the others may be left empty (its `text`)."""
    if required:
        return {"type": _SCALAR, "pattern": f"^[^{_CONTROLS}]*[^\\s{_CONTROLS}][^{_CONTROLS}]*$",
                "description": description}
    return {"type": [*_SCALAR, "null"], "pattern": f"^[^{_CONTROLS}]*$", "description": description}


def _list(description: str) -> Schema:
    """One value or a list of them (the loader's `text_list`); empty means none."""
    return {"type": ["array", *_SCALAR, "null"], "pattern": f"^[^{_CONTROLS}]*$",
            "items": _text(description, required=False), "description": description}


def _any_case(word: str) -> str:
    """A pattern for `word` in any case (the loader reads "Yearly" and "rrule:" too; a JSON
    Schema pattern has no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else f"\\{c}" if c in _SPECIAL else c for c in word)


def _date(description: str) -> Schema:
    return {"type": "string", "pattern": loader.ISO_DATE_RE.pattern, "format": "date",
            "description": f"{description}: YYYY-MM-DD ({loader.RANGE})"}


def _duration(key: str) -> Schema:
    default = str(getattr(loader.BUILTIN_POLICY, key))
    return {**_text(f"{key}: a duration, e.g. \"7 days\", \"2 weeks\", \"6 months\", \"1 year\" or ISO 8601 "
                    "\"P30D\""), "type": "string", "default": default, "examples": [default, "P30D"]}


def _values(channels: tuple[str, ...]) -> dict[str, dict[str, Schema]]:
    """What each key of each mapping holds."""
    due = {**_text("the promised time in the government's own words (\"end August\", \"autumn 2022\") or an "
                   "ISO date; a bare year may be written unquoted"), "type": ["string", "integer"]}
    status = {"enum": list(STATUSES), "description": "the commitment's status"}
    targets = {ch: _list(f"{ch} targets: one, or a list") for ch in channels}
    policy = {key: _duration(key) for key in loader.POLICY_KEYS}
    schedule = {f.name: {**_text(f"when `run` does its {f.name}: a cron expression in the register's timezone"),
                         "type": "string", "default": f.default} for f in fields(Schedule)}
    return {
        "the register": {
            "version": {"enum": [1, "1"], "description": "the register format: 1"},
            "timezone": {**_text("deadlines are whole days in this IANA zone"), "type": "string",
                         "default": "Europe/London"},
            "defaults": _ref("defaults"),
            "routes": {"type": ["array", "null"], "items": _ref("route"),
                       "description": "where alerts go: the first route that matches wins"},
            "commitments": {"type": ["array", "null"], "items": _ref("commitment"),
                            "description": "the promises (`commitments: []` if there are none yet)"},
            "schedule": _ref("schedule"),
            "access": _ref("access"),
            "publish": _ref("publish"),
        },
        "defaults": {**policy,
                     "quarters": {"enum": ["calendar", "financial"], "default": "calendar",
                                  "description": "how a quarter without a year (\"Q4\") is read: a calendar "
                                                 "quarter (Q4 = Oct–Dec) or a financial one (Q4 = Jan–Mar)"}},
        "a route": {"match": _ref("match"), **targets},
        "match": {"tags": _list("the route matches a commitment with any of these tags")},
        "schedule": schedule,
        "access": {"recorders": {"type": "array", "items": {"type": "string", "pattern": loader.SLACK_ID_RE.pattern},
                                 "description": "who may record updates from Slack: user ids (U…) and user-group "
                                                "ids (S…); without it, anyone who can see the alert"}},
        "publish": {"actions": {"type": ["boolean", "string"], "enum": [True, False, "true", "false"], "default": False,
                                "description": "whether the team's own snoozes and chases appear on the site, the "
                                               "feed and the calendar (default: they do not)"}},
        "a commitment": {
            "type": {"enum": list(TYPES), "default": "promise",
                     "description": "promise: the owner's own words; ask: someone (made_by) asks the owner to act; "
                                    "expectation: what the team expects of the owner, with no dated promise"},
            "actions": {"type": ["array", "null"], "items": _ref("action"),
                        "description": "the team's own snoozes and chases (never the government's record)"},
            "id": {"type": ["string", "integer"], "pattern": loader.ID_RE.pattern, "minimum": 0,
                   "maxLength": loader.LONGEST_ID,
                   "description": f"a-z, 0-9 and single hyphens, at most {loader.LONGEST_ID} characters; unique, "
                                  "never reused"},
            "title": _text("what was promised"),
            "owner": _text("who promised it (e.g. Home Office)"),
            "made_by": _text("the person who made the promise", required=False),
            "made_on": _date("the day the promise was made"),
            "due": due,
            "deadline": _date("overrides the reading of `due`"),
            "source": _ref("source"),
            "tags": _list("tags, for routes and filtering"),
            "status": status,
            "updates": {"type": ["array", "null"], "items": _ref("update"), "description": "what happened since"},
            "notify": _ref("notify"),
            "recurs": {"type": "string", "pattern": f"^\\s*(?:{'|'.join(_any_case(r) for r in NAMED_RULES)}"
                                                    f"|{_any_case('RRULE:')}.*)\\s*$",
                       "description": "a repeating promise: a named rule or an RFC 5545 \"RRULE:...\"",
                       "examples": [*NAMED_RULES, "RRULE:FREQ=YEARLY;BYMONTH=4"]},
            "superseded_by": _text("the id of the commitment that replaced this one (with status: superseded)",
                                   required=False),
            "watch": {**_ref("watch"), "description": "where the bot looks for news itself (commitment-bot watch)"},
            **policy,
        },
        "an update": {
            "date": _date("the day of the news"),
            "note": _text("what happened"),
            "due": {**due, "description": "a revised promised time: a slip, or a deadline brought forward"},
            "deadline": _date("overrides the reading of this update's `due`"),
            "status": status,
            "period": _text("for a recurring commitment: the period this update answers (e.g. \"2023-24\")"),
            "source": _ref("source"),
            "said_by": _text("who gave these words (a minister, an official), as made_by does for the first promise",
                             required=False),
            "recorded_by": _text("the team member who recorded it", required=False),
            "by": _text("who recorded it (the older name of recorded_by)", required=False),
            "context": {"type": ["boolean", "string"], "enum": [True, False, "true", "false"], "default": False,
                        "description": "true: what someone other than the owner said about it (a commissioner, a "
                                       "charity, Parliament, the press): shown as context, never the owner's news; "
                                       "it carries no status, due or deadline"},
        },
        "an action": {
            "date": _date("the day the team took this step"),
            "kind": {"enum": list(ACTION_KINDS), "description": "snooze: hold alerts until a day; chase: the team "
                                                                "asked the government; reply: the team's chase was "
                                                                "replied to"},
            "period": _text("for a recurring commitment: the period it is about (e.g. \"2025-26\")"),
            "until": _date("snooze: alerts are held up to and including this day"),
            "how": {"enum": list(CHASE_HOWS), "description": "chase: how the team asked (reply: its chase's)"},
            "ref": _text("chase: the reference (e.g. HL1234); reply: its chase's", required=False),
            "to": _text("chase: to whom", required=False),
            "reply_due": _date("chase: when an answer is due"),
            "chased": _date("reply: the day of the chase it answers (how and ref name the chase too)"),
            "note": _text("a snooze's reason, a chase's note", required=False),
            "recorded_by": _text("the team member who recorded it", required=False),
        },
        "source": {
            "title": _text("the document's title"),
            "url": {"type": ["string", "null"], "pattern": f"^(?:{loader.URL_RE.pattern})$",
                    "description": "http:// or https:// address"},
            "quote": _text("the promise word for word", required=False),
        },
        "notify": targets,
        "watch": {
            "govuk": _ref("watch_govuk"),
            "parliament": _ref("watch_parliament"),
            "pages": {"type": ["array", "string", "null"], "pattern": f"^(?:{loader.URL_RE.pattern})$",
                      "maxLength": loader.LONGEST_PAGE,
                      "items": {"type": "string", "pattern": f"^(?:{loader.URL_RE.pattern})$",
                                "maxLength": loader.LONGEST_PAGE},
                      "description": "pages watched for any change (ETag / Last-Modified, else their text)"},
        },
        "watch govuk": {
            "query": _text("GOV.UK Search API words, e.g. \"migrant victim protocol\""),
            "organisations": {**_list("GOV.UK organisation slugs, e.g. home-office"),
                              "items": {"type": "string", "pattern": loader.SLUG_RE.pattern}},
        },
        "watch parliament": {"query": _text("written questions' and written statements' search term")},
    }
