"""The register in the editor and CI (issue 17 item 5).

`commitment-bot schema` prints a JSON Schema built from the loader's own rules: the shipped
register passes it (in `check-jsonschema`, run as CI runs it, and in the `jsonschema` library),
the broken registers the loader refuses for a structural reason fail it too, and a key the loader
reads but the schema does not describe fails here. `validate --format github|json` prints
GitHub Actions annotations and a list of problems; `.pre-commit-hooks.yaml` runs `validate`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from ruamel.yaml import YAML, SafeConstructor

from bot.register import loader, schema
from bot.register.yamlnodes import NodeReader
from bot.shell.registerfile import load_texts
from notifiers import target_rules

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "commitments.yaml"
REGISTERS = Path(__file__).parent / "registers"
CHANNELS = tuple(target_rules())

# A valid register that holds every key the loader reads, in every mapping, and the scalars a
# YAML 1.2 validator sees as numbers or booleans where the loader reads text.
EVERYTHING = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months, quarters: calendar}
schedule: {check: "0 9 * * *", digest: "0 8 * * MON", watch: "0 7 * * *", export: "0 18 * * *", report: "0 8 1 * *"}
access: {recorders: [U0123ABCD, S0456EFGH]}
publish: {actions: false}
routes:
  - match: {tags: [mvp]}
    slack: ["#mvp-watch"]
    email: coordinator@example.org
  - slack: ["#commitments"]
commitments:
  - id: 2022
    title: true
    owner: No
    made_by:
    made_on: 2022-02-21
    due: 2023
    deadline: 2023-12-31
    source: {title: Letter, url: "https://example.org/a.pdf", quote: "We aim to."}
    tags: mvp
    status: superseded
    superseded_by: funding
    notify: {slack: "#mvp-watch", email: [a@example.org]}
    grace: 0 days
    remind_every: P30D
    heads_up: 2 weeks
    check_in: 1 year
    watch:
      govuk: {query: migrant victim protocol, organisations: [home-office]}
      parliament: {query: Migrant Victim Protocol}
      pages: ["https://www.gov.uk/government/publications/x"]
    updates:
      - date: 2022-08-09
        note: Slipped.
        due: 2024
        deadline: 2024-03-31
        status: open
        source: {url: "https://example.org/b"}
        by: Lord Sharpe
        said_by: Lord Sharpe of Epsom
  - id: funding
    title: 1984
    owner: Home Office
    type: expectation
    made_on: 2022-04-01
    due: 2022-23
    recurs: Financial-Year
    updates:
      - date: 2023-04-02
        note: Paid for 2022-23.
        period: 2022-23
        recorded_by: A. Advocate
      - date: 2023-04-03
        note: The Commissioner says it is too little.
        period: 2022-23
        context: true
    actions:
      - {date: 2023-05-01, kind: snooze, until: 2023-06-01, period: 2023-24, note: After recess, recorded_by: A. Advocate}
      - date: 2023-05-02
        kind: chase
        how: written-question
        ref: HL1234
        to: Baroness Meacher
        reply_due: 2023-05-16
        note: Tabled through a friendly peer.
"""


def _yaml12() -> YAML:
    """YAML as editors and check-jsonschema read it: YAML 1.2, with a date left as text (JSON has
    no dates; check-jsonschema reads them so too)."""

    class Constructor(SafeConstructor):
        pass

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
    reader = YAML(typ="safe", pure=True)
    reader.Constructor = Constructor
    return reader


VIEWS = {
    "yaml-1.2": lambda text: _yaml12().load(text),  # version: 1 is a number, title: true a boolean
    "loader": lambda text: yaml.load(text, Loader=yaml.BaseLoader),  # every scalar is text, as the loader reads it
}


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    return schema.build(CHANNELS)


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory, built: dict[str, Any]) -> Path:
    path = tmp_path_factory.mktemp("schema") / "commitments.schema.json"
    path.write_text(json.dumps(built), encoding="utf-8")
    return path


def errors(built: dict[str, Any], document: Any) -> list[jsonschema.ValidationError]:
    validator = jsonschema.Draft202012Validator(built, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return sorted(validator.iter_errors(document), key=lambda e: e.json_path)


def check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema, as CI and a register repository run it (a dev dependency: never skipped)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=False)


# -- the command -------------------------------------------------------------------------------
def test_schema_command_prints_the_schema_indented(cli, built: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    result = cli("schema")
    assert result.exit_code == 0
    assert result.stdout == json.dumps(built, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_is_a_valid_draft_2020_12_schema(built: dict[str, Any], schema_file: Path) -> None:
    jsonschema.Draft202012Validator.check_schema(built)
    result = check_jsonschema("--check-metaschema", schema_file)  # its patterns checked as ECMA 262 regexes too
    assert result.returncode == 0, result.stdout + result.stderr


# -- the shipped register, and every key the loader reads --------------------------------------
def test_check_jsonschema_accepts_the_shipped_register(schema_file: Path) -> None:
    result = check_jsonschema("--schemafile", schema_file, SHIPPED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_jsonschema_accepts_the_shipped_register(built: dict[str, Any], view: str) -> None:
    assert [e.message for e in errors(built, VIEWS[view](SHIPPED.read_text(encoding="utf-8")))] == []


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_register_with_every_key_passes_the_loader_and_the_schema(built: dict[str, Any], view: str) -> None:
    assert load_texts([("everything.yaml", EVERYTHING)]).problems == ()
    assert [f"{e.json_path}: {e.message}" for e in errors(built, VIEWS[view](EVERYTHING))] == []


def test_check_jsonschema_accepts_a_register_with_every_key(schema_file: Path, tmp_path: Path) -> None:
    (tmp_path / "everything.yaml").write_text(EVERYTHING, encoding="utf-8")
    result = check_jsonschema("--schemafile", schema_file, tmp_path / "everything.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_mapping_the_loader_reads_has_the_same_keys_in_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader's own calls, recorded while it reads a register holding every mapping: its
    allowed and required keys, literals included, are the schema's."""
    seen: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    mapping = NodeReader.mapping

    def recording(self: NodeReader, node: Any, what: str, allowed: tuple[str, ...],
                  required: tuple[str, ...] = (), *children: Any) -> Any:
        seen[what] = (allowed, required)
        return mapping(self, node, what, allowed, required, *children)

    monkeypatch.setattr(NodeReader, "mapping", recording)
    assert load_texts([("everything.yaml", EVERYTHING)]).problems == ()
    shapes = schema.shapes(CHANNELS)
    seen["the register"] = (seen["the register"][0], schema.REQUIRED_TOP)  # checked against `_required` below
    assert {what: (set(a), set(r)) for what, (a, r) in seen.items()} == \
        {what: (set(a), set(r)) for what, (a, r) in shapes.items()}


def test_every_key_the_loader_reads_is_described() -> None:
    assert schema.undescribed(CHANNELS) == []


def test_a_key_the_loader_gains_is_reported_until_the_schema_describes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "COMMITMENT_KEYS", (*loader.COMMITMENT_KEYS, "gazette"))
    monkeypatch.setattr(loader, "UPDATE_KEYS", (*loader.UPDATE_KEYS, "lead"))
    assert schema.undescribed(CHANNELS) == ["a commitment: gazette", "an update: lead"]
    assert "gazette" in schema.build(CHANNELS)["$defs"]["commitment"]["properties"]


@pytest.mark.parametrize("key", loader.TOP_KEYS)
def test_the_top_level_keys_the_loader_requires_are_required(built: dict[str, Any], key: str) -> None:
    without = {k: v for k, v in _yaml12().load(EVERYTHING).items() if k != key}
    text = yaml.safe_dump(without, sort_keys=False)
    refused = any(f'the register has no "{key}"' in p.message for p in load_texts([("r.yaml", text)]).problems)
    assert refused == (key in schema.REQUIRED_TOP)
    assert any(e.validator == "required" for e in errors(built, without)) == refused


# -- broken registers ----------------------------------------------------------------------------
# (register in tests/registers, where the schema refuses it, with which keyword, the loader's message)
BROKEN = [
    ("unknown-top-key.yaml", "$", "additionalProperties", 'unknown key "colour"'),
    ("unknown-key-titel.yaml", "$.commitments[0]", "additionalProperties", 'unknown key "titel"'),
    ("unknown-key-due-date.yaml", "$.commitments[0]", "additionalProperties", 'unknown key "due_date"'),
    ("unknown-update-key.yaml", "$.commitments[0].updates[0]", "additionalProperties", 'unknown key "nte"'),
    ("missing-space-before-quote.yaml", "$.commitments[0]", "additionalProperties", 'needs a space after ":"'),
    ("missing-id.yaml", "$.commitments[0]", "required", 'missing "id"'),
    ("missing-title.yaml", "$.commitments[0]", "required", 'missing "title"'),
    ("missing-owner.yaml", "$.commitments[0]", "required", 'missing "owner"'),
    ("missing-version.yaml", "$", "required", 'no "version"'),
    ("missing-commitments.yaml", "$", "required", 'no "commitments"'),
    ("settings-only.yaml", "$", "required", 'no "commitments"'),
    ("bad-status.yaml", "$.commitments[0].status", "enum", 'status "deliverd" is not a status'),
    ("bad-id.yaml", "$.commitments[0].id", "pattern", 'id "Alpha_1"'),
    ("bad-made-on-format.yaml", "$.commitments[0].made_on", "pattern", "must be a date written YYYY-MM-DD"),
    ("bad-made-on.yaml", "$.commitments[0].made_on", "format", "is not a real date"),
    ("made-on-november-31.yaml", "$.commitments[0].made_on", "format", "is not a real date"),
    ("bad-recurs.yaml", "$.commitments[0].recurs", "pattern", 'recurs "fortnightly"'),
    ("route-no-targets.yaml", "$.routes[0]", "anyOf", "points nowhere"),
    ("notify-empty.yaml", "$.commitments[0].notify", "minProperties", "notify sends nowhere"),
    ("control-nul-escape.yaml", "$.commitments[0].title", "pattern", "U+0000"),
    ("control-escape-in-note.yaml", "$.commitments[0].updates[0].note", "pattern", "U+001B"),
    ("control-cr-in-quote.yaml", "$.commitments[0].source.quote", "pattern", "U+000D"),
    ("control-c1-in-tag.yaml", "$.commitments[0].tags[1]", "pattern", "U+009B"),
    ("context-with-due.yaml", "$.commitments[0].updates[0].due", "not", "a context update cannot carry due"),
]


@pytest.mark.parametrize(("name", "path", "keyword", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_register_the_loader_refuses_for_its_shape_the_schema_refuses(
    built: dict[str, Any], name: str, path: str, keyword: str, message: str
) -> None:
    text = (REGISTERS / name).read_text(encoding="utf-8")
    assert any(message in p.message for p in load_texts([(name, text)]).problems)
    assert (path, keyword) in {(e.json_path, e.validator) for e in errors(built, _yaml12().load(text))}


def test_check_jsonschema_refuses_each_broken_register(schema_file: Path) -> None:
    result = check_jsonschema("--schemafile", schema_file, *(REGISTERS / name for name, *_ in BROKEN))
    assert result.returncode == 1
    for name, path, *_ in BROKEN:
        assert f"{REGISTERS / name}::{path}" in result.stdout


# -- validate --format ---------------------------------------------------------------------------
THREE = [
    ("three-errors.yaml", 7, 10, 'due "autum 2022" is not a date this bot can read (did you mean "autumn 2022"?)'),
    ("three-errors.yaml", 11, 13, 'status "deliverd" is not a status (did you mean "delivered"?)'),
    ("three-errors.yaml", 12, 9, 'id "Gamma" may use only a-z, 0-9 and single hyphens, e.g. "mvp-implement-2022"'),
]


@pytest.fixture
def three(tmp_path: Path) -> str:
    (tmp_path / "three-errors.yaml").write_bytes((REGISTERS / "three-errors.yaml").read_bytes())
    return "three-errors.yaml"


def test_validate_text_is_the_default(cli, three: str) -> None:  # type: ignore[no-untyped-def]
    default, text = cli("validate", "--file", three), cli("validate", "--file", three, "--format", "text")
    assert default.exit_code == text.exit_code == 1
    assert default.stdout == text.stdout == "".join(f"{f}:{line}:{col}: {m}\n" for f, line, col, m in THREE)


def test_validate_github_prints_an_annotation_per_problem(cli, three: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--file", three, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == "".join(f"::error file={f},line={line},col={col}::{m}\n" for f, line, col, m in THREE)
    assert result.stderr == "error: 3 problem(s) in three-errors.yaml\n"


def test_validate_json_prints_a_list_of_problems(cli, three: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--file", three, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{"file": f, "line": line, "column": col, "message": m}
                                         for f, line, col, m in THREE]


# Two problems, one quoting a key that holds "%", ":" and a line feed, in a file whose name holds
# ",", ":" and "%": GitHub reads `%25 %0D %0A` back in a message, and `%3A %2C` in a property too.
TWO = """\
version: 1
commitments:
  - id: alpha
    title: Alpha
    owner: Home Office
    "title 100%: sure\\nor not": x
  - id: beta
    title: Beta
    owner: Home Office
    status: deliverd
"""
ODD_NAME = "reg, v1:50%.yaml"


def test_validate_github_escapes_what_github_would_read(cli, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(TWO, ODD_NAME)
    result = cli("validate", "--file", ODD_NAME, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        '::error file=reg%2C v1%3A50%25.yaml,line=6,col=5::unknown key "title 100%25: sure%0Aor not" in a commitment'
        ' (did you mean "title"?)\n'
        '::error file=reg%2C v1%3A50%25.yaml,line=10,col=13::status "deliverd" is not a status'
        ' (did you mean "delivered"?)\n'
    )


def test_validate_json_keeps_the_message_as_it_is(cli, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(TWO, ODD_NAME)
    result = cli("validate", "--file", ODD_NAME, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"file": ODD_NAME, "line": 6, "column": 5,
         "message": 'unknown key "title 100%: sure\nor not" in a commitment (did you mean "title"?)'},
        {"file": ODD_NAME, "line": 10, "column": 13, "message": 'status "deliverd" is not a status (did you mean "delivered"?)'},
    ]


def test_validate_github_writes_a_control_character_as_an_escape() -> None:
    from bot.register.problems import Problem
    from bot.shell.cli.register import annotation

    assert annotation(Problem("a.yaml", 1, 2, "tab\there, cr\rthere, esc\x1b[2J")) == \
        "::error file=a.yaml,line=1,col=2::tab\\there, cr%0Dthere, esc\\x1b[2J"


@pytest.mark.parametrize("form", ["github", "json"])
def test_validate_a_valid_register_in_each_format(cli, form: str) -> None:  # type: ignore[no-untyped-def]
    (Path.cwd() / "commitments.yaml").write_bytes(SHIPPED.read_bytes())
    result = cli("validate", "--format", form)
    assert result.exit_code == 0
    assert result.stdout == ("[]\n" if form == "json" else "ok: 13 commitments in commitments.yaml\n")


# -- pre-commit ----------------------------------------------------------------------------------
def test_the_pre_commit_hook_runs_validate_on_the_register(cli) -> None:  # type: ignore[no-untyped-def]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {h["id"]: h for h in hooks}["commitment-bot-validate"]
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "commitments.yaml")
    assert not any(re.search(hook["files"], f) for f in (".pre-commit-config.yaml", ".github/workflows/ci.yml"))
    program, *args = hook["entry"].split()
    assert program == "commitment-bot"
    (Path.cwd() / "commitments.yaml").write_bytes((REGISTERS / "three-errors.yaml").read_bytes())
    assert cli(*args).exit_code == 1  # what pre-commit runs, in the register repository's root
    (Path.cwd() / "commitments.yaml").write_bytes(SHIPPED.read_bytes())
    assert cli(*args).exit_code == 0
