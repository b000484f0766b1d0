"""`commitment-bot sandbox` (SPEC §7.7, issue 26 item 1): the stand-ins the tests use, run for a person.

The command is run as a person runs it, in a process of its own (tests.standins.Background): it
prints the settings and writes them to a file another terminal loads, shows each arrival, writes
the page of channels, and stops cleanly on Ctrl-C or SIGTERM. `sandbox click` reaches a real
`slack serve` over the sandbox's Socket Mode. The view and the control endpoint are also driven
in-process against a stage of stand-ins, for what a stranger could send them.
"""

from __future__ import annotations

import io
import json
import shutil
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from bot.shell.sandbox import body, hand, stage, teams, world
from bot.shell.sandbox.body import StandIn
from bot.shell.sandbox.control import ControlServer
from bot.shell.sandbox.feed import Feed
from tests.conftest import Cli
from tests.standins import Background, in_background, sandbox_env  # noqa: F401 - the `background` fixture

ROOT = Path(__file__).resolve().parent.parent
READY = "Ctrl-C stops the sandbox."
NOW = "2026-11-22T09:00"
MVP = "mvp-implement-by-end-august-2022"
SETTINGS = {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_URL", "SMTP_URL", "EMAIL_FROM", "GOVUK_API_URL",
            "PARLIAMENT_QUESTIONS_API_URL", "HTTP_ALLOW_PRIVATE", "DATABASE_URL", "COMMITMENT_BOT_SANDBOX_URL",
            "TEAMS_WEBHOOK_ADVOCACY"}


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "commitments.yaml", tmp_path / "commitments.yaml")
    return tmp_path


def start_sandbox(background: Callable[..., Background], folder: Path) -> tuple[Background, dict[str, str]]:
    sandbox = background(["sandbox", "--env-file", "sandbox.env"], folder)
    sandbox.until(lambda seen: READY in seen)
    return sandbox, sandbox_env(folder / "sandbox.env")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_it_prints_and_writes_its_settings_and_stops_cleanly(shipped: Path, background: Callable[..., Background],
                                                             sig: int) -> None:
    sandbox, env = start_sandbox(background, shipped)
    assert SETTINGS <= set(env)
    printed = {line.split("=", 1)[0].removeprefix("export ") for line in sandbox.seen if line.startswith("export ")}
    assert printed == set(env)
    assert all(env[name].startswith("http://127.0.0.1:") for name in ("SLACK_API_URL", "GOVUK_API_URL",
                                                                     "COMMITMENT_BOT_SANDBOX_URL"))
    assert env["SMTP_URL"].startswith("smtp://127.0.0.1:")
    assert env["DATABASE_URL"] == f"sqlite:///{shipped / 'sandbox' / 'commitment-bot.db'}"
    assert (shipped / "sandbox" / "index.html").exists()
    assert sandbox.stop(sig) == 0
    assert sandbox.seen[-1] == "sandbox stopped; removed sandbox.env"
    assert not (shipped / "sandbox.env").exists()  # its ports are closed: nobody loads it by mistake
    with pytest.raises(httpx.ConnectError):
        httpx.get(env["SLACK_API_URL"] + "auth.test", timeout=5)


def test_a_checks_alerts_arrive_in_the_terminal_on_the_page_and_in_the_mailbox(
        cli: Cli, shipped: Path, background: Callable[..., Background]) -> None:
    sandbox, env = start_sandbox(background, shipped)
    result = cli("check", "--now", NOW, env=env)
    assert result.exit_code == 0, result.output
    # 10 alerts, each to its Slack channel and 5 of them to the coordinator too, in one mail: 15 deliveries
    assert ("checked 13 commitments: 10 alerts decided; deliveries: 15 sent, 0 queued, 0 failed (10 Slack messages "
            "and 1 mail; each alert is counted once per channel)") in result.output
    lapsed = ("slack #mvp-watch: 🔴 Lapsed: Implement the Migrant Victim Protocol — Nearly three years late: the "
              "deadline of 31 Dec 2…  [Record update] [Snooze] [Mark delivered] [Draft follow-up]")
    mail = "mail to coordinator@example.org: 5 commitment alerts: 3 lapsed, 2 gone silent"
    seen = sandbox.until(lambda seen: lapsed in seen and mail in seen
                         and sum(line.startswith("slack #") for line in seen) == 10)
    assert sum(line.startswith("slack #commitments: ") for line in seen) == 5
    page = (shipped / "sandbox" / "index.html").read_text(encoding="utf-8")
    assert "<h2>Slack #mvp-watch</h2>" in page and "<h2>Slack #commitments</h2>" in page
    assert f"commitment-bot sandbox click record_update --commitment {MVP}</code>" in page
    assert "5 commitment alerts: 3 lapsed, 2 gone silent</h3>" in page  # the mailbox, with the mail's text
    assert "slack.com" not in page  # every link to a thread stays on this machine: the mail's lead to the sandbox's page
    thread = env["SLACK_API_URL"].replace("/api/", "/archives/")
    assert f"Record what happened from its Slack thread in #mvp-watch (Record update): {thread}C" in page
    assert sandbox.stop() == 0


def test_click_records_an_update_through_a_running_slack_app(
        cli: Cli, shipped: Path, background: Callable[..., Background]) -> None:
    _, env = start_sandbox(background, shipped)
    nothing = cli("sandbox", "click", "record_update", "--commitment", MVP, "--note", "x", env=env)
    assert nothing.exit_code == 1 and f"no message in the sandbox's channels has a record_update button for {MVP}" \
        in nothing.output
    assert cli("check", "--now", NOW, env=env).exit_code == 0
    app = background(["slack", "serve", "--now", NOW], shipped, env)
    app.first(1)
    refused = cli("sandbox", "click", "record_update", "--commitment", MVP, "--note", "Ministers now say",
                  "--due", "once the pilot is done", env=env)
    assert refused.exit_code == 1, refused.output
    said = refused.output.splitlines()
    assert said[-2].startswith('the form said, under due: Due "once the pilot is done" is not a date') \
        and said[-1] == "nothing was recorded"
    recorded = cli("sandbox", "click", "record_update", "--commitment", MVP, "--note", "Ministers now say spring 2027",
                   "--due", "spring 2027", env=env)
    assert recorded.exit_code == 0, recorded.output
    assert recorded.output.splitlines()[-1].startswith("#mvp-watch, in the thread: ↪️ Slipped: Implement the Migrant")
    history = cli("history", MVP, "--now", NOW, env=env).output
    assert "update #1 recorded by Sandbox User" in history and "Ministers now say spring 2027" in history
    assert "Ministers now say [" not in history  # the refused form recorded nothing
    lapsed = cli("sandbox", "slash", "lapsed", env=env)  # printed plain, as a click's answer is: no Slack markup
    assert lapsed.exit_code == 0 and lapsed.output.startswith("Past their date ("), lapsed.output
    assert "*" not in lapsed.output and "`" not in lapsed.output
    app.stop(signal.SIGTERM)


def test_click_draft_follow_up_records_the_chase_and_tells_its_thread(
        cli: Cli, shipped: Path, background: Callable[..., Background]) -> None:
    """The page shows `sandbox click draft_follow_up` under the new button: it must work."""
    _, env = start_sandbox(background, shipped)
    assert cli("check", "--now", NOW, env=env).exit_code == 0
    app = background(["slack", "serve", "--now", NOW], shipped, env)
    app.first(1)
    chased = cli("sandbox", "click", "draft_follow_up", "--commitment", MVP, "--ref", "HL1234", "--to",
                 "Baroness Meacher", env=env)
    assert chased.exit_code == 0, chased.output
    said = chased.output.splitlines()
    assert said[1].startswith('submitted the form "Draft follow-up": form "written-question-lords", '
                              'reply_due.written-question-lords "2026-12-07", ref "HL1234"'), said
    assert said[-1] == ("#mvp-watch, in the thread: Sandbox User recorded that the team chased this promise by "
                        "written question HL1234 in the House of …")  # the terminal's line is cut
    history = cli("history", MVP, "--now", NOW, env=env).output
    assert "2026-11-22  chased by written question HL1234 to Baroness Meacher, reply due 2026-12-07" in history
    app.stop(signal.SIGTERM)


def test_click_record_reply_records_the_reply_to_the_overdue_chase(
        cli: Cli, shipped: Path, background: Callable[..., Background]) -> None:
    """Issue 26 item 6: the reply-overdue alert's Record reply button, as a coordinator clicks it."""
    _, env = start_sandbox(background, shipped)
    assert cli("chase", MVP, "--how", "foi", "--ref", "FOI-7", "--reply-due", "2026-11-20", "--now", "2026-11-02T10:00",
               env=env).exit_code == 0
    assert cli("check", "--now", NOW, env=env).exit_code == 0
    app = background(["slack", "serve", "--now", NOW], shipped, env)
    app.first(1)
    replied = cli("sandbox", "click", "record_reply", "--commitment", MVP, "--on", "2026-11-21", "--note",
                  "Holds no information", "--link", "https://example.org/foi-7", env=env)
    assert replied.exit_code == 0, replied.output
    said = replied.output.splitlines()
    assert said[1].startswith('submitted the form "Record reply": chase "a:'), said
    assert said[-1].startswith("#mvp-watch, in the thread: Sandbox User recorded that the team's chase by FOI request "
                               "FOI-7 of 2 Nov 2026 was replied to on 21"), said  # the terminal's line is cut
    history = cli("history", MVP, "--now", NOW, env=env).output
    assert "2026-11-21  recorded the reply to the team's FOI request FOI-7 of 2026-11-02" in history, history
    app.stop(signal.SIGTERM)


def test_the_sandbox_never_replaces_what_it_did_not_write(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "sandbox.env").write_text("SLACK_BOT_TOKEN=xoxb-real\n", encoding="utf-8")
    refused = cli("sandbox", "--env-file", "sandbox.env", "--dir", "ours")
    assert refused.exit_code == 1 and "sandbox.env exists and was not written by the sandbox" in refused.output
    assert (tmp_path / "sandbox.env").read_text(encoding="utf-8") == "SLACK_BOT_TOKEN=xoxb-real\n"
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("mine", encoding="utf-8")
    refused = cli("sandbox", "--dir", "site")
    assert refused.exit_code == 1 and "site holds files the sandbox did not write" in refused.output
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "mine"


def test_a_second_sandbox_in_the_same_folder_leaves_the_running_one_alone(
        cli: Cli, shipped: Path, background: Callable[..., Background]) -> None:
    sandbox, env = start_sandbox(background, shipped)
    assert cli("check", "--now", NOW, env=env).exit_code == 0
    second = cli("sandbox", "--env-file", "other.env")
    assert second.exit_code == 1
    assert f"a sandbox is already running in sandbox (pid {sandbox.proc.pid})" in second.output
    assert not (shipped / "other.env").exists()
    again = cli("check", "--now", NOW, env=env).output  # its database is still there: nothing is sent twice
    assert "0 alerts decided" in again, again
    assert sandbox.stop() == 0


def test_click_without_a_sandbox_says_how_to_start_one(cli: Cli) -> None:
    result = cli("sandbox", "click", "snooze", "--commitment", MVP)
    assert result.exit_code == 1
    assert "COMMITMENT_BOT_SANDBOX_URL is not set: start `commitment-bot sandbox --env-file sandbox.env`" in result.output


def test_every_button_the_bot_makes_can_be_clicked_in_the_sandbox(cli: Cli) -> None:
    """README "How to add a Slack button": its id in notifiers/slack/ids.py's BUTTONS is all the
    sandbox needs; `sandbox click` had a list of its own and refused a button not in it."""
    import notifiers.slack.ids as ids
    from notifiers.slack.buttons import alert_actions, lead_actions

    made = {e["action_id"] for block in (alert_actions(MVP, None, False, follow_up=True, reply="a:0123456789abcdef"),
                                          lead_actions(MVP, 1))
            for e in block["elements"]}
    assert made == set(ids.BUTTONS)  # a button the builders make is named in BUTTONS
    for button in ids.BUTTONS:
        result = cli("sandbox", "click", button, "--commitment", MVP)
        assert "COMMITMENT_BOT_SANDBOX_URL is not set" in result.output, (button, result.output)
    assert set(hand.FORMS) == ids.OPENS_A_FORM <= set(ids.BUTTONS)


# -- in-process: the view and the control endpoint, against a stage of stand-ins ---------------------
@pytest.fixture
def staged(tmp_path: Path) -> Iterator[stage.Stage]:
    with ExitStack() as stack:
        stage.prepare(tmp_path / "sandbox")
        on = stage.start(stack, tmp_path / "sandbox")
        on.control_url = stack.enter_context(ControlServer(on)).url
        yield on


def test_hostile_text_reaches_the_terminal_and_the_page_inert(staged: stage.Stage, tmp_path: Path) -> None:
    out = io.StringIO()
    feed = Feed(staged, out, tmp_path / "sandbox" / "index.html")
    feed.start()
    state = staged.slack.state
    client = httpx.Client(base_url=staged.slack.url, headers={"Authorization": f"Bearer {world.BOT_TOKEN}"})
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "<javascript:alert(1)|click> <script>x</script>"}},
              {"type": "actions", "elements": [{"type": "button", "action_id": "record_update", "value": "not json",
                                                "text": {"type": "plain_text", "text": "<img src=x onerror=y>"}}]}]
    assert client.post("chat.postMessage", json={"channel": "#mvp-watch", "text": "\x1b]0;owned\x07 \x1b[2J hello",
                                                 "blocks": blocks}).json()["ok"]
    assert state.wait_for(lambda s: len(s.messages) == 1)
    feed.stop()  # the line and the page are written before the feed takes its next turn
    line = out.getvalue().splitlines()[0]
    assert "\x1b" not in line and line.startswith("slack #mvp-watch: \\x1b]0;owned\\x07 \\x1b[2J hello")
    page = (tmp_path / "sandbox" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "&lt;img src=x onerror=y&gt;" in page


def test_a_threads_permalink_leads_to_it_on_the_sandboxs_page(staged: stage.Stage, tmp_path: Path) -> None:
    """Slack's permalinks are a workspace's web pages; the sandbox's are its own page, on loopback,
    at the message's anchor: nothing a newcomer clicks in the sandbox leaves the machine."""
    feed = Feed(staged, io.StringIO(), tmp_path / "sandbox" / "index.html")
    feed.start()
    client = httpx.Client(base_url=staged.slack.url, headers={"Authorization": f"Bearer {world.BOT_TOKEN}"})
    root = client.post("chat.postMessage", json={"channel": "#mvp-watch", "text": "an alert"}).json()
    reply = client.post("chat.postMessage", json={"channel": "#mvp-watch", "text": "news", "thread_ts": root["ts"]}).json()
    assert staged.slack.state.wait_for(lambda s: len(s.messages) == 2)
    feed.stop()
    page = httpx.get(staged.slack.url.replace("/api/", "/"), timeout=5)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for posted in (root, reply):
        link = client.post("chat.getPermalink", data={"channel": posted["channel"],
                                                      "message_ts": posted["ts"]}).json()["permalink"]
        anchor = f"{posted['channel']}-p{posted['ts'].replace('.', '')}"
        assert link.startswith(staged.slack.url.replace("/api/", "/archives/")), link
        opened = httpx.get(link, timeout=5)
        assert opened.status_code == 302 and opened.headers["location"] == f"/#{anchor}"
        assert f'id="{anchor}"' in page.text
    assert httpx.get(staged.slack.url.replace("/api/", "/archives/C1/../../etc"), timeout=5).status_code == 404


def test_the_control_door_is_bounded(staged: stage.Stage) -> None:
    url = staged.control_url
    assert httpx.post(url + "/click", content=b"{", timeout=5).status_code == 400
    assert httpx.post(url + "/click", json={"action": ["x"], "commitment": 1}, timeout=5).status_code == 400
    assert httpx.post(url + "/nothing", json={}, timeout=5).status_code == 404
    big = httpx.post(url + "/slash", content=b"x" * (65 << 10), timeout=5)
    assert big.status_code == 413 and big.json()["ok"] is False


def _post_declaring(url: str, length: str) -> bytes:
    """A raw POST whose Content-Length is `length` and whose body never comes; what the server answers."""
    parts = httpx.URL(url)
    with socket.create_connection((parts.host, parts.port or 80), timeout=5) as s:
        s.sendall(f"POST {parts.raw_path.decode()} HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
        answer = b""
        while chunk := s.recv(4096):  # the server closes: it does not wait for a body it will not read
            answer += chunk
    return answer


def _teams(staged: stage.Stage) -> teams.InSandbox:
    standin = staged.channels["teams"]
    assert isinstance(standin, teams.InSandbox)
    return standin


@pytest.mark.parametrize("length", ["-1", "99999999999", "12abc"])
def test_every_stand_in_refuses_a_length_it_would_not_read(staged: stage.Stage, length: str) -> None:
    doors = [staged.control_url + "/slash", staged.slack.url + "chat.postMessage",
             _teams(staged).state.url_of(teams.NAME)]
    for url in doors:
        assert _post_declaring(url, length).startswith(b"HTTP/1.1 413"), url


def test_every_stand_in_lets_go_of_a_request_whose_body_never_comes(staged: stage.Stage,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Headers saying 100 bytes and no body: each stand-in gives the connection up after its read
    timeout (10 s; a fraction of a second here) instead of holding a thread for it for ever."""
    monkeypatch.setattr(body, "READ_TIMEOUT", 0.3)
    doors = [staged.control_url + "/slash", staged.slack.url + "chat.postMessage",
             _teams(staged).state.url_of(teams.NAME), staged.apis.url + "/search"]
    for url in doors:
        parts = httpx.URL(url)
        with socket.create_connection((parts.host, parts.port or 80), timeout=5) as s:
            s.sendall(f"POST {parts.raw_path.decode()} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n".encode())
            while s.recv(4096):  # any answer (the stand-in of the UK APIs takes no POST: 501), then closed
                pass  # by the server, long before the client's 5 s would raise TimeoutError
    assert issubclass(_teams(staged).server.httpd.RequestHandlerClass, StandIn)


def test_a_click_with_no_app_connected_says_so_at_once(staged: stage.Stage) -> None:
    state = staged.slack.state
    value = json.dumps({"id": MVP, "period": None})
    client = httpx.Client(base_url=staged.slack.url, headers={"Authorization": f"Bearer {world.BOT_TOKEN}"})
    client.post("chat.postMessage", json={"channel": "#mvp-watch", "text": "alert", "blocks": [
        {"type": "actions", "elements": [{"type": "button", "action_id": "snooze", "value": value,
                                          "text": {"type": "plain_text", "text": "Snooze"}}]}]})
    began = time.monotonic()
    answer = hand.press(state, staged.socket, "snooze", MVP, {})
    assert not answer.ok and answer.lines[0].startswith("no Slack app is connected to the sandbox")
    assert staged.socket.acks == {}  # nothing was sent
    slashed = hand.ask(state, staged.socket, "lapsed", "#mvp-watch")
    assert not slashed.ok and slashed.lines[0].startswith("no Slack app is connected to the sandbox")
    # The sandbox knows no app is connected or connecting: it says so at once, not after hand.WAIT.
    assert time.monotonic() - began < hand.WAIT / 3


def test_an_app_that_is_connecting_is_waited_for(staged: stage.Stage) -> None:
    """Between asking apps.connections.open and opening the WebSocket, an app is on its way: a
    click then waits for it (up to hand.WAIT), rather than saying no app is there."""
    from websockets.sync.client import connect

    assert not staged.socket.awaited(hand.WAIT)  # nobody asked to connect: no wait
    opened = httpx.post(staged.slack.url + "apps.connections.open",
                        headers={"Authorization": f"Bearer {world.APP_TOKEN}"}, timeout=5).json()
    assert opened["ok"]
    answers: list[bool] = []
    waiting = threading.Thread(target=lambda: answers.append(staged.socket.awaited(hand.WAIT)))
    waiting.start()
    with connect(opened["url"]) as app:
        assert json.loads(app.recv(5))["type"] == "hello"
        waiting.join(hand.WAIT)
        assert answers == [True]


def test_port_base_puts_every_stand_in_on_its_port(tmp_path: Path) -> None:
    base = _free_block(6)
    with ExitStack() as stack:
        stage.prepare(tmp_path / "sandbox")
        on = stage.start(stack, tmp_path / "sandbox", base)
        env = on.env()
    assert env["SLACK_API_URL"] == f"http://127.0.0.1:{base}/api/"
    assert env["SMTP_URL"] == f"smtp://127.0.0.1:{base + 2}"
    assert env["GOVUK_API_URL"] == f"http://127.0.0.1:{base + 3}"
    assert env["TEAMS_WEBHOOK_ADVOCACY"].startswith(f"http://127.0.0.1:{base + 4}/workflows/")


def _free_block(n: int) -> int:
    """A run of `n` ports free now, below the kernel's ephemeral range (so no client takes one meanwhile)."""
    for base in range(20000, 30000, 97):
        with ExitStack() as stack:
            try:
                for port in range(base, base + n):
                    s = stack.enter_context(socket.socket())
                    s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return base
    raise AssertionError("no free ports")
