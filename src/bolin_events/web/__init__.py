"""Everything HTML: the template engine and page context (``render``), reading staff forms
(``event_form``, ``recurrence_form``, ``form_problems``, ``attendance_form``), what pages show
(``public_views``, ``public_meta``, ``staff_views``), error pages, templates and static files.

Route handlers in ``routes.pages`` parse the request, call a service, and hand its answer to
these modules; nothing here writes to the database.
"""
