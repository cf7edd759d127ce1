"""The training line of the annual return: each training event is one 班次, however many
meetings, counted in the year of its first held meeting; its 培训人次 are its trainees —
completed, else enrolled, else (with a warning) its largest meeting's on-site people — never
the sum of its meetings (a weekly class of 8 meetings with ~32 people is 1 班次 and 32 人次)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import col, func
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import AttendanceReport, Event, EventStatus, Occurrence
from bolin_events.schemas.reports import ReturnCourse
from bolin_events.services.attendance.held import HELD, is_latest
from bolin_events.services.stats.queries import Window
from bolin_events.services.timing import zone
from bolin_events.settings import Settings


@dataclass
class Course:
    """A training event whose first held meeting falls in the window: one 班次."""

    event_id: int
    title: str
    course: bool
    meetings: int
    first: datetime
    enrolled: int | None
    completed: int | None
    largest: int | None

    @property
    def trainees(self) -> tuple[int, str]:
        if self.course and self.completed is not None:
            return self.completed, "completed"
        if self.course and self.enrolled is not None:
            return self.enrolled, "enrolled"
        return self.largest or 0, "largest_meeting"


async def courses(session: AsyncSession, window: Window, category_ids: list[int]) -> list[Course]:
    """The training events of ``category_ids`` whose first held meeting starts in the window,
    with their meetings held in any year and the largest one's on-site people."""
    if not category_ids:
        return []
    latest = aliased(AttendanceReport, name="latest")
    onsite = func.coalesce(latest.onsite, latest.total - func.coalesce(latest.online, 0))
    first = func.min(col(Occurrence.starts_at))
    query = (
        select(
            col(Event.id),
            col(Event.title_zh),
            col(Event.course),
            col(Event.enrolled),
            col(Event.completed),
            func.count(col(Occurrence.id)),
            first,
            func.max(onsite),
        )
        .select_from(Occurrence)
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .outerjoin(latest, is_latest(latest))
        .where(
            col(Event.status) == EventStatus.published,
            col(Event.category_id).in_(category_ids),
            col(Occurrence.state).in_(HELD),
            col(Occurrence.ends_at) <= window.now,
        )
        .group_by(
            col(Event.id), col(Event.title_zh), col(Event.course), col(Event.enrolled),
            col(Event.completed),
        )
        .having(first >= window.start, first < window.end)
        .order_by(first, col(Event.id))
    )
    connection = await session.connection()
    return [_course(row) for row in await connection.execute(query)]


def _course(row: Any) -> Course:
    event_id, title, course, enrolled, completed, meetings, first_held, largest = row
    return Course(
        event_id=event_id,
        title=title,
        course=bool(course),
        meetings=int(meetings),
        first=first_held,
        enrolled=enrolled,
        completed=completed,
        largest=None if largest is None else int(largest),
    )


def course_out(course: Course, settings: Settings) -> ReturnCourse:
    trainees, source = course.trainees
    return ReturnCourse(
        event_id=course.event_id,
        title=course.title,
        course=course.course,
        meetings=course.meetings,
        first=course.first.astimezone(zone(settings.timezone)).date(),
        enrolled=course.enrolled,
        completed=course.completed,
        largest=course.largest,
        trainees=trainees,
        source=source,
    )


def course_warnings(counted: list[Course]) -> list[str]:
    """Courses whose 培训人次 are uncertain: nothing entered, or not marked as a course."""
    found = []
    for course in counted:
        largest = course.largest or 0
        if not course.course:
            found.append(
                f"培训活动「{course.title}」未标记为一个培训班：已按1班次、单场最多{largest}人次"
                "计入培训人次；请在活动中标记为培训班并填写报名、结业人数。"
            )
        elif course.trainees[1] == "largest_meeting":
            found.append(
                f"培训班「{course.title}」未填报名或结业人数：培训人次暂按单场最多{largest}人次计。"
            )
    return found
