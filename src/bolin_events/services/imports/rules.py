"""Rules an admin writes to place another calendar's events in ours (a small YAML file).

Example (``--rules district.yaml``, or ``DATA_DIR/import-rules/<source>.yaml``)::

    default_category: culture        # when no rule gives one
    default_venue: null              # when no rule and no venue name in LOCATION gives one
    status: published                # new events: published or draft
    allow_overlap: false             # true: a clash at a venue is not an error
    rules:                           # first match wins, for category and venue separately
      - {categories: 农耕, category: farming}          # a CATEGORIES value contains 农耕
      - {location: 嘉悦农场, venue: jiayue-farm}        # LOCATION contains 嘉悦农场
      - {summary: 篮球, category: sports}              # SUMMARY contains 篮球
      - {location: 清溪沟, summary: 村晚, category: performance, venue: qingqing-park}

Matching ignores case; every condition in a rule must hold. Without a venue rule, a
LOCATION that names one of our venues (Chinese name, English name or slug) finds it. A night
the source moved elsewhere (an override with its own LOCATION) is placed exactly as its event
would be at that LOCATION; one that nothing places stays at the series' venue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bolin_events.errors import InvalidInput
from bolin_events.services.imports.ics_parse import FeedEvent
from bolin_events.services.imports.mapping import find, norm, suggest
from bolin_events.services.refs import RefData, Table
from bolin_events.settings import Settings


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    categories: str | None = None
    location: str | None = None
    summary: str | None = None
    category: str | None = None
    venue: str | None = None

    def matches(self, event: FeedEvent) -> bool:
        tests = (
            (self.categories, event.categories),
            (self.location, [event.location]),
            (self.summary, [event.summary]),
        )
        given = [(want, texts) for want, texts in tests if want]
        return bool(given) and all(
            any(want.lower() in text.lower() for text in texts) for want, texts in given
        )


class MappingRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_category: str = "culture"
    default_venue: str | None = None
    status: Literal["draft", "published"] = "published"
    allow_overlap: bool = False
    rules: list[Rule] = Field(default_factory=list)


@dataclass(frozen=True)
class Placement:
    category: str
    venue: str | None


def rules_text(settings: Settings, source: str, path: Path | None) -> str | None:
    """The file given, else ``DATA_DIR/import-rules/<source>.yaml`` when there is one."""
    found = path or settings.data_dir / "import-rules" / f"{source}.yaml"
    return found.read_text(encoding="utf-8") if path or found.is_file() else None


def load_rules(text: str | None) -> MappingRules:
    if not text:
        return MappingRules()
    try:
        data: Any = yaml.safe_load(text) or {}
        return MappingRules.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise InvalidInput(
            f"规则文件有误：{exc}", f"The rules file is not valid: {exc}", [{"field": "rules"}]
        ) from None


def check_rules(rules: MappingRules, refs: RefData) -> None:
    """Every slug a rule names must exist: a typo would file events under nothing."""
    wanted: list[tuple[Table[Any], str, str, str]] = [
        (refs.categories, rules.default_category, "类别", "category")
    ]
    if rules.default_venue:
        wanted.append((refs.venues, rules.default_venue, "场地", "venue"))
    for rule in rules.rules:
        if rule.category:
            wanted.append((refs.categories, rule.category, "类别", "category"))
        if rule.venue:
            wanted.append((refs.venues, rule.venue, "场地", "venue"))
    for table, slug, zh, en in wanted:
        if slug not in table.by_slug:
            close = ", ".join(r.slug for r in suggest(table, slug)) or "—"
            raise InvalidInput(
                f"规则文件中的{zh}「{slug}」不存在（相近：{close}）。",
                f"The rules file names {en} {slug!r}, which does not exist (close: {close}).",
                [{"field": "rules", "value": slug}],
            )


def place(event: FeedEvent, rules: MappingRules, refs: RefData) -> Placement:
    category = next((r.category for r in rules.rules if r.category and r.matches(event)), None)
    venue = next((r.venue for r in rules.rules if r.venue and r.matches(event)), None)
    return Placement(
        category or rules.default_category,
        venue or venue_named(event.location, refs) or rules.default_venue,
    )


def night_venue(
    event: FeedEvent, location: str, rules: MappingRules, refs: RefData
) -> str | None:
    """The venue of a night the source holds at ``location``: the event's own matching, so a
    night is never put back at the series' venue that a rule would place elsewhere; None:
    the series' venue."""
    return place(replace(event, location=location), rules, refs).venue


def organizer_named(text: str, refs: RefData) -> str | None:
    """Our organizer a feed's 主办 / Organizer line names, in either language."""
    for name in (text, *text.split(" / ")):
        found = find(refs.organizers, name)
        if len(found) == 1:
            return str(found[0].slug)
    return None


def venue_named(location: str, refs: RefData) -> str | None:
    """Our venue that a LOCATION names: exactly, or the one venue whose name it contains."""
    if not location:
        return None
    exact = find(refs.venues, location)
    if len(exact) == 1:
        return str(exact[0].slug)
    text = norm(location)
    inside = [v for v in refs.venues.by_id.values() if norm(v.name_zh) in text]
    return str(inside[0].slug) if len(inside) == 1 else None
