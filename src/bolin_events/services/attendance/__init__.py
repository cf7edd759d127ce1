"""Attendance: the 人次 village staff report for each held night.

``reports`` files a report or a correction (a new revision; the latest counts), checking who
may report where and when; ``figures`` checks the numbers; ``held`` says what counts;
``history`` and ``pending`` are what staff read; ``photos`` keeps evidence pictures;
``idempotency`` makes a retried report count once.
"""
