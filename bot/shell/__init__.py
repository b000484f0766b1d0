"""The imperative shell: everything that touches the world around the pure core in `bot/`.

It reads files and the environment, opens the database, reads the clock, runs the scheduler and
hands stored notifications to the channels; it decides nothing itself (`bot.decide.engine` does).
"""
