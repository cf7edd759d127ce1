"""Staff attendance pages (session login)."""

from __future__ import annotations

from typing import Any

ATTENDANCE_PAGES: list[Any] = []
