"""HTML pages: ``public`` for visitors, ``staff`` (log-in, dashboard, users), ``events``
(the scheduler's editor), ``attendance`` (reporting on a phone) and ``reports``."""
