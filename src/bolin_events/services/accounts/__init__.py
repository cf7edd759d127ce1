"""Staff accounts: ``users`` (roles, villages, passwords), ``tokens`` (API tokens and page
log-ins, resolved into who is asking) and ``limits`` (wrong-password lock-outs shared by
every app process). Who may do what is decided in one place: ``bolin_events.auth``.
"""
