"""Scheduling: events and series, one-night exceptions, their stored occurrences, recurrence
rules and venue clashes (commands), and the read queries pages, the API and reports share.

``events`` and ``nights`` change things; ``occurrences`` keeps a series' nights in step with
its rule; ``clashes`` refuses double bookings; ``recurrence`` reads and expands RRULEs;
``queries`` answers what is on.
"""
