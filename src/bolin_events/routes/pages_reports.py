"""Staff reports pages (session login)."""

from __future__ import annotations

from typing import Any

REPORTS_PAGES: list[Any] = []
