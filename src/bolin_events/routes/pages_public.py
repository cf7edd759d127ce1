"""Public HTML pages (no login): home, calendar, event, programme, subscribe, poster."""

from __future__ import annotations

from typing import Any

PUBLIC_PAGES: list[Any] = []
