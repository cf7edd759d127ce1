"""Staff workspace HTML pages (session login): dashboard, editor, attendance, reports, users."""

from __future__ import annotations

from typing import Any

STAFF_PAGES: list[Any] = []
