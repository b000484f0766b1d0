"""The Slack app (SPEC §6.2): people answer the bot where they work.

`desk` holds what the handlers need (the register, the store, the clock, delivery after the
answer); `access` who may record; `recorder` checks and records an update from a modal or
`/commitments`; `handlers` the buttons, `forms` the modals, `commands` the slash command and App
Home; `serve` runs them over Socket Mode or signed HTTP (waitress, with limits).
"""
