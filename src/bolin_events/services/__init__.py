"""Rules and queries. Services flush but never commit: the request boundary does; they know
nothing of HTTP.

One package per subject: ``scheduling`` (events, nights, occurrences, recurrence, clashes,
read queries), ``feeds`` (everything a feed request needs but the ASGI mount),
``attendance`` (reports, figures, what counts, photos, idempotency), ``accounts`` (users,
tokens, log-in limits), ``stats`` (periods, figures, wording, annual return, files, charts),
``imports`` (sheet and ics import). Beside them: ``refs`` (reference data per request),
``filters`` (the one filter rule), ``timing`` (time zones and local days), ``places``
(editing reference data) and ``seeding`` (the seed and demo season).
"""
