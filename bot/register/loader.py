"""Turning register files into a validated `Register`, reporting every problem at once.

The loader is pure: it takes `(name, text)` pairs and returns either a register or the list of
problems, so a file that fails validation can never reach the database.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.register.links import URL_RE, malformed
from bot.register.model import (
    ACTION_KINDS,
    CHASE_HOWS,
    STATUSES,
    TERMINAL,
    TYPES,
    Action,
    Commitment,
    Policy,
    Register,
    Route,
    Schedule,
    Source,
    Targets,
    Update,
    Watch,
)
from bot.register.problems import Problem, did_you_mean, in_order, one_of
from bot.register.recording import Numbering, ends_before, promised
from bot.register.yamlnodes import NodeReader, compose, span
from bot.when.cron import cron_problem, dst_gap_problem
from bot.when.dates import FIRST_DAY, LAST_DAY, QUARTERS, UnreadableDate, Window, outside
from bot.when.durations import MAX_YEARS, Duration, UnreadableDuration, parse_duration, too_long
from bot.when.recurrence import (
    HORIZON_YEARS,
    NAMED_RULES,
    UnreadableRule,
    check_rule,
    find,
    first_date,
    occurrences,
)

TOP_KEYS = ("version", "timezone", "defaults", "routes", "commitments", "schedule", "access", "publish")
ACCESS_KEYS = ("recorders",)
PUBLISH_KEYS = ("actions",)  # `publish: {actions: true}`: the team's own steps appear on the site and feeds
SLACK_ID_RE = re.compile(r"[UWS][A-Z0-9]{2,20}")
RANGE = f"dates must stay within years {FIRST_DAY.year}–{LAST_DAY.year}"
POLICY_KEYS = ("grace", "remind_every", "heads_up", "check_in")
# The spans that repeat an alert, so may not be 0 (grace and heads_up may: alert on the day itself).
REPEATING = {"remind_every": "the lapsed reminder", "check_in": "the gone-silent alert"}
# `defaults:` holds the policy and, for the whole register only, how a quarter without a year is read.
DEFAULTS_KEYS = (*POLICY_KEYS, "quarters")
COMMITMENT_KEYS = (
    "id", "title", "owner", "made_by", "made_on", "due", "deadline", "source", "tags", "status",
    "updates", "notify", "recurs", "superseded_by", "watch", "type", "actions", *POLICY_KEYS,
)
# `by` is 0.3's name for `recorded_by`: registers written then still read.
UPDATE_KEYS = ("date", "note", "due", "deadline", "status", "period", "source", "said_by", "recorded_by", "by",
               "context")
# What only the owner's own word may set: a context update (someone else's statement) carries none.
OWNERS_WORD_KEYS = ("status", "due", "deadline")
ACTION_KEYS = ("date", "kind", "period", "until", "how", "ref", "to", "reply_due", "chased", "note", "recorded_by")
SOURCE_KEYS = ("title", "url", "quote")
WATCH_KEYS = ("govuk", "parliament", "pages")  # SPEC §6.3: where news of a commitment would appear
GOVUK_KEYS = ("query", "organisations")
PARLIAMENT_KEYS = ("query",)
# The keys of a commitment that hold mappings (or lists of them), with their keys: a key indented
# one level too far in or out between them is told where it belongs.
COMMITMENT_CHILDREN = {"source": SOURCE_KEYS, "watch": WATCH_KEYS, "updates": UPDATE_KEYS, "actions": ACTION_KEYS}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # a GOV.UK organisation slug, as in its URLs
# Each channel's target check, keyed by its register key ("slack", "email"): the channels own
# their syntax (notifiers.target_rules), and the shell passes them in, so the core imports no channel.
TargetRules = Mapping[str, Callable[[str], str | None]]
BUILTIN_POLICY = Policy(
    grace=Duration(days=7), remind_every=Duration(days=30), heads_up=Duration(days=14),
    check_in=Duration(months=6),
)
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Every key a register may hold but the channels' (a route's and notify's), to tell a key written
# without its colon from a note that is no key.
ALL_KEYS = frozenset((*TOP_KEYS, *ACCESS_KEYS, *PUBLISH_KEYS, *DEFAULTS_KEYS, *COMMITMENT_KEYS, *UPDATE_KEYS,
                      *ACTION_KEYS, *SOURCE_KEYS, *WATCH_KEYS, *GOVUK_KEYS, *PARLIAMENT_KEYS, "match",
                      *(f.name for f in dataclass_fields(Schedule))))
# Values kept in columns of bounded length (storage.models): each is refused here, at its line,
# rather than by PostgreSQL halfway through a check (SQLite would have kept it whole).
LONGEST_ID = 100  # typed in commands, shown in links and Slack buttons; stored in String(200) columns
LONGEST_PAGE = 250  # a page's lead is told under "lead|ID||URL#changed-DAY", a String(400) column
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _clipped(text: str, length: int = 60) -> str:
    """At most `length` characters of a value, for a message that must stay one readable line."""
    return text if len(text) <= length else text[: length - 1] + "…"


def _shown(text: str) -> str:
    """Quote a value for a one-line message, making any newline in it visible."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Loaded:
    register: Register | None
    problems: tuple[Problem, ...]


def load(sources: Sequence[tuple[str, str]], targets: TargetRules) -> Loaded:
    """Read several files as one register (ids unique across all of them); `targets` are the
    channels a route or `notify:` may name, with each one's check of an address."""
    reader = _RegisterReader(targets)
    for name, text in sources:
        reader.read_file(name, text)
    return reader.finish()


def parse_date(text: str) -> date | None:
    if not ISO_DATE_RE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _RegisterReader:
    def __init__(self, targets: TargetRules) -> None:
        self.targets = targets
        self.problems: list[Problem] = []
        self.settings: dict[str, object] = {}
        self.settings_at: dict[str, str] = {}
        self.raw: list[tuple[NodeReader, Node, dict[str, Node], str]] = []
        self.route_nodes: list[tuple[NodeReader, Node, Route]] = []
        self.schedule_checks: list[tuple[NodeReader, Node, str, str]] = []
        self.present: set[str] = set()  # top-level keys written in any file
        self.tops: list[tuple[str, Node]] = []  # each file's top mapping, for a missing-key problem
        self.unreadable = False  # a file that does not parse may hold the keys we miss

    # -- top level -------------------------------------------------------------------------
    def read_file(self, name: str, text: str) -> None:
        root, problems = compose(text, name, ALL_KEYS | frozenset(self.targets))
        self.problems += problems
        if root is None:
            self.unreadable = True
            if not problems:
                self.problems.append(Problem(name, 1, 1, "the file is empty: add `version: 1` and `commitments:`"))
            return
        r = NodeReader(name)
        top = r.mapping(root, "the register", TOP_KEYS)
        self.present.update(top)
        self.tops.append((name, root))
        self.unreadable = self.unreadable or not isinstance(root, MappingNode)
        for key in ("version", "timezone", "defaults", "routes", "schedule", "access", "publish"):
            if key in top:
                self._setting(r, key, top[key])
        for node in r.items(top["commitments"], "commitments", "id") if "commitments" in top else []:
            fields = r.mapping(node, "a commitment", COMMITMENT_KEYS, ("id", "title", "owner"), COMMITMENT_CHILDREN)
            self.raw.append((r, node, fields, text))
        self.problems += r.problems
        r.problems = []

    def _setting(self, r: NodeReader, key: str, node: Node) -> None:
        if key == "version" and key in self.settings_at and r.text(node, "version") == "1":
            return  # each file of a folder may say `version: 1`, so each is a valid register alone
        if key in self.settings_at:
            r.error(node, f'"{key}" is already set in {self.settings_at[key]}: set it in one file only')
            return
        self.settings_at[key] = r.file
        if key == "version":
            if r.text(node, "version") != "1":
                r.error(node, 'version must be 1 (write "version: 1")')
        elif key == "timezone":
            self.settings[key] = _timezone(r, node)
        elif key == "defaults":
            fields = r.mapping(node, "defaults", DEFAULTS_KEYS)
            self.settings[key] = _policy(r, fields, BUILTIN_POLICY)
            if "quarters" in fields:
                self.settings["quarters"] = _quarters(r, fields["quarters"])
        elif key == "routes":
            routes = [_route(r, n, self.targets) for n in r.sequence(node, "routes")]
            self.route_nodes += [(r, n, route) for n, route in zip(node.value, routes, strict=False) if route]
        elif key == "schedule":
            self.settings[key] = _schedule(r, node, self.schedule_checks)
        elif key == "access":
            self.settings[key] = _recorders(r, node)
        elif key == "publish":
            self.settings[key] = _publish(r, node)

    # -- commitments -----------------------------------------------------------------------
    def _required(self) -> None:
        """`version` and `commitments` must each be written, in one file at least (SPEC §2): a
        register without them would archive every promise. `commitments: []` (or an empty
        `commitments:`) is allowed: writing the key says there are none yet, which a new register
        needs; a key left out says nothing, and a file of settings alone must not read as no promises."""
        if self.unreadable or not self.tops:
            return
        name, root = self.tops[0]
        many = len(self.tops) > 1
        r = NodeReader(name)
        if "version" not in self.present:
            where = "to one of the files in this directory" if many else "at the top of the file"
            r.error(root, f'the register has no "version": add `version: 1` {where}')
        if "commitments" not in self.present:
            where = " in one of the files in this directory" if many else ""
            r.error(root, 'the register has no "commitments", so every promise would be archived: add '
                          f"`commitments:` with its list{where} (`commitments: []` if there are none yet)")
        self.problems += r.problems

    def finish(self) -> Loaded:
        self._required()
        defaults = self.settings.get("defaults")
        policy = defaults if isinstance(defaults, Policy) else BUILTIN_POLICY
        setting = self.settings.get("quarters")
        quarters = setting if isinstance(setting, str) else "calendar"
        seen = self._ids()
        commitments = [c for r, node, fields, text in self.raw
                       if (c := _commitment(r, node, fields, policy, text, self.targets, quarters))]
        for r, _node, fields, _ in self.raw:
            self._check_links(r, fields, seen)
        all_tags = {t for _r, _n, fields, _t in self.raw if "tags" in fields
                    for t in NodeReader("").text_list(fields["tags"], "tags")}
        for r, node, route in self.route_nodes:
            for tag in route.tags or ():
                if tag not in all_tags:
                    r.error(node, f'route matches tag "{tag}" but no commitment has it{did_you_mean(tag, all_tags)}')
        tz = self.settings.get("timezone")
        for r, node, key, expr in self.schedule_checks:  # needs the timezone, which may come later
            if (gap := dst_gap_problem(expr, tz if isinstance(tz, str) else "Europe/London")):
                r.error(node, f"schedule {key}: {gap}")
                self.problems += r.problems
                r.problems = []
        for r, *_ in self.raw:
            self.problems += r.problems
            r.problems = []
        for r, *_ in self.route_nodes:
            self.problems += r.problems
            r.problems = []
        problems = in_order(self.problems)
        if problems:
            return Loaded(None, problems)
        tz = self.settings.get("timezone")
        schedule = self.settings.get("schedule")
        register = Register(
            timezone=tz if isinstance(tz, str) else "Europe/London",
            defaults=policy,
            routes=tuple(route for _, _, route in self.route_nodes),
            commitments=tuple(commitments),
            schedule=schedule if isinstance(schedule, Schedule) else Schedule(),
            quarters=quarters,
            recorders=access if isinstance(access := self.settings.get("access"), tuple) else (),
            publish_actions=self.settings.get("publish") is True,
        )
        return Loaded(register, ())

    def _ids(self) -> dict[str, str]:
        """Every id in the files, broken commitments included, so duplicates are never hidden."""
        seen: dict[str, str] = {}
        for r, _node, fields, _ in self.raw:
            node = fields.get("id")
            cid = node.value if isinstance(node, ScalarNode) else None
            if node is None or not cid:
                continue
            if cid in seen:
                r.error(node, f'duplicate id "{cid}" (first used at {seen[cid]}): ids are never reused, pick a new one')
            else:
                seen[cid] = f"{r.file}:{node.start_mark.line + 1}"
        return seen

    def _check_links(self, r: NodeReader, fields: dict[str, Node], ids: dict[str, str]) -> None:
        if "superseded_by" in fields:
            target = r.text(fields["superseded_by"], "superseded_by")
            own = fields["id"].value if isinstance(fields.get("id"), ScalarNode) else None
            if target and target == own:
                r.error(fields["superseded_by"], f'superseded_by "{target}" is this commitment\'s own id: name the '
                                                 "commitment that replaced it")
            elif target and target not in ids:
                others = [i for i in ids if i != own]  # never "did you mean" itself
                r.error(fields["superseded_by"], f'superseded_by "{target}" is not the id of any commitment'
                                                 f"{did_you_mean(target, others)}")


def _timezone(r: NodeReader, node: Node) -> str | None:
    name = r.required_text(node, "timezone")
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        r.error(node, f'timezone "{name}" is not a known IANA zone (e.g. "Europe/London")')
        return None
    return name


def _duration(r: NodeReader, node: Node, key: str) -> Duration | None:
    text = r.required_text(node, key)
    if text is None:
        return None
    try:
        span = parse_duration(text)
    except UnreadableDuration:
        r.error(node, f'{key} "{_clipped(text)}" is not a duration (write e.g. "7 days", "2 weeks", "6 months", "1 year" or ISO 8601 "P30D")')
        return None
    if too_long(span):
        r.error(node, f'{key} "{_clipped(text)}" is too long: at most {MAX_YEARS} years, so that every date the bot '
                      f"works out stays on the calendar ({RANGE})")
        return None
    if key in REPEATING and span == Duration():
        r.error(node, f'{key} "{_clipped(text)}" must be at least 1 day: {REPEATING[key]} would go out again on every '
                      f'run (write e.g. "{getattr(BUILTIN_POLICY, key)}")')
        return None
    return span


def _quarters(r: NodeReader, node: Node) -> str | None:
    value = r.required_text(node, "quarters")
    if value is not None and value not in QUARTERS:
        r.error(node, f'quarters "{_clipped(value)}" must be calendar or financial{did_you_mean(value, QUARTERS)}: '
                      'how a quarter without a year ("Q4") is read, as a calendar quarter (Q4 = Oct–Dec, the '
                      'default) or a financial one (Q4 = Jan–Mar)')
        return None
    return value


def _policy(r: NodeReader, fields: dict[str, Node], base: Policy) -> Policy:
    changes = {k: d for k in POLICY_KEYS if k in fields and (d := _duration(r, fields[k], k))}
    return replace(base, **changes) if changes else base


def _targets(r: NodeReader, node: Node, what: str, rules: TargetRules, fields: dict[str, Node] | None = None) -> Targets:
    """"channel:address" names for every address under a channel key, each checked by its channel."""
    fields = r.mapping(node, what, tuple(rules)) if fields is None else fields
    out: list[str] = []
    for key, check in rules.items():
        for address in r.text_list(fields[key], key) if key in fields else ():
            if (problem := check(address)) is not None:
                r.error(fields[key], problem)
            out.append(f"{key}:{address}")
    if not out and (fields or isinstance(node, MappingNode)):  # `notify: {}` sends nowhere too
        r.error(node, f"{what} sends nowhere: give it {_nowhere_hint(rules)}")
    return tuple(out)


def _nowhere_hint(rules: TargetRules) -> str:
    return " or ".join(f"{key}: [...]" for key in rules)


def _route(r: NodeReader, node: Node, rules: TargetRules) -> Route | None:
    fields = r.mapping(node, "a route", ("match", *rules))
    tags: tuple[str, ...] | None = None
    if "match" in fields:
        match = r.mapping(fields["match"], "match", ("tags",), ("tags",))
        tags = r.text_list(match["tags"], "tags") if "tags" in match else ()
    if not any(k in fields for k in rules):
        r.error(node, f"this route points nowhere: give it {_nowhere_hint(rules)}")
        return None
    targets = _targets(r, node, "a route", rules, fields)
    return Route(tags, targets) if targets else None


def _schedule(r: NodeReader, node: Node, checks: list[tuple[NodeReader, Node, str, str]]) -> Schedule | None:
    fields = r.mapping(node, "schedule", tuple(f.name for f in dataclass_fields(Schedule)))
    values: dict[str, str] = {}
    for key, value in fields.items():
        expr = r.required_text(value, key)
        problem = cron_problem(expr) if expr else None
        if problem:
            r.error(value, f"schedule {key}: {problem}")
        elif expr:
            values[key] = expr
            checks.append((r, value, key, expr))
    return Schedule(**values)


def _recorders(r: NodeReader, node: Node) -> tuple[str, ...]:
    """`access: {recorders: [...]}`: who may record from Slack (SPEC §6.2), as Slack ids."""
    fields = r.mapping(node, "access", ACCESS_KEYS)
    ids = tuple(r.text_list(fields["recorders"], "recorders")) if "recorders" in fields else ()
    for bad in (i for i in ids if not SLACK_ID_RE.fullmatch(i)):
        r.error(fields["recorders"], f'recorders: "{_clipped(bad)}" is not a Slack user id (U…) or user-group id '
                                     "(S…): find it in the person's profile → ⋮ → Copy member ID")
    return ids


def _publish(r: NodeReader, node: Node) -> bool:
    """`publish: {actions: true}` (SPEC §7.3): whether the team's own snoozes and chases are public."""
    fields = r.mapping(node, "publish", PUBLISH_KEYS)
    if "actions" not in fields:
        return False
    value = r.required_text(fields["actions"], "actions")
    if value not in ("true", "false", None):
        r.error(fields["actions"], f'publish actions "{_clipped(value or "")}" must be true or false: whether the '
                                   "team's own snoozes and chases appear on the site, the feed and the calendar")
    return value == "true"


def _type(r: NodeReader, node: Node) -> str:
    value = r.required_text(node, "type")
    if value is not None and value not in TYPES:
        r.error(node, f'type "{_clipped(value)}" is not a type{did_you_mean(value, TYPES) or ""}: promise (the '
                      "owner's own words), ask (someone asks the owner to act: made_by says who) or expectation "
                      "(what the team expects of the owner, with no dated promise for it)")
        return "promise"
    return value or "promise"


def _source(r: NodeReader, node: Node) -> Source | None:
    if isinstance(node, ScalarNode) and node.value.strip():  # `source: Written answer 12345`
        r.error(node, f'source must be a mapping, not one value: write "source:" alone, and '
                      f'"title: {_clipped(node.value.strip())}" on the line below it, indented 2 more spaces')
        return None
    if not isinstance(node, MappingNode):
        r.mapping(node, "source", SOURCE_KEYS)  # says it must be a mapping
        return None
    fields = r.mapping(node, "source", SOURCE_KEYS)
    title = r.required_text(fields["title"], "source title") if "title" in fields else None
    url = r.text(fields["url"], "source url") if "url" in fields else None
    quote = r.text(fields["quote"], "source quote") if "quote" in fields else None
    if url and not URL_RE.fullmatch(url):
        r.error(fields["url"], f'source url "{url}" must start with http:// or https://')
    elif url and (why := malformed(url)):
        r.error(fields["url"], f'source url "{_clipped(url)}" is not a well-formed link: {why}')
    if not title and not url:
        r.error(node, "source needs a title or a url")
        return None
    return Source(title or url or "", url, quote)


def _watch(r: NodeReader, node: Node) -> Watch | None:
    """`watch:` (SPEC §6.3): a GOV.UK search, a Parliament search, pages. Each problem is reported
    at its own line and column; a watch that asks nothing is an error, not a silent no-op."""
    fields = r.mapping(node, "watch", WATCH_KEYS)
    govuk = r.mapping(fields["govuk"], "watch govuk", GOVUK_KEYS, ("query",)) if "govuk" in fields else {}
    query = r.required_text(govuk["query"], "watch govuk query") if "query" in govuk else None
    organisations = r.text_list(govuk["organisations"], "organisations") if "organisations" in govuk else ()
    for slug in organisations:
        if not SLUG_RE.match(slug):
            r.error(govuk["organisations"], f'organisation "{_clipped(slug)}" must be a GOV.UK organisation slug, as in '
                                            "its address (e.g. home-office for www.gov.uk/government/organisations/home-office)")
    parliament = r.mapping(fields["parliament"], "watch parliament", PARLIAMENT_KEYS, ("query",)) \
        if "parliament" in fields else {}
    term = r.required_text(parliament["query"], "watch parliament query") if "query" in parliament else None
    pages: list[str] = []
    if "pages" in fields:
        page_nodes = fields["pages"].value if isinstance(fields["pages"].value, list) else [fields["pages"]]
        for page in page_nodes:
            url = r.text(page, "watched page")
            if url and not URL_RE.fullmatch(url):
                r.error(page, f'watched page "{_clipped(url)}" must be an address starting with http:// or https://')
            elif url and (why := malformed(url)):
                r.error(page, f'watched page "{_clipped(url)}" is not a well-formed link: {why}')
            elif url and len(url) > LONGEST_PAGE:
                r.error(page, f'watched page is {len(url):,} characters: at most {LONGEST_PAGE} ("{_clipped(url)}"); '
                              "watch a shorter address of the same page")
            elif url:
                pages.append(url)
    watch = Watch(query, organisations, term, tuple(dict.fromkeys(pages)))
    if isinstance(node, MappingNode) and not node.value:
        r.error(node, "watch asks nowhere: give it govuk: {query: ...}, parliament: {query: ...} or pages: [URL]")
    return watch


def _date(r: NodeReader, node: Node, key: str) -> date | None:
    text = r.required_text(node, key)
    if text is None:
        return None
    value = parse_date(text)
    if value is None:
        r.error(node, f'{key} "{text}" {_why_not_a_date(text)}')
    elif outside(value):
        r.error(node, f'{key} "{text}" is out of range: {RANGE}')
        return None
    return value


def _why_not_a_date(text: str) -> str:
    """Say what is wrong: the shape, or which part of the date does not exist."""
    if not ISO_DATE_RE.match(text):
        return "must be a date written YYYY-MM-DD, e.g. 2022-02-21"
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"is not a real date: there is no month {month} (write YYYY-MM-DD)"
    if year < 1:
        return f"is out of range: {RANGE}"
    return f"is not a real date: {calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"


def _reading(r: NodeReader, fields: dict[str, Node], made_on: date | None,
             quarters: str = "calendar", owner: str | None = None, update: bool = False,
             series: bool = False) -> Window | None:
    """The promised window from `due` (read against `made_on`, or the `update`'s date) and an
    optional `deadline`, which may not come before that day.

    A `deadline` rescues a `due` that does not read (SPEC §2): the words are kept as the promise
    and the window is the maintainer's, kind "manual" (bot.register.recording.promised). `quarters` is the
    register's `defaults.quarters`, for a quarter without a year."""
    phrase = r.required_text(fields["due"], "due") if "due" in fields else None
    deadline = _date(r, fields["deadline"], "deadline") if "deadline" in fields else None
    if deadline is not None and made_on is not None and deadline < made_on:
        r.error(fields["deadline"], f"deadline {deadline} is before this update's date ({made_on}): a revised deadline "
                                    "cannot come before the day it was set" if update else
                                    f"deadline {deadline} is before the commitment was made (made_on {made_on}): "
                                    "check the year")
        deadline = None
    if "deadline" in fields and deadline is None:  # its problem is reported; once a date, it rescues any `due`
        try:
            window = promised(phrase, made_on, None, quarters, owner)
        except UnreadableDate:
            return None
        return window if window is None or outside(window.latest, window.earliest) is None else None
    try:
        window = promised(phrase, made_on, deadline, quarters, owner)
    except UnreadableDate as e:
        r.error(fields["due"], str(e))
        return None
    if window is not None and (beyond := outside(window.latest, window.earliest)) is not None:
        r.error(fields["due"], f'due "{phrase}" reads to {beyond.day} {beyond:%B %Y}, out of range: '
                               f"{RANGE} (check the year, or set deadline:)")
        return None
    if deadline is None and not series and (ended := ends_before(window, made_on)) is not None:
        # (a series' first period may be over when the team starts tracking it: "each year since 2023-24")
        when = "this update's date" if update else "the commitment was made (made_on"
        r.error(fields["due"], f'due "{phrase}" reads to {ended:%-d %B %Y}, before {when} {made_on}'
                               f'{"" if update else ")"}: check the year, or set deadline:')
        return None
    return window


def _commitment(r: NodeReader, node: Node, f: dict[str, Node], policy: Policy, text: str,
                rules: TargetRules, quarters: str = "calendar") -> Commitment | None:
    before = len(r.problems)
    cid = r.required_text(f["id"], "id") if "id" in f else None
    if cid and len(cid) > LONGEST_ID:
        r.error(f["id"], f'id is {len(cid):,} characters: at most {LONGEST_ID} ("{_clipped(cid)}"); a short one like '
                         '"mvp-implement-2022" is typed in commands and shown in links')
    elif cid and not ID_RE.match(cid):
        r.error(f["id"], f'id "{_clipped(cid)}" may use only a-z, 0-9 and single hyphens, e.g. "mvp-implement-2022"')
    title = r.required_text(f["title"], "title") if "title" in f else None
    owner = r.required_text(f["owner"], "owner") if "owner" in f else None
    made_on = _date(r, f["made_on"], "made_on") if "made_on" in f else None
    window = _reading(r, f, made_on, quarters, owner, series="recurs" in f)
    status = _status(r, f.get("status")) or "open"
    recurs = _recurs(r, f["recurs"], window) if "recurs" in f else None
    updates = _updates(r, f.get("updates"), made_on, window if recurs else None, recurs, quarters, owner)
    source = _source(r, f["source"]) if "source" in f else None
    superseded_by = r.text(f["superseded_by"], "superseded_by") if "superseded_by" in f else None
    if status == "superseded" and not superseded_by and "status" in f:
        r.error(f["status"], 'status "superseded" needs superseded_by: ID naming what replaced it')
    if superseded_by and status != "superseded":
        r.error(f["superseded_by"], 'superseded_by goes with status: superseded')
    if status in TERMINAL and status != "superseded" and not _sources_written(f.get("updates")):
        r.error(f["status"], f'status "{status}" needs evidence: add an update with a `source` saying where this is recorded')
    notify = _targets(r, f["notify"], "notify", rules) if "notify" in f else None
    watch = _watch(r, f["watch"]) if "watch" in f else None
    kind = _type(r, f["type"]) if "type" in f else "promise"
    if kind == "ask" and "made_by" not in f:
        r.error(f["type"], "an ask needs made_by: who asks the owner to act (e.g. the Domestic Abuse Commissioner)")
    actions = _actions(r, f["actions"], made_on, window if recurs else None, recurs) if "actions" in f else ()
    own = " " * node.start_mark.column + span(text, node)
    if len(r.problems) > before or not (cid and title and owner):
        return None
    return Commitment(
        id=cid, title=title, owner=owner, policy=_policy(r, f, policy),
        made_by=r.text(f["made_by"], "made_by") if "made_by" in f else None,
        made_on=made_on, due=r.text(f["due"], "due") if "due" in f else None, window=window,
        source=source, tags=r.text_list(f["tags"], "tags") if "tags" in f else (),
        status=status, updates=updates, notify=notify, recurs=recurs, superseded_by=superseded_by,
        watch=watch, text_hash=hashlib.sha1(own.encode()).hexdigest(), text=own, type=kind, actions=actions,
    )


def _sources_written(updates: Node | None) -> bool:
    """Whether any update gives a `source` (evidence for a commitment's closing status), read or not:
    one that does not read is reported at its own line."""
    items = updates.value if isinstance(updates, SequenceNode) else []
    return any(isinstance(item, MappingNode) and any(isinstance(k, ScalarNode) and k.value == "source"
                                                     for k, _ in item.value) for item in items)


def _recurs(r: NodeReader, node: Node, window: Window | None) -> str | None:
    """The rule, when it reads and its series stays on the calendar."""
    recurs = r.required_text(node, "recurs")
    if not recurs:
        return None
    try:
        check_rule(recurs)
    except UnreadableRule as e:
        r.error(node, str(e))  # it says what to write instead
        return None
    if window is None or window.is_open:
        r.error(node, "recurs needs a `due` with a date: the first period of the series")
    elif recurs.lower() not in NAMED_RULES and window.latest and first_date(recurs, window.latest) is None:
        r.error(node, f'recurs "{recurs}" gives no date in the {HORIZON_YEARS} years after the first deadline '
                      f"({window.latest}): a series must come round within {HORIZON_YEARS} years (30 February never does)")
    elif recurs.lower() not in NAMED_RULES and (end := _series_end(window, recurs)) > SERIES_END:
        r.error(node, f'recurs "{recurs}" sets a deadline on {end}, out of range: {RANGE} (a series may run '
                      f"past {LAST_DAY.year} by a year at most: use a shorter interval)")
    return recurs


# The named rules step a year at most, so their occurrence running on LAST_DAY ends by this day;
# an RRULE with a long interval (INTERVAL=3000) must too, or its deadline runs off the calendar.
SERIES_END = date(LAST_DAY.year + 1, 12, 31)


@lru_cache(maxsize=1024)
def _series_end(first: Window, rule: str) -> date:
    """The deadline of the occurrence running on LAST_DAY (or of the last one, if the series stops
    sooner). Memoised: a register repeats the same rule and first period many times."""
    return occurrences(first, rule, LAST_DAY)[-1].latest


def _status(r: NodeReader, node: Node | None) -> str | None:
    if node is None:
        return None
    value = r.required_text(node, "status")
    if value is not None and value not in STATUSES:
        hint = did_you_mean(value, STATUSES) or f" (one of: {one_of(STATUSES)})"
        r.error(node, f'status "{value}" is not a status{hint}')
        return None
    return value


def _updates(
    r: NodeReader, node: Node | None, made_on: date | None, first: Window | None, recurs: str | None,
    quarters: str = "calendar", owner: str | None = None,
) -> tuple[Update, ...]:
    out: list[Update] = []
    numbering = Numbering()
    for item in r.items(node, "updates", "date") if node is not None else []:
        if _a_commitment(item):  # "- id:" indented as an item of the updates above: said once, not per key
            r.error(item, 'this item of "updates:" has "id:" and no "date:", so it is a commitment indented as an update '
                          'of the one above: move its "- " back to where the other commitments\' "- " start')
            continue
        f = r.mapping(item, "an update", UPDATE_KEYS, ("date", "note"), {"source": SOURCE_KEYS})
        on = _date(r, f["date"], "update date") if "date" in f else None
        note = r.required_text(f["note"], "note") if "note" in f else None
        if on and made_on and on < made_on:
            r.error(f["date"], f"update dated {on} is before the commitment was made (made_on {made_on}): check the date")
        window = _reading(r, f, on, quarters, owner, update=True) if on else None
        status = _status(r, f.get("status"))
        source = _source(r, f["source"]) if "source" in f else None
        if status in TERMINAL and status != "superseded" and "source" not in f:  # a wrong one is said where it is
            r.error(f["status"], f'status "{status}" needs evidence: give this update a `source`')
        period = r.required_text(f["period"], "period") if "period" in f else None
        if period is not None:
            _check_period(r, f["period"], period, first, recurs, on)
        if on is None or note is None:
            continue
        key = numbering.key(on, window, status, period)
        due = r.text(f["due"], "due") if "due" in f else None
        recorder = next((r.text(f[k], k) for k in ("recorded_by", "by") if k in f), None)
        if "recorded_by" in f and "by" in f:
            r.error(f["by"], "by is the older name of recorded_by: give one of them")
        said_by = r.text(f["said_by"], "said_by") if "said_by" in f else None
        deadline = window.latest if "deadline" in f and window is not None else None  # promised() ends there
        out.append(Update(key, on, note, due, window, status, period, source, recorder, deadline,
                          said_by=said_by, recorded_by=recorder, context=_context(r, f)))
    return tuple(sorted(out, key=lambda u: u.on))


def _a_commitment(item: Node) -> bool:
    """An item of a list of updates that is a commitment (`id:` and no `date:`, in any order)."""
    keys = [k.value for k, _ in item.value if isinstance(k, ScalarNode)] if isinstance(item, MappingNode) else []
    return "id" in keys and "date" not in keys  # in any order: YAML's keys have none


def _context(r: NodeReader, f: dict[str, Node]) -> bool:
    """`context: true`: the update records what someone other than the owner said, so it may not
    carry what only the owner's word sets (each one is reported where it is written)."""
    if "context" not in f:
        return False
    value = r.required_text(f["context"], "context")
    if value not in ("true", "false", None):
        r.error(f["context"], f'context "{_clipped(value or "")}" must be true or false: true when the update records '
                              "what someone other than the owner said (a commissioner, a charity, Parliament, the press)")
    if value != "true":
        return False
    for key in (k for k in OWNERS_WORD_KEYS if k in f):
        r.error(f[key], f"a context update cannot carry {key}: it records what someone other than the owner said, "
                        f"and only the owner's own word changes a status or a deadline (remove {key}, or remove "
                        "context: true)")
    return True


def _actions(r: NodeReader, node: Node, made_on: date | None, first: Window | None,
             recurs: str | None) -> tuple[Action, ...]:
    """`actions:` (SPEC §7.3): the team's own snoozes and chases, as `export updates --write` writes them."""
    out: list[Action] = []
    numbering = Numbering()
    for item in r.items(node, "actions", "date"):
        f = r.mapping(item, "an action", ACTION_KEYS, ("date", "kind"))
        on = _date(r, f["date"], "action date") if "date" in f else None
        kind = r.required_text(f["kind"], "kind") if "kind" in f else None
        if kind is not None and kind not in ACTION_KINDS:
            r.error(f["kind"], f'kind "{_clipped(kind)}" is not an action{did_you_mean(kind, ACTION_KINDS) or ""}: '
                               "snooze (alerts held until a day), chase (the team asked the government) or reply "
                               "(the team's chase was replied to)")
            kind = None
        if on and made_on and on < made_on:
            r.error(f["date"], f"action dated {on} is before the commitment was made (made_on {made_on}): check the date")
        until = _date(r, f["until"], "until") if "until" in f else None
        reply_due = _date(r, f["reply_due"], "reply_due") if "reply_due" in f else None
        how = r.required_text(f["how"], "how") if "how" in f else None
        if how is not None and how not in CHASE_HOWS:
            r.error(f["how"], f'how "{_clipped(how)}" is not a way to chase{did_you_mean(how, CHASE_HOWS) or ""} '
                              f"(one of: {one_of(CHASE_HOWS)})")
        if kind == "snooze" and "until" not in f:
            r.error(item, "a snooze needs until: the last day its alerts are held")
        if kind == "chase" and "how" not in f:
            r.error(item, f"a chase needs how: {one_of(CHASE_HOWS)}")
        if kind == "reply" and "how" not in f and "ref" not in f:
            r.error(item, "a reply needs how: or ref: (its chase's), to say which chase was replied to")
        chased = _date(r, f["chased"], "chased") if "chased" in f else None
        if "chased" in f and kind != "reply":
            r.error(f["chased"], "chased: is for a reply (the day of the chase it answers)")
        if kind == "reply" and "until" in f:
            r.error(f["until"], "a reply has no until: name the day of the chase it answers as chased:")
        if chased and on and chased > on:
            r.error(f["chased"], f"chased {chased} is after the reply's date ({on}): a reply comes after its chase")
        for key, day in (("until", until), ("reply_due", reply_due)):
            if day and on and day < on:
                r.error(f[key], f"{key} {day} is before the action's date ({on})")
        period = r.required_text(f["period"], "period") if "period" in f else None
        if period is not None:
            _check_period(r, f["period"], period, first, recurs, on)
        if on is None or kind is None:
            continue
        ref = r.text(f["ref"], "ref") if "ref" in f else None
        if kind == "reply":
            until = chased  # a reply keeps the day of its chase where a snooze keeps its last day (Action.chased)
        out.append(Action(
            numbering.action_key(kind, on, period, until, how, ref), kind, on, period, until, how, ref,
            to=r.text(f["to"], "to") if "to" in f else None, reply_due=reply_due,
            note=r.text(f["note"], "note") if "note" in f else None,
            by=(name := r.text(f["recorded_by"], "recorded_by") if "recorded_by" in f else None), recorded_by=name,
        ))
    return tuple(sorted(out, key=lambda a: a.on))


def _check_period(
    r: NodeReader, node: Node, period: str, first: Window | None, recurs: str | None, on: date | None
) -> None:
    if first is None or recurs is None:
        r.error(node, "period is only for recurring commitments (those with `recurs:`)")
        return
    horizon = date((on or first.latest or date.min).year + 2, 12, 31)
    if find(first, recurs, period, horizon) is None:
        first_label = occurrences(first, recurs, first.latest or date.max)[0].label
        r.error(node, f'period "{period}" is not one of this series\' periods (e.g. "{first_label}")')
