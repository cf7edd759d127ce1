"""The one slug function: pinyin of Chinese names, ASCII and lower case."""

from __future__ import annotations

import re

import pytest

from bolin_events.slugs import SLUG_PATTERN, slugify


@pytest.mark.parametrize(
    ("name", "village", "slug"),
    [
        ("东胜村", True, "dongsheng"),
        ("华盖村", True, "huagai"),
        ("东胜村", False, "dongshengcun"),
        ("村", True, "cun"),
        ("柏林镇", True, "bolin"),
        ("嘉悦农场研学基地", False, "jiayuenongchangyanxuejidi"),
        ("2027嗨夏季", False, "2027-haixiaji"),
        ('清溪沟"清青乐园"', False, "qingxigou-qingqingleyuan"),
        ("  Summer Fair 夏日市集 ", False, "summer-fair-xiarishiji"),
    ],
)
def test_slugify_gives_pinyin_words_joined_by_hyphens(name: str, village: bool, slug: str) -> None:
    assert slugify(name, strip_place_suffix=village) == slug


def test_slugify_results_match_the_slug_pattern() -> None:
    assert re.match(SLUG_PATTERN, slugify("送文化下乡之“村晚”（2027）"))


def test_slugify_of_punctuation_only_is_empty() -> None:
    assert slugify("！！！") == ""
