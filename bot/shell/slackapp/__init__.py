"""The Slack app (SPEC §6.2): people answer the bot where they work.

`desk` holds what the handlers need (the register, the store, the clock, delivery);
`recorder` checks and records an update from a modal or `/commitments`; `handlers` registers
the slack-bolt listeners; `serve` runs them over Socket Mode or signed HTTP.
"""
