"""The reports page: a period's figures, the review paragraph, charts and files, for staff."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest

from bolin_events.models import Role
from tests.attendance.helpers import make_event
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in

REPORTS = "/staff/reports"
BOM = b"\xef\xbb\xbf"


@pytest.fixture
async def admin(client: Client, seeded: None) -> dict[str, str]:
    """An admin logged in to the pages; their Bearer header for the JSON API."""
    return await log_in(client, "admin", Role.admin)


async def api(client: Client, headers: dict[str, str], path: str, **params: str) -> Any:
    response = await client.get(f"/api/v1/reports/{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def review_box(html: str) -> str:
    tree = assert_good_page(html)
    (box,) = [el for el in tree.iter("textarea") if el.get("id") == "review-text"]
    return str(box.text)


def chart_sources(html: str) -> list[str]:
    found = re.findall(r'<img class="chart" src="([^"]+)"', html)
    return [src.replace("&amp;", "&") for src in found]


def links(html: str, pattern: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(f'href="({pattern}[^"]*)"', html)]


async def test_reports_page_shows_the_years_review_paragraph_as_the_api_writes_it(
    client: Client, admin: dict[str, str]
) -> None:
    expected = await api(client, admin, "review", period="2026")
    stats = await api(client, admin, "stats", period="2026", group_by="village")

    response = await client.get(REPORTS, params={"year": "2026"})

    assert response.status_code == 200
    assert review_box(response.text) == expected["paragraph"]
    assert "2026年" in expected["paragraph"]
    assert f"<strong>{stats['total']['sessions']}</strong>" in response.text
    assert f"<strong>{stats['total']['people']:,}</strong>" in response.text
    for row in stats["rows"]:
        assert row["name_zh"] in response.text
    assert "举办展览（个）" in response.text and "组织文艺活动（次）" in response.text


async def test_reports_page_defaults_to_this_year(client: Client, admin: dict[str, str]) -> None:
    response = await client.get(REPORTS)

    assert response.status_code == 200
    assert 'name="year" type="number" min="2000" max="2100" inputmode="numeric" value="2026"' in (
        response.text
    )
    assert (
        review_box(response.text)
        == (await api(client, admin, "review", period="2026"))["paragraph"]
    )


@pytest.mark.parametrize(
    ("params", "api_params", "label"),
    [
        ({"year": "2026", "part": "10"}, {"period": "2026-10"}, "2026年10月"),
        ({"year": "2026", "part": "Q4"}, {"period": "2026-Q4"}, "2026年第四季度"),
        (
            {"from": "2026-10-01", "to": "2026-10-20", "year": "2026"},
            {"from": "2026-10-01", "to": "2026-10-20"},
            "2026年10月1日至2026年10月20日",
        ),
    ],
)
async def test_reports_page_takes_a_month_a_quarter_or_dates(
    client: Client,
    admin: dict[str, str],
    params: dict[str, str],
    api_params: dict[str, str],
    label: str,
) -> None:
    expected = await api(client, admin, "review", **api_params)

    response = await client.get(REPORTS, params=params)

    assert review_box(response.text) == expected["paragraph"]
    assert f"<h1>统计报表 · {label}</h1>" in response.text


async def test_each_chart_on_the_page_is_an_svg_for_the_logged_in_user(
    client: Client, admin: dict[str, str]
) -> None:
    page = await client.get(REPORTS, params={"year": "2026"})
    sources = chart_sources(page.text)

    charts = [await client.get(src) for src in sources]

    assert [src.split("?")[0].rsplit("/", 1)[1] for src in sources] == [
        "trend",
        "categories",
        "villages",
    ]
    assert all("period=2026" in src for src in sources)
    assert [c.status_code for c in charts] == [200, 200, 200]
    assert all(c.headers["content-type"].startswith("image/svg+xml") for c in charts)
    assert "<svg" in charts[0].text and "2026年每月人次" in charts[0].text
    assert "<script" not in charts[1].text


async def test_downloads_on_the_page_are_the_apis_files_with_the_cookie(
    client: Client, admin: dict[str, str]
) -> None:
    page = await client.get(REPORTS, params={"year": "2026", "part": "10"})
    files = links(page.text, "/staff/reports/")
    csv_link = next(f for f in files if "stats/file?format=csv&group_by=village" in f)
    xlsx_link = next(f for f in files if "ledger/file?format=xlsx" in f)
    ledger_csv = next(f for f in files if "ledger/file?format=csv" in f)

    csv = await client.get(csv_link)
    xlsx = await client.get(xlsx_link)
    ledger = await client.get(ledger_csv)

    assert csv.content.startswith(BOM)
    api_csv = await client.get(
        "/api/v1/reports/stats/file",
        params={"format": "csv", "group_by": "village", "period": "2026-10"},
        headers=admin,
    )
    assert csv.content == api_csv.content
    assert 'filename="stats-2026-10-village.csv"' in csv.headers["content-disposition"]
    assert zipfile.is_zipfile(io.BytesIO(xlsx.content))
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert ledger.content.startswith(BOM) and "东胜银杏夜市" in ledger.content.decode("utf-8-sig")


async def test_a_reporter_may_not_see_reports(client: Client, seeded: None) -> None:
    await log_in(client, "reporter", Role.reporter, ["dongsheng"])

    page = await client.get(REPORTS)
    chart = await client.get(f"{REPORTS}/charts/trend", params={"period": "2026"})
    file = await client.get(f"{REPORTS}/stats/file", params={"period": "2026"})

    assert (page.status_code, chart.status_code, file.status_code) == (403, 403, 403)
    assert_good_page(page.text)
    assert "查看统计报表" in page.text


async def test_reports_send_an_anonymous_visitor_to_log_in(client: Client, seeded: None) -> None:
    response = await client.get(REPORTS, params={"year": "2026"})

    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?next=%2Fstaff%2Freports%3Fyear%3D2026"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "无法识别"),
        ({"year": "2026", "part": "Q9"}, "请从列表中选择月份或季度"),
        ({"from": "2026-13-01", "to": "2026-12-31"}, "起始日期不是有效日期"),
        ({"from": "2026-10-01"}, "同时给出起始日期和截止日期"),
        ({"from": "2026-10-01", "to": "2026-09-01"}, "截止日期不能早于起始日期"),
        ({"year": "1800"}, "1800"),
        ({"year": "0000-01"}, "1900"),  # year 0 and December 9999's next month are no dates
        ({"year": "9999", "part": "12"}, "2199"),
        ({"year": "20\x0026", "from": "\x00", "to": "2026-12-31"}, "起始日期不是有效日期"),
    ],
)
async def test_a_period_that_cannot_be_read_is_a_422_that_says_why(
    client: Client, admin: dict[str, str], params: dict[str, str], message: str
) -> None:
    response = await client.get(REPORTS, params=params)

    assert response.status_code == 422  # values that break a rule, as in the API
    assert_good_page(response.text)
    assert message in response.text
    assert 'id="review-text"' not in response.text


@pytest.mark.parametrize(
    ("params", "english"),
    [
        ({"from": "2026-10-01", "to": "2026-09-01"},
         "The last day (2026-09-01) must not be before the first day (2026-10-01)."),
        ({"from": "2026-10-01"}, "The period lacks its last day"),
        ({"to": "2026-10-01"}, "The period lacks its first day"),
        ({"from": "2026-02-30", "to": "2026-03-01"}, "The first day (from) &#39;2026-02-30&#39; "
         "is not a date"),
    ],
)
async def test_period_mistakes_are_said_in_words_people_use_in_english_too(
    client: Client, admin: dict[str, str], params: dict[str, str], english: str
) -> None:
    response = await client.get(REPORTS, params={**params, "lang": "en"})

    assert_good_page(response.text)
    assert english in response.text
    assert "must not be before from" not in response.text
    assert "Or first day" in response.text and "Last day (included)" in response.text


async def test_period_fields_are_labelled_with_the_words_the_messages_use(
    client: Client, admin: dict[str, str]
) -> None:
    response = await client.get(REPORTS, params={"from": "2026-10-01", "to": "2026-09-01"})

    tree = assert_good_page(response.text)
    labels = {el.get("for"): "".join(el.itertext()) for el in tree.iter("label")}
    assert (labels["r-from"], labels["r-to"]) == ("或起始日期", "截止日期（含当天）")
    assert "截止日期不能早于起始日期（起始 2026-10-01，截止 2026-09-01）" in response.text


async def test_the_annual_return_downloads_on_the_page_are_the_apis_files(
    client: Client, admin: dict[str, str]
) -> None:
    page = await client.get(REPORTS, params={"year": "2026"})
    files = links(page.text, "/staff/reports/annual/file")

    xlsx, csv = [await client.get(link) for link in files]
    api_csv = await client.get("/api/v1/reports/annual-return/file",
                               params={"format": "csv", "period": "2026"}, headers=admin)

    assert [f.split("?")[1] for f in files] == ["format=xlsx&period=2026",
                                                "format=csv&period=2026"]
    assert "年报 XLSX" in page.text and "年报 CSV" in page.text
    assert zipfile.is_zipfile(io.BytesIO(xlsx.content))
    assert 'filename="annual-return-2026.xlsx"' in xlsx.headers["content-disposition"]
    assert csv.content == api_csv.content and csv.content.startswith(BOM)
    assert "举办展览" in csv.content.decode("utf-8-sig")


async def test_the_review_paragraph_has_a_copy_button_hidden_until_script_shows_it(
    client: Client, admin: dict[str, str]
) -> None:
    response = await client.get(REPORTS, params={"year": "2026"})

    tree = assert_good_page(response.text)
    (button,) = [el for el in tree.iter("button") if el.get("data-copy") == "review-text"]
    assert "".join(button.itertext()) == "复制段落"
    assert button.get("hidden") is not None  # without JavaScript: select the text by hand
    assert "/static/copy" in response.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/charts/pie", "kind：Invalid enum value &#39;pie&#39;"),
        ("/charts/trend?period=abc", "统计期「abc」无法识别"),
        ("/stats/file?period=2026&format=pdf", "format：Invalid enum value &#39;pdf&#39;"),
        ("/charts/trend?period=0000-01", "统计期须在 1900 年至 2199 年之间。"),
        ("/stats/file?period=9999-12", "统计期须在 1900 年至 2199 年之间。"),
        ("/ledger/file?period=9999-Q4", "统计期须在 1900 年至 2199 年之间。"),
    ],
)
async def test_bad_chart_or_file_addresses_are_4xx(
    client: Client, admin: dict[str, str], path: str, message: str
) -> None:
    response = await client.get(REPORTS + path)

    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("text/html")
    assert_good_page(response.text)
    assert message in response.text  # the visitor is told what is wrong, not just refused


async def test_reports_to_check_list_links_to_the_flagged_report(
    client: Client, admin: dict[str, str]
) -> None:
    _, night = await make_event(client, admin, capacity=50)
    await client.get(f"/staff/attendance/{night}")
    reported = await client.post(
        f"/staff/attendance/{night}", data={"_csrf_token": csrf(client), "total": "130"}
    )
    assert reported.status_code == 303

    response = await client.get(REPORTS)

    assert f'href="/staff/attendance/{night}"' in response.text
    assert "现场 130 人次超过容纳人数 50 的 2 倍" in response.text


async def test_reports_page_in_english(client: Client, admin: dict[str, str]) -> None:
    response = await client.get(REPORTS, params={"year": "2026", "lang": "en"})

    assert_good_page(response.text)
    assert "Review paragraph" in response.text and "By village" in response.text
    unreported = (await api(client, admin, "stats", period="2026"))["total"]["unreported"]
    assert unreported  # the demo season leaves nights to report
    assert f"{unreported} sessions are not reported yet, so the people are short" in (
        response.text)
    assert "请先补报" not in response.text
    assert "举办展览（个） <span class=\"muted\">Exhibitions</span>" in response.text


async def test_a_scheduler_sees_reports_too(client: Client, seeded: None) -> None:
    await log_in(client, "scheduler", Role.scheduler)

    response = await client.get(REPORTS, params={"year": "2026"})

    assert response.status_code == 200
    assert "东胜村" in response.text
