"""The pure parts of a sheet import: repeat phrases, cells, names, ids."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bolin_events.models import Category, Venue, Village
from bolin_events.services.imports import cells
from bolin_events.services.imports.mapping import find, suggest
from bolin_events.services.imports.phrases import PhraseError, to_rrule
from bolin_events.services.imports.reader import derived_id
from bolin_events.services.refs import Table


@pytest.mark.parametrize(
    ("phrase", "rule"),
    [
        ("每周五、六至2027-09-30", "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930"),
        ("每周五和周六至9月30日", "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930"),
        ("每周五，周六 到 2027年9月30日", "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930"),
        ("每天至2027-08-31", "FREQ=DAILY;UNTIL=20270831"),
        ("每2天共10次", "FREQ=DAILY;INTERVAL=2;COUNT=10"),
        ("每两周六共5次", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=5"),
        ("每周至2027/9/30", "FREQ=WEEKLY;UNTIL=20270930"),
        ("每周日至20270930", "FREQ=WEEKLY;BYDAY=SU;UNTIL=20270930"),
        ("每月15日至2027-12-31", "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231"),
        ("每月第一个周六至2027-12-31", "FREQ=MONTHLY;BYDAY=1SA;UNTIL=20271231"),
        ("每月最后一个周五共6次", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"),
        ("every Fri, Sat until 2027-09-30", "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930"),
        ("daily until 2027-08-31", "FREQ=DAILY;UNTIL=20270831"),
        ("every 2 weeks on Saturday, 5 times", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=5"),
        ("monthly on the 15th until 2027-12-31", "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231"),
        ("monthly on the last Friday, 6 times", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"),
        ("RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=3", "FREQ=WEEKLY;BYDAY=FR;COUNT=3"),
        ("freq=daily;count=2", "freq=daily;count=2"),
    ],
)
def test_repeat_phrase_becomes_a_rule(phrase: str, rule: str) -> None:
    assert to_rrule(phrase, default_year=2027) == rule


def test_repeat_left_empty_is_no_rule() -> None:
    assert (to_rrule("", default_year=2027), to_rrule("不重复", default_year=2027)) == (None, None)


@pytest.mark.parametrize(
    ("phrase", "zh"),
    [
        ("每周五", "重复「每周五」没有结束：请加「至2027-09-30」或「共10次」。"),
        ("每周五至下个月", "重复「每周五至下个月」的结束日期无法识别；请写成 2027-09-30 或 "
         "2027年9月30日。"),
        ("每周五至2027-02-30", "重复「每周五至2027-02-30」中的日期 2027-02-30 不存在。"),
        ("隔三差五至2027-09-30", "无法识别重复「隔三差五至2027-09-30」。请写成如："
         "每周五、六至2027-09-30；每天至2027-08-31；每月第一个周六共6次；"
         "或写标准重复规则（如 FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930）。"),
    ],
)
def test_repeat_phrase_not_understood_says_why(phrase: str, zh: str) -> None:
    with pytest.raises(PhraseError) as raised:
        to_rrule(phrase, default_year=2027)

    assert raised.value.zh == zh


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        ("2027-06-04 19:00", datetime(2027, 6, 4, 19, 0)),
        ("2027/6/4 19:00", datetime(2027, 6, 4, 19, 0)),
        ("2027年6月4日 19:30", datetime(2027, 6, 4, 19, 30)),
        ("2027年6月4日 下午7点", datetime(2027, 6, 4, 19, 0)),
        ("2027-06-04T19:00", datetime(2027, 6, 4, 19, 0)),
        ("2027-06-04", date(2027, 6, 4)),
        ("22:30", time(22, 30)),
        ("２２：３０", time(22, 30)),
        (datetime(2027, 6, 4, 19, 0), datetime(2027, 6, 4, 19, 0)),
        (time(22, 30), time(22, 30)),
    ],
)
def test_cell_read_as_a_moment(value: object, moment: object) -> None:
    assert cells.moment(value) == moment


def test_excel_date_cell_without_a_time_is_a_date() -> None:
    midnight = datetime(2027, 7, 9, 0, 0)

    assert cells.moment(midnight, date_only_format=True) == date(2027, 7, 9)
    assert cells.moment(midnight, date_only_format=False) == midnight


def test_end_given_as_a_time_before_the_start_is_the_next_day() -> None:
    start = datetime(2027, 6, 4, 19, 0)

    assert cells.when(start, time(0, 30), None) == {
        "all_day": False, "start": start, "end": datetime(2027, 6, 5, 0, 30)}
    assert cells.when(date(2027, 7, 9), date(2027, 7, 11), None)["all_day"] is True


def test_dates_typed_into_a_date_time_column_are_all_day() -> None:
    start, end = datetime(2027, 7, 9, 0, 0), datetime(2027, 7, 11, 0, 0)

    assert cells.when(start, end, None) == {
        "all_day": True, "start": date(2027, 7, 9), "end": date(2027, 7, 11)}


def _table() -> Table[Venue]:
    table: Table[Venue] = Table(Venue)
    for number, (slug, zh, en) in enumerate([
        ("jiayue-farm", "嘉悦农场研学基地", "Jiayue Farm Study Base"),
        ("qingqing-park", '清溪沟“清青乐园”', "Qingxigou Qingqing Park"),
        ("ginkgo-night-market", "东胜银杏夜市", "Dongsheng Ginkgo Night Market"),
    ], start=1):
        venue = Venue(id=number, slug=slug, name_zh=zh, name_en=en, village_id=1)
        table.by_id[number], table.by_slug[slug] = venue, venue
    return table


@pytest.mark.parametrize(
    "typed",
    ["嘉悦农场研学基地", "jiayue-farm", "Jiayue farm study base", "jiayuenongchangyanxuejidi"],
)
def test_venue_found_by_any_of_its_names(typed: str) -> None:
    assert [v.slug for v in find(_table(), typed)] == ["jiayue-farm"]


def test_venue_name_with_quotes_found_without_them() -> None:
    assert [v.slug for v in find(_table(), "清溪沟清青乐园")] == ["qingqing-park"]


@pytest.mark.parametrize(
    ("typed", "close"),
    [("清青乐园", ["qingqing-park"]), ("银杏夜", ["ginkgo-night-market"]), ("火星", [])],
)
def test_unknown_venue_suggests_what_is_close(typed: str, close: list[str]) -> None:
    assert [v.slug for v in suggest(_table(), typed)] == close


def test_village_found_without_its_suffix() -> None:
    table: Table[Village] = Table(Village)
    village = Village(id=1, slug="dongsheng", name_zh="东胜村", name_en="Dongsheng Village")
    table.by_id[1], table.by_slug["dongsheng"] = village, village

    assert [v.slug for v in find(table, "东胜")] == ["dongsheng"]


def test_category_found_by_english_name_in_any_case() -> None:
    table: Table[Category] = Table(Category)
    market = Category(id=1, slug="market", name_zh="夜市", name_en="Night markets")
    table.by_id[1], table.by_slug["market"] = market, market

    assert [c.slug for c in find(table, "NIGHT MARKETS")] == ["market"]


def test_derived_id_stays_while_title_start_and_venue_do() -> None:
    start = datetime(2027, 6, 4, 19, 0)

    same = derived_id("夜市", start, "ginkgo-night-market")

    assert same == derived_id("夜市", datetime(2027, 6, 4, 19, 0), "ginkgo-night-market")
    assert same != derived_id("夜市", datetime(2027, 6, 5, 19, 0), "ginkgo-night-market")
    assert same.startswith("auto-") and len(same) == 21
