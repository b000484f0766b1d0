"""Settings from the environment and `.env`; secrets are kept out of every repr."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE = "sqlite:///commitment-bot.db"
DEFAULT_FILE = "commitments.yaml"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE
    commitments_file: str = DEFAULT_FILE
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str | None = None
    slack_signing_secret: str | None = field(default=None, repr=False)  # the Slack app over HTTP (SPEC §6.2)
    smtp_url: str | None = field(default=None, repr=False)
    email_from: str | None = None
    maintainer_email: str | None = None
    claim_lease_seconds: float = 45.0  # renewed while the worker lives: a dead one's rows move on fast
    deliver_every_seconds: float = 15.0  # `run`: how often queued and retried alerts are delivered
    smtp_ca_file: str | None = None
    smtp_timeout: float = 30.0
    site_url: str | None = None  # where the published site lives (`export site --base-url`): Slack and mail link to it
    report_to: tuple[str, ...] = ()  # COMMITMENT_BOT_REPORT_TO: where `run` sends the report (else MAINTAINER_EMAIL)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)  # everything, .env included


def from_env(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """The process environment wins over `.env` in the working directory."""
    env: dict[str, str] = {}
    dotenv = (cwd or Path.cwd()) / ".env"
    if dotenv.is_file():
        from dotenv import dotenv_values

        env.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
    env.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    return Settings(
        database_url=get("DATABASE_URL") or DEFAULT_DATABASE,
        commitments_file=get("COMMITMENTS_FILE") or DEFAULT_FILE,
        slack_bot_token=get("SLACK_BOT_TOKEN"),
        slack_app_token=get("SLACK_APP_TOKEN"),
        slack_api_url=get("SLACK_API_URL"),
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        smtp_url=get("SMTP_URL"),
        email_from=get("EMAIL_FROM"),
        maintainer_email=get("MAINTAINER_EMAIL"),
        claim_lease_seconds=float(get("COMMITMENT_BOT_CLAIM_LEASE") or 45),
        deliver_every_seconds=float(get("COMMITMENT_BOT_DELIVER_SECONDS") or 15),
        smtp_ca_file=get("SMTP_CA_FILE"),
        smtp_timeout=float(get("SMTP_TIMEOUT") or 30),
        site_url=get("COMMITMENT_BOT_SITE_URL"),
        report_to=tuple(a for a in re.split(r"[,\s]+", get("COMMITMENT_BOT_REPORT_TO") or "") if a),
        env=env,
    )
