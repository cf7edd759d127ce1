"""The event editor's repetition by the Chinese calendar: 每年农历…, 每年节气…, 农历逢…日 in
words, saved as the event's calendar_rule, read back into the form, refused beside the field
that is wrong; and the next dates shown before saving (/staff/recurrence/preview)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bolin_events.models import Event, Role
from bolin_events.web.recurrence_form import describe
from tests.api.helpers import create_event
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.staff_helpers import FormData, event_id_of, location, nights_of, post_form

PREVIEW = "/staff/recurrence/preview"
MID_AUTUMN = ["2027-09-15", "2028-10-03", "2029-09-22", "2030-09-12", "2031-10-01"]
# 中秋村晚 from 2027 on: the start date is any day before the first 八月十五
GALA_FORM: FormData = {
    "title_zh": "中秋村晚",
    "title_en": "Mid-Autumn village gala",
    "category": "performance",
    "venue": "qingqing-park",
    "start_date": "2027-01-01",
    "start_time": "19:30",
    "end_time": "21:30",
    "repeat": "lunar",
    "lunar_month": "8",
    "lunar_day": "15",
    "ends": "count",
    "count": "5",
    "status": "published",
}


@pytest.fixture
async def scheduler(client: Client, reference: None) -> dict[str, str]:
    return await log_in(client, "scheduler", Role.scheduler)


async def _event(client: Client, headers: dict[str, str], event_id: int) -> dict[str, Any]:
    body: dict[str, Any] = (await client.get(f"/api/v1/events/{event_id}",
                                             headers=headers)).json()
    return body


async def _nights(client: Client, event_id: int) -> list[tuple[str, str]]:
    """The event's nights 2027–2032, asked two years at a time (the API's widest window)."""
    found: list[tuple[str, str]] = []
    for year in (2027, 2029, 2031):
        found += await nights_of(client, event_id, f"{year}-01-01", f"{year + 2}-01-01")
    return found


def _chosen(tree: Any) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """The ticked boxes and radios, and each select's chosen option, as the page shows them."""
    checked = {(i.get("name"), i.get("value")) for i in tree.iter("input")
               if i.get("checked") is not None}
    selected = {s.get("name"): o.get("value") for s in tree.iter("select")
                for o in s.iter("option") if o.get("selected") is not None}
    return checked, selected


async def test_every_year_on_a_lunar_date_saves_its_rule_and_reopens_chosen(
    client: Client, scheduler: dict[str, str]
) -> None:
    response = await post_form(client, "/staff/events/new", GALA_FORM)

    event_id = event_id_of(response)
    event = await _event(client, scheduler, event_id)
    assert (event["calendar_rule"], event["rrule"]) == ("LUNAR;MONTH=8;DAY=15;COUNT=5", None)
    nights = await _nights(client, event_id)
    assert nights == [(f"{day}T19:30:00+08:00", "scheduled") for day in MID_AUTUMN]
    page = await client.get(location(response))
    tree = assert_good_page(page.text)
    assert "每年农历八月十五 19:30–21:30，2027-09-15 至 2031-10-01，共 5 场" in page.text
    checked, selected = _chosen(tree)
    assert {("repeat", "lunar"), ("ends", "count")} <= checked
    assert ("lunar_leap", "on") not in checked
    assert (selected["lunar_month"], selected["lunar_day"]) == ("8", "15")
    assert 'name="count" type="number" value="5"' in page.text
    # without script, the saved form says its dates with their lunar names
    assert "2028年10月3日 周二 · 农历八月十五 中秋节" in page.text
    english = await client.get(f"/staff/events/{event_id}?lang=en")
    assert ("Every year on the 15th day of the 8th lunar month, 19:30–21:30, 2027-09-15 to "
            "2031-10-01, 5 times") in english.text


@pytest.mark.parametrize(
    ("choice", "rule", "first_nights"),
    [
        ({"repeat": "term", "term": "秋分", "ends": "until", "until": "2029-12-31"},
         "TERM;NAME=秋分;UNTIL=20291231", ["2027-09-23", "2028-09-22", "2029-09-23"]),
        ({"repeat": "lunar", "lunar_month": "12", "lunar_day": "30", "ends": "count",
          "count": "2"},  # 腊月 of lunar 2026 and 2027 has 29 days: 除夕 is 廿九
         "LUNAR;MONTH=12;DAY=30;COUNT=2", ["2027-02-05", "2028-01-25"]),
        ({"repeat": "lunardays", "ending": ["3", "6", "9"], "ends": "until",
          "until": "2027-09-20", "start_date": "2027-09-01"},  # 农历八月初一 … 二十
         "LUNARDAYS;ENDINGS=3,6,9;UNTIL=20270920",
         ["2027-09-03", "2027-09-06", "2027-09-09", "2027-09-13", "2027-09-16", "2027-09-19"]),
    ],
)
async def test_solar_term_and_lunar_day_choices_save_their_rules(
    client: Client, scheduler: dict[str, str], choice: FormData, rule: str,
    first_nights: list[str],
) -> None:
    fields = {**GALA_FORM, "lunar_month": "", "lunar_day": "", "count": "", **choice}

    event_id = event_id_of(await post_form(client, "/staff/events/new", fields))

    assert (await _event(client, scheduler, event_id))["calendar_rule"] == rule
    assert [n[0][:10] for n in await _nights(client, event_id)] == first_nights


async def test_a_lunar_series_changed_to_weekly_loses_its_lunar_rule(
    client: Client, scheduler: dict[str, str]
) -> None:
    event_id = event_id_of(await post_form(client, "/staff/events/new", GALA_FORM))
    weekly = {**GALA_FORM, "start_date": "2027-09-15", "repeat": "weekly", "byday": ["WE"],
              "ends": "count", "count": "2"}

    response = await post_form(client, f"/staff/events/{event_id}", weekly)

    assert location(response) == f"/staff/events/{event_id}?done=saved"
    event = await _event(client, scheduler, event_id)
    assert (event["calendar_rule"], event["rrule"]) == (None, "FREQ=WEEKLY;BYDAY=WE;COUNT=2")
    assert [n[0][:10] for n in await _nights(client, event_id)] == ["2027-09-15", "2027-09-22"]


async def test_a_yearly_rule_without_an_end_from_the_api_is_kept_when_edited(
    client: Client, scheduler: dict[str, str]
) -> None:
    elders = await create_event(client, scheduler, {
        "title_zh": "重阳敬老", "category": "performance", "start": "2027-01-01T09:00",
        "end": "2027-01-01T11:00", "calendar_rule": "LUNAR;MONTH=9;DAY=9"})
    page = await client.get(f"/staff/events/{elders['id']}")
    checked, selected = _chosen(assert_good_page(page.text))
    assert {("repeat", "lunar"), ("ends", "open")} <= checked
    assert (selected["lunar_month"], selected["lunar_day"]) == ("9", "9")
    assert "接下来 5 次（共 73 次）：2027年10月8日 周五 · 农历九月初九 重阳节 寒露；" in page.text

    fields = {**GALA_FORM, "title_zh": "重阳敬老（新）", "venue": "", "start_date": "2027-10-08",
              "start_time": "09:00", "end_time": "11:00", "lunar_month": "9",
              "lunar_day": "9", "ends": "open", "count": ""}
    response = await post_form(client, f"/staff/events/{elders['id']}", fields)

    assert location(response) == f"/staff/events/{elders['id']}?done=saved"
    event = await _event(client, scheduler, elders["id"])
    assert (event["title_zh"], event["calendar_rule"]) == ("重阳敬老（新）", "LUNAR;MONTH=9;DAY=9")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"lunar_leap": "on", "ends": "until", "until": "2031-12-31", "count": ""},
         "lunar_leap", "闰八月很少见：2027 年以后只在 2052、2071、2090 年有"),
        ({"lunar_day": ""}, "lunar_day", "请选择农历的月份和日子"),
        ({"lunar_month": "13"}, "lunar_month", "农历月份应在下拉列表中选择"),
        ({"repeat": "term"}, "term", "请选择节气"),
        ({"repeat": "lunardays"}, "ending", "请至少勾选一个尾数"),
        ({"ends": "until", "until": "2099-12-31", "count": "", "repeat": "lunardays",
          "ending": ["1", "2", "3", "4", "5"]}, "until", "产生超过 1000 次活动"),
    ],
)
async def test_a_bad_choice_is_refused_beside_its_field(
    client: Client, scheduler: dict[str, str], changes: FormData, field: str, message: str
) -> None:
    response = await post_form(client, "/staff/events/new", {**GALA_FORM, **changes})

    assert response.status_code == 422
    tree = assert_good_page(response.text)
    errors = {p.get("id"): "".join(p.itertext()) for p in tree.iter("p")
              if p.get("class") == "field-error"}
    assert message in errors[f"f-{field}-error"]
    assert 'value="中秋村晚"' in response.text  # what was typed is kept
    listed = await client.get("/api/v1/events", params={"status": "published,draft"},
                              headers=scheduler)
    assert listed.json()["items"] == []


async def test_the_preview_says_the_next_five_mid_autumn_dates(
    client: Client, scheduler: dict[str, str]
) -> None:
    asked = {**GALA_FORM, "count": "12"}

    response = await client.get(PREVIEW, params=asked)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-store"
    body = response.json()
    assert [d["date"] for d in body["dates"]] == MID_AUTUMN
    assert body["dates"][0]["label"] == "2027年9月15日 周三 · 农历八月十五 中秋节"
    assert body["text"].startswith(
        "接下来 5 次（共 12 次）：2027年9月15日 周三 · 农历八月十五 中秋节；"
        "2028年10月3日 周二 · 农历八月十五 中秋节；")
    assert body["text"].endswith("开始日期将移到第一次：2027年9月15日 周三。")
    english = (await client.get(PREVIEW, params={**asked, "lang": "en"})).json()
    assert english["dates"][1]["label"] == "Tue 3 Oct 2028 · lunar 8/15, Mid-Autumn Festival"


async def test_the_preview_of_a_weekly_rule_names_only_notable_lunar_days(
    client: Client, scheduler: dict[str, str]
) -> None:
    weekly = {**GALA_FORM, "start_date": "2027-09-08", "repeat": "weekly", "byday": ["WE"]}

    body = (await client.get(PREVIEW, params=weekly)).json()

    assert [d["label"] for d in body["dates"]] == [
        "2027年9月8日 周三 · 农历八月初八 白露",  # a solar term
        "2027年9月15日 周三 · 农历八月十五 中秋节",
        "2027年9月22日 周三", "2027年9月29日 周三", "2027年10月6日 周三",
    ]


async def test_the_preview_refuses_what_saving_would_refuse_beside_the_field(
    client: Client, scheduler: dict[str, str]
) -> None:
    leap = {**GALA_FORM, "lunar_leap": "on", "ends": "until", "until": "2031-12-31"}

    response = await client.get(PREVIEW, params=leap)

    assert response.status_code == 422
    body = response.json()
    assert body["dates"] == [] and list(body["errors"]) == ["lunar_leap"]
    assert body["text"].startswith("闰八月很少见：2027 年以后只在 2052、2071、2090 年有，")
    nothing = await client.get(PREVIEW, params={**GALA_FORM, "repeat": "none"})
    assert nothing.json() == {"text": "", "dates": [], "errors": {}}
    ancient = await client.get(PREVIEW, params={**GALA_FORM, "start_date": "1800-01-01"})
    assert ancient.status_code == 422
    assert ancient.json()["errors"] == {"start_date": "开始日期须在 1900 年至 2199 年之间。"}


async def test_the_preview_is_for_staff_who_plan_the_programme(
    client: Client, reference: None
) -> None:
    visitor = await client.get(PREVIEW, params=GALA_FORM)
    assert visitor.status_code == 401
    assert "dates" not in visitor.json()

    await log_in(client, "reporter", Role.reporter)
    reporter = await client.get(PREVIEW, params=GALA_FORM)
    assert reporter.status_code == 403
    assert "dates" not in reporter.json()


def test_the_series_sentence_says_a_solar_term_rule_in_words() -> None:
    start = datetime(2027, 6, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    event = Event(uid="x", title_zh="丰收节", category_id=1, starts_at=start,
                  ends_at=datetime(2027, 6, 1, 3, 0, tzinfo=UTC), span_end=start,
                  calendar_rule="TERM;NAME=秋分;COUNT=3")

    assert describe(event, 1000) == (
        "每年秋分 09:00–11:00，2027-09-23 至 2029-09-23，共 3 场",
        "Every year on Autumn Equinox (秋分), 09:00–11:00, 2027-09-23 to 2029-09-23, 3 times",
    )
