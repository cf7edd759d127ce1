"""Bringing a season in: spreadsheets (XLSX/CSV) and other iCalendar feeds.

Pure parts (columns, table, cells, phrases, rows, mapping, ics_parse, template) know nothing
of the database; ``sheet`` and ``ics`` write through the scheduling service, so an imported
event follows every rule a typed-in one does (clashes, SEQUENCE, occurrences).
"""
