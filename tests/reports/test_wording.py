"""The town's way of writing figures (DOMAIN.md): pure functions, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bolin_events.services.stats.wording import (
    change_pct,
    cut,
    round_figure,
    wan,
    yoy_text,
)


@pytest.mark.parametrize(
    ("value", "digits", "written"),
    [
        # the 2023 review's own figures
        (5_316, 1, "5000余"),
        (5_316, 2, "5300余"),
        (636, 2, "630余"),
        (8_420, 1, "8000余"),
        (86, 1, "80余"),
        (86, 2, "86"),
        (23_480, 2, "2.3万余"),
        (10_400, 2, "1万余"),
        # exact round numbers take no 余
        (5_000, 2, "5000"),
        (5_000, 1, "5000"),
        (10_000, 2, "1万"),
        (23_000, 2, "2.3万"),
        (1_200_000, 2, "120万"),
        # 万 from 10,000 up, 余 after the round part
        (12_345, 2, "1.2万余"),
        (12_345, 3, "1.23万余"),
        (10_450, 3, "1.04万余"),
        (10_400, 3, "1.04万"),
        (99_999, 1, "9万余"),
        (50_001_234, 2, "5000万余"),
        (1_082_000, 3, "108万余"),
        # small numbers: nothing to cut
        (0, 2, "0"),
        (7, 1, "7"),
        (9_999, 3, "9990余"),
        (999, 3, "999"),
        (1_000, 3, "1000"),
        (1_001, 3, "1000余"),
    ],
)
def test_round_figure_keeps_leading_digits_and_cuts_the_rest(
    value: int, digits: int, written: str
) -> None:
    assert round_figure(value, digits) == written


def test_round_figure_never_rounds_up() -> None:
    assert (round_figure(5_999, 1), round_figure(19_999, 2), round_figure(699, 2)) == (
        "5000余",
        "1.9万余",
        "690余",
    )


def test_round_figure_never_writes_yu_before_wan() -> None:
    written = [round_figure(n, d) for n in range(10_000, 2_000_000, 7_919) for d in (1, 2, 3)]

    assert not any("余万" in w for w in written)
    assert all(w.endswith(("万", "万余")) for w in written)


@pytest.mark.parametrize("digits", [0, 4, -1])
def test_cut_refuses_digits_outside_one_to_three(digits: int) -> None:
    with pytest.raises(ValueError, match="digits"):
        cut(5_316, digits)


def test_cut_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        cut(-5, 2)


def test_cut_says_whether_anything_was_cut() -> None:
    assert [cut(n, 2) for n in (5_316, 5_300, 86, 0)] == [
        (5_300, True),
        (5_300, False),
        (86, False),
        (0, False),
    ]


def test_wan_drops_trailing_zeros() -> None:
    assert [wan(n) for n in (10_000, 15_000, 10_500, 12_340, 1_082_000)] == [
        "1万",
        "1.5万",
        "1.05万",
        "1.234万",
        "108.2万",
    ]


@pytest.mark.parametrize(
    ("current", "previous", "text"),
    [
        (1_062, 1_000, "同比增长6.2%"),
        (350, 400, "同比下降12.5%"),
        (3_000, 1_000, "同比增长200.0%"),
        (0, 1_000, "同比下降100.0%"),
        (1_000, 1_000, "同比持平"),
        (10_004, 10_000, "同比持平"),  # +0.04% is 0.0 to one decimal
        (10_005, 10_000, "同比增长0.1%"),  # half up
        (9_995, 10_000, "同比下降0.1%"),
        (1_424, 1_400, "同比增长1.7%"),
        (500, 0, None),  # no comparison when last year had nothing
        (0, 0, None),
    ],
)
def test_yoy_text_words_a_rise_a_fall_and_nothing_to_compare(
    current: int, previous: int, text: str | None
) -> None:
    assert yoy_text(current, previous) == text


def test_yoy_text_never_writes_a_negative_rise_or_bei() -> None:
    texts = [yoy_text(c, p) for c in range(0, 300, 7) for p in range(1, 300, 11)]

    assert not any("增长-" in t or "倍" in t for t in texts if t)


def test_change_pct_has_one_decimal() -> None:
    assert (change_pct(1_062, 1_000), change_pct(2, 3), change_pct(1, 0)) == (
        Decimal("6.2"),
        Decimal("-33.3"),
        None,
    )

