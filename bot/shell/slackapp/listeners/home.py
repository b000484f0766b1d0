"""The App Home tab (SPEC §6.2): what is lapsed and due in the next 30 days in the channels the
viewer is in, published each time they open it.
"""

from __future__ import annotations

from typing import Any

from bot.shell.slackapp import lists
from bot.shell.slackapp.desk import Desk, database_trouble
from notifiers.slack.views import home_view

EVENT = "app_home_opened"


def register(app: Any, desk: Desk) -> None:
    @app.event(EVENT)
    def home(event: dict[str, Any], client: Any) -> None:
        user = event["user"]
        answer = client.users_conversations(user=user, types="public_channel,private_channel", limit=999)
        names = sorted(str(ch.get("name")) for ch in answer.get("channels") or [])
        register, _ = desk.register()
        now = desk.now(register)
        mine = {c.id for c in register.commitments if set(desk.slack_channels(register, c)) & set(names)}
        try:
            rows = lists.rows(desk, register, now)
        except Exception as e:
            trouble = database_trouble(e)
            if trouble is None:
                raise
            client.views_publish(user_id=user, view={"type": "home", "blocks": [
                {"type": "section", "text": {"type": "plain_text", "text": trouble}}]})
            return
        lapsed, due = lists.lapsed_and_due([r for r in rows if r.id in mine], now.date())
        client.views_publish(user_id=user, view=home_view(
            [lists.line(r) for r in lapsed], [lists.line(r) for r in due], names,
            lists.site_link(desk)))
