"""What an import says back: per row (or per feed event) what would happen and what is wrong."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Action(StrEnum):
    create = "create"
    update = "update"
    unchanged = "unchanged"
    cancel = "cancel"
    error = "error"
    skip = "skip"


class Problem(BaseModel):
    """One thing wrong, in the words a person reads (the row and column are already in them)."""

    row: int | None = Field(default=None, description="spreadsheet row (the header is row 1)")
    column: str | None = Field(default=None, description="the column header as in the file")
    value: str | None = None
    message: str
    message_en: str
    suggestions: list[str] = Field(default_factory=list, description="closest known names")


class RowResult(BaseModel):
    row: int | None = Field(default=None, description="spreadsheet row; none for a feed event")
    external_id: str
    title: str
    action: Action
    event_id: int | None = Field(default=None, description="the existing event, when there is one")
    changes: list[str] = Field(default_factory=list, description="fields that would change")
    problems: list[Problem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="worth knowing, not wrong")


class ImportCounts(BaseModel):
    create: int = 0
    update: int = 0
    unchanged: int = 0
    cancel: int = 0
    error: int = 0
    skip: int = 0


class ImportReport(BaseModel):
    kind: str = Field(description="sheet or ics")
    source: str = Field(description="the events' `source`; with the external id it finds them")
    dry_run: bool
    written: bool = Field(description="true only when the changes were saved")
    counts: ImportCounts
    problems: list[Problem] = Field(
        default_factory=list, description="every problem, file-wide ones first"
    )
    notes: list[str] = Field(default_factory=list, description="about the whole file or feed")
    rows: list[RowResult]
