"""The outside world on loopback: local stand-ins of Slack (Web API and Socket Mode), SMTP, GOV.UK and
Parliament, and of each other installed channel that has one (channels.py). The tests talk to them,
and `commitment-bot sandbox` (SPEC §7.7) runs them for a person trying the bot without a workspace.
"""
