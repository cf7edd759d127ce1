"""The JSON API (``/api/v1/…``), one module per subject; OpenAPI at ``/schema``."""
