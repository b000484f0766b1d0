"""The imperative shell: everything that touches the world around the pure core in `bot/`.

It reads files and the environment, opens the database, reads the clock, runs the scheduler and
hands stored notifications to the channels. What is due and what it says is decided in the core
(`bot.decide`); the one judgement made here is the watch's, which finds are leads worth a person's
time (`bot.shell.watch.judge`), since it needs what was fetched.
"""
