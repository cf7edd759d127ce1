"""Content lines on the wire: CRLF, folding at 75 octets between characters, TEXT escaping."""

from __future__ import annotations

import pytest

from bolin_events.calendar.wire import encode_lines, escape_text, fold

BOM = b"\xef\xbb\xbf"


def unfold(wire: bytes) -> list[str]:
    """The logical lines back (RFC 5545 §3.1): drop every CRLF followed by one space."""
    assert wire.endswith(b"\r\n")
    return wire[:-2].replace(b"\r\n ", b"").decode("utf-8").split("\r\n")


def test_encode_lines_ends_every_line_with_crlf_and_writes_no_bom() -> None:
    wire = encode_lines(["BEGIN:VEVENT", "SUMMARY:夜市", "END:VEVENT"])

    assert wire == "BEGIN:VEVENT\r\nSUMMARY:夜市\r\nEND:VEVENT\r\n".encode()
    assert not wire.startswith(BOM)


def test_fold_keeps_short_lines_whole() -> None:
    assert fold("SUMMARY:夜市") == "SUMMARY:夜市\r\n".encode()


def test_fold_keeps_a_line_of_exactly_75_octets_whole() -> None:
    assert fold("X" * 75) == b"X" * 75 + b"\r\n"


def test_fold_cuts_at_75_octets_and_continues_after_one_space() -> None:
    line = "A" * 75 + "B" * 74 + "C" * 3

    folded = fold(line)

    assert folded == b"A" * 75 + b"\r\n " + b"B" * 74 + b"\r\n CCC\r\n"


def test_fold_never_splits_a_chinese_character() -> None:
    line = "SUMMARY:" + "柏林镇东胜银杏夜市" * 12

    folded = fold(line)

    parts = folded[:-2].split(b"\r\n")
    assert [len(p) for p in parts] == [74, 73, 73, 73, 43]  # 3-octet characters, ≤75 each
    assert all(p.startswith(b" ") for p in parts[1:])
    assert all(p.decode("utf-8") for p in parts)
    assert folded.replace(b"\r\n ", b"")[:-2].decode("utf-8") == line


def test_fold_never_splits_a_four_octet_character() -> None:
    line = "SUMMARY:" + "🏮" * 20  # 8 + 80 octets: the 17th lantern would straddle octet 75

    parts = fold(line)[:-2].split(b"\r\n")

    assert [len(p) for p in parts] == [72, 17]
    assert [p.decode("utf-8") for p in parts] == ["SUMMARY:" + "🏮" * 16, " " + "🏮" * 4]


@pytest.mark.parametrize("line", [
    "DESCRIPTION:" + "x" * 300,
    "SUMMARY:柏林镇 Bolin town 银杏夜市 ginkgo night market " * 5,
    "LOCATION:东胜村\\, 柏林镇 🏮 " * 8,
])
def test_unfolding_a_folded_line_gives_back_the_original(line: str) -> None:
    folded = fold(line)

    assert max(len(p) for p in folded[:-2].split(b"\r\n")) <= 75
    assert unfold(folded) == [line]


def test_escape_text_escapes_separators_backslash_and_newlines() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_escape_text_keeps_a_typed_backslash_n_apart_from_a_newline() -> None:
    assert escape_text("C:\\new\nline") == "C:\\\\new\\nline"


def test_escape_text_turns_a_lone_carriage_return_into_a_newline() -> None:
    assert escape_text("第一行\r第二行") == "第一行\\n第二行"


def test_escape_text_leaves_colons_and_quotes_alone() -> None:
    assert escape_text('时间: 19:00 "夜市"') == '时间: 19:00 "夜市"'


def test_escape_text_strips_control_characters() -> None:
    assert escape_text("夜\x00市\x07\tA") == "夜市 A"
