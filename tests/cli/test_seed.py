from __future__ import annotations

from tests.cli.conftest import Cli, column, row_counts, seed_report

VILLAGES = {"华盖村", "东胜村", "沙河村", "兴农村", "复兴村"}
VENUES = {"嘉悦农场研学基地", "清溪沟“清青乐园”", "东胜银杏夜市", "柏林镇综合文化站"}


def test_seed_twice_changes_nothing(cli: Cli) -> None:
    first = cli("seed")
    after_first = row_counts(cli.url)
    second = cli("seed")
    after_second = row_counts(cli.url)

    assert (first.exit_code, second.exit_code) == (0, 0), first.output + second.output
    assert after_second == after_first
    created = {kind: made for kind, (made, _) in seed_report(first.output).items()}
    assert created["villages"] == after_first["village"] == 5
    assert created["events"] == after_first["event"] > 0
    assert after_first["occurrence"] > after_first["event"]  # the weekly series expanded
    assert seed_report(second.output) == {kind: (0, made) for kind, made in created.items()}


def test_seed_without_demo_loads_only_reference_data(cli: Cli) -> None:
    result = cli("seed", "--no-demo")

    assert result.exit_code == 0, result.output
    assert set(column(cli.url, "SELECT name_zh FROM village")) == VILLAGES
    assert set(column(cli.url, "SELECT name_zh FROM venue")) == VENUES
    assert "events" not in seed_report(result.output)
    counts = row_counts(cli.url)
    assert (counts["event"], counts["occurrence"]) == (0, 0)
    assert not any("演示" in str(name) for name in column(cli.url, "SELECT name_zh FROM programme"))


def test_seed_demo_after_reference_adds_only_the_demo(sqlite_cli: Cli) -> None:
    sqlite_cli("seed", "--no-demo")

    result = sqlite_cli("seed")

    report = seed_report(result.output)
    assert report["villages"] == (0, 5)
    assert report["venues"] == (2, 4)  # the two demo culture centres
    assert report["events"][0] > 0
