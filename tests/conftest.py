"""Shared fixtures: a real database per test (SQLite file, and PostgreSQL when CI provides one),
the CLI run in-process, and an environment scrubbed of the developer's own settings."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

SETTINGS = ("DATABASE_URL", "COMMITMENTS_FILE", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_URL",
            "SMTP_URL", "EMAIL_FROM", "MAINTAINER_EMAIL", "COMMITMENT_BOT_CLAIM_LEASE", "SMTP_CA_FILE", "SMTP_TIMEOUT",
            "SLACK_SIGNING_SECRET", "COMMITMENT_BOT_SITE_URL", "COMMITMENT_BOT_REPORT_TO")
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("TEAMS_")]:  # the Teams channel's own settings
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL") or None


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database (TEST_POSTGRES_URL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL not configured: set TEST_POSTGRES_URL (.ci/run does)")
    yield from _fresh_postgres(base)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL not configured: set TEST_POSTGRES_URL (.ci/run does)")
    yield from _fresh_postgres(base)


def _fresh_postgres(base: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def cli() -> Cli:
    return Cli()


class Cli:
    """Runs `commitment-bot` in-process, as a user would type it."""

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        from bot.shell.cli import main

        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def write_register(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(text: str, name: str = "commitments.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
