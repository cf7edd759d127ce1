"""HTML pages: ``public`` for visitors; for staff, ``staff`` (log-in, dashboard), ``users``
(accounts), ``events`` and ``nights`` (the scheduler's editor), ``attendance`` (reporting on
a phone), ``reports`` and ``records`` (the printable activity record sheets). ``common``
holds what their forms share."""
