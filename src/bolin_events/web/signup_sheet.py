"""A night's sign-up list as a spreadsheet: the columns of the staff list, the phone numbers
masked as staff see them (the full number is never stored), built in the worker pool."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from bolin_events.models import SignupState
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.schemas.signups import NightFigures, RegistrationRow
from bolin_events.services.heavy import off_loop
from bolin_events.services.stats.files import Table, to_xlsx
from bolin_events.web.signup_views import totals_line

MEDIA_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATE_ZH = {SignupState.confirmed: "已确认", SignupState.waitlisted: "候补",
            SignupState.cancelled: "已取消"}
HEADERS = ["签到码", "称呼/昵称", "手机号（隐去中间四位）", "人数", "状态", "候补位置",
           "其他问题的回答", "报名时间", "签到时间", "签到人数", "签到入口", "现场加入", "未到"]


def _local(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else None


def state_zh(row: RegistrationRow) -> str:
    if row.purged:
        return f"{STATE_ZH[row.state]}（个人信息已删除）"
    return STATE_ZH[row.state]


def night_table(
    rows: list[RegistrationRow], night: OccurrenceOut, figures: NightFigures, tz: ZoneInfo
) -> Table:
    """The list as the staff page shows it, with the night and its totals as notes."""
    start = night.start.strftime("%Y-%m-%d %H:%M") if isinstance(night.start, datetime) \
        else night.start.isoformat()
    return Table(
        title="报名名单",
        headers=HEADERS,
        rows=[
            [r.code, r.name, r.phone_masked, r.party, state_zh(r), r.position,
             "；".join(a for a in r.answers if a) or None, _local(r.created_at, tz),
             _local(r.checked_in_at, tz), r.checked_in_people, r.checked_in_door,
             "是" if r.walk_in else None, "是" if r.no_show else None]
            for r in rows
        ],
        notes=[f"{night.title_zh} · {start}", totals_line(figures).zh,
               "手机号只保存可比对的形式，这里隐去中间四位；个人信息到期后自动删除。"],
    )


async def night_xlsx(
    rows: list[RegistrationRow], night: OccurrenceOut, figures: NightFigures, tz: ZoneInfo
) -> bytes:
    return await off_loop(to_xlsx, night_table(rows, night, figures, tz))


def disposition(night: OccurrenceOut) -> str:
    """An attachment named in Chinese (报名名单-标题-2027-06-04.xlsx, RFC 6266 ``filename*``)
    with a plain ASCII name beside it for clients that take only that."""
    day = (night.start.date() if isinstance(night.start, datetime) else night.start).isoformat()
    title = "".join(ch for ch in night.title_zh if ch not in '\\/:*?"<>|\r\n\t')[:60]
    name = f"报名名单-{title}-{day}.xlsx"
    return (f'attachment; filename="signups-{night.id}.xlsx"; '
            f"filename*=UTF-8''{quote(name)}")
