"""Chasing a lapsed promise (SPEC §7.5): the pure content of a draft and when its reply is due.

A team chases with a written question (a Member tables it), a letter to the responsible minister
or a freedom of information request. This room decides what a draft says and when an answer is
due, from shipped, cited tables in `data/`:
- `answering_bodies.csv`: an owner as registers write it → who answers in each House, the
  minister a letter goes to (by role), and the FOI route (answering.py);
- `service_standards.csv`: how long each channel has to answer, in the unit its own rule counts
  (standards.py).
Working days are counted in bot/when/workdays.py, against the bank holidays of England and Wales
(1997 on) and of Scotland and Northern Ireland (2012 on) in bot/when/calendars/bank_holidays.csv,
the table the reader's "within 20 working days" counts with too. Sitting days come from Parliament's calendar (sitting.py). Nothing here reads the clock or sends
anything: `on` is a parameter, and the shell (bot/shell/drafts/) renders the text a person sends.
"""
