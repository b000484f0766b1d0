"""The database schema. Migrations in storage/migrations create exactly these tables.

SQLAlchemy Core tables, not ORM classes: every statement is written against tables anyway, and
not importing `sqlalchemy.orm` saves a tenth of a second on every `check` that cron starts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()


def _required(name: str, kind: Any, **kw: Any) -> Column[Any]:
    return Column(name, kind, nullable=False, **kw)


def _optional(name: str, kind: Any) -> Column[Any]:
    return Column(name, kind, nullable=True)


def _when(name: str, required: bool = True) -> Column[Any]:
    return Column(name, DateTime(timezone=True), nullable=not required)


# The register's commitments as last synced; archived, never deleted, when removed.
commitments = Table(
    "commitments", metadata,
    Column("id", String(200), primary_key=True),
    _required("title", Text),
    _required("digest", String(40)),
    _required("text", Text),  # its YAML, so history survives removal
    _when("first_seen"),
    _when("updated_at"),
    _when("archived_at", required=False),
)

# Every earlier text of a commitment: a `due` edited in the file is still a promise made.
commitment_versions = Table(
    "commitment_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _required("commitment_id", String(200), index=True),
    _required("digest", String(40)),
    _required("text", Text),
    _when("replaced_at"),
)

# Updates recorded outside the file (`commitment-bot update`, Slack); the file's own live in its text.
updates = Table(
    "updates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _required("commitment_id", String(200), index=True),
    _required("on", Date),
    _required("note", Text),
    _optional("due", Text),
    _optional("status", String(40)),
    _optional("period", String(40)),
    _optional("source_url", Text),
    _optional("by", Text),
    _when("recorded_at"),
    _optional("deadline", Date),  # given with `--deadline`: ends the reading of `due`, or rescues words that do not read
    _when("retracted_at", required=False),  # `update --retract N`: kept for history, no longer counted
    _optional("retracted_note", Text),
    _optional("ref", String(80)),  # where it was recorded (a Slack view id): a replayed submission records once
    _optional("said_by", Text),  # who gave its words (SPEC §7.2)
    _optional("recorded_by", Text),  # the recorder's name as people read it; `by` keeps a Slack user id
    # Someone other than the owner's statement (`update --context`): listed as context, never news.
    Column("context", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("ref", name="uq_update_ref"),
)

# The team's own steps (SPEC §7.3): snoozes and chases, kept apart from updates, never news.
actions = Table(
    "actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _required("commitment_id", String(200), index=True),
    _required("kind", String(20)),  # snooze | chase
    _required("on", Date),
    _optional("period", String(40)),
    _optional("until", Date),  # snooze: held up to and including this day
    _optional("how", String(40)),  # chase: written-question | letter | foi | meeting | other
    _optional("ref", Text),  # chase: e.g. HL1234
    _optional("to_whom", Text),
    _optional("reply_due", Date),
    _optional("note", Text),
    _optional("by", Text),  # as the channel knows them (a Slack user id)
    _optional("recorded_by", Text),  # the name people read
    _when("recorded_at"),
    _optional("origin", String(80)),  # where it was recorded (a Slack view id): a replayed submission records once
    UniqueConstraint("origin", name="uq_action_origin"),
)

# One decided notification for one target: the row that joins deciding and delivering.
notifications = Table(
    "notifications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _required("ident", String(400)),
    _required("target", String(400)),
    _required("commitment_id", String(200), index=True),
    _required("kind", String(20)),
    _optional("period", String(40)),
    _optional("deadline", Date),
    _optional("n", Integer),
    _required("payload", Text),
    _when("decided_at"),
    _required("status", String(20), index=True),  # pending | sent | failed | held | expired
    _required("attempts", Integer, default=0),
    _optional("last_error", Text),
    _when("next_attempt_at", required=False),
    _optional("claimed_by", String(80)),
    _when("claimed_at", required=False),
    _when("sent_at", required=False),
    _optional("meta", Text),
    _when("unsure_since", required=False),  # posted without an answer: look for it before posting again
    UniqueConstraint("ident", "target", name="uq_notification_target"),
)

# Where each commitment's Slack thread lives, per channel, across restarts.
slack_threads = Table(
    "slack_threads", metadata,
    Column("channel", String(200), primary_key=True),
    Column("commitment_id", String(200), primary_key=True),
    _required("ts", String(40)),
    _when("created_at"),
)

# One digest per recipient per period: what was sent, and what is still owed.
digests = Table(
    "digests", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _required("recipient", String(320)),
    _required("period", String(40)),
    _required("status", String(20)),  # pending | sent | failed
    _when("covered_from", required=False),
    _when("covered_until"),
    _required("attempts", Integer, default=0),
    _optional("last_error", Text),
    _optional("claimed_by", String(80)),
    _when("claimed_at", required=False),
    _when("sent_at", required=False),
    _when("unsure_since", required=False),  # a send the server never confirmed: the next one says it may repeat it
    UniqueConstraint("recipient", "period", name="uq_digest_period"),
)

# What `commitment-bot watch` found (SPEC §6.3): possible news, never an update until a person
# confirms it. One row per commitment and URL, so the same hit found again is not a second lead.
leads = Table(
    "leads", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _required("commitment_id", String(200), index=True),  # the first commitment it was found for
    _required("url", Text),
    _required("url_key", String(64)),  # sha256 of the URL: one lead per URL, on every backend
    _required("title", Text),
    _optional("published", Date),
    _required("source", String(40)),  # govuk | parliament-question | parliament-statement | page
    _optional("snippet", Text),
    _required("state", String(20)),  # new | confirmed | dismissed
    _when("found_at"),
    _when("decided_at", required=False),  # when it was confirmed or dismissed
    _optional("decided_by", Text),
    _optional("update_id", Integer),  # the (first) update a confirmation recorded
    UniqueConstraint("url_key", name="uq_lead_url_key"),
)

# Every commitment a lead may answer, in the order they were found (position 0 is leads.commitment_id),
# with its score against that commitment and the update confirming it for that commitment recorded.
lead_commitments = Table(
    "lead_commitments", metadata,
    Column("lead_id", Integer, primary_key=True),
    Column("commitment_id", String(200), primary_key=True, index=True),
    _required("position", Integer),
    _optional("score", Integer),  # percent (bot/shell/watch/score.py); None for leads found before scores
    _optional("update_id", Integer),
)

# The last answer seen from each watched page or API query: the validators a conditional request
# sends back (ETag, Last-Modified) and a hash of the main text, for servers that give neither.
page_marks = Table(
    "page_marks", metadata,
    Column("url_key", String(64), primary_key=True),
    _required("url", Text),
    _optional("etag", Text),
    _optional("last_modified", Text),
    _optional("text_hash", String(64)),
    _when("checked_at"),
)

heartbeats = Table(
    "heartbeats", metadata,
    Column("name", String(80), primary_key=True),
    _when("at"),
    _optional("detail", Text),
)

# The last validated register, keyed by the hash of its files: an unchanged file is not re-read.
register_cache = Table(
    "register_cache", metadata,
    Column("name", String(80), primary_key=True),
    _required("source_hash", String(64)),
    _required("data", LargeBinary),
    _when("synced_at"),
)
