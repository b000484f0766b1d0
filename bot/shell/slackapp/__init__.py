"""The Slack app (SPEC §6.2): people answer the bot where they work.

Laid out as Bolt apps are: `listeners/` holds one module per kind of request (`actions.py` the
buttons, `views.py` the modals' submissions, `commands.py` `/commitments`, `home.py` App Home),
each with `register(app, desk)` wiring the ids in notifiers/slack/ids.py to plain functions.
`guard.py` makes every check before a listener acts (a button the bot made, a commitment still
there, a person `access.py` lets record); `payload.py` reads what Slack sent; `recorder.py` checks
an update, `chasing.py` a draft follow-up and its chase; `lists.py` the lists `/commitments` and App
Home show; `desk.py` what they share and the one thread that delivers after an answer; `serve.py`
runs them over Socket Mode or signed HTTP (waitress, with limits).
"""
