"""The one filter rule: which events and nights a category/village/venue/programme filter
selects."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Filters:
    categories: list[str] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        category: str | None = None,
        village: str | None = None,
        venue: str | None = None,
        programme: str | None = None,
    ) -> Filters:
        """From the comma-separated query values."""
        return cls(
            split_slugs(category), split_slugs(village), split_slugs(venue), split_slugs(programme)
        )


def split_slugs(value: str | None) -> list[str]:
    """"a, b," → ["a", "b"]: the comma-separated slug lists filters are written as."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]
