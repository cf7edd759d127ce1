"""What the holiday tests share: 2027's National Day as an admin would type it in."""

from __future__ import annotations

from typing import Any

# Made up for the tests (2027's arrangement is not published as these are written): the week
# of 1–7 October off, Sunday 26 September and Saturday 9 October worked.
NATIONAL_DAY_2027: dict[str, Any] = {
    "days": [
        {"start": "2027-10-01", "end": "2027-10-07", "name_zh": "国庆节"},
        {"start": "2027-09-26", "kind": "workday", "name_zh": "国庆节"},
        {"start": "2027-10-09", "kind": "workday", "name_zh": "国庆节"},
    ],
    "source": "测试用安排",
}
NATIONAL_DAY_2027_LINES = (
    "2027-10-01..2027-10-07 国庆节\n"
    "2027-09-26 班 国庆节\n"
    "2027-10-09 班 国庆节 / National Day\n"
)
