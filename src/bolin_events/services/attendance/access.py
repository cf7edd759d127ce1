"""Who may file and read a night's attendance: a reporter only their own villages' nights.

One rule for every reader and writer of attendance — filing a report, reading a night's
ledger, adding or downloading a photo — through the API and the pages alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from bolin_events.errors import Forbidden
from bolin_events.models import Occurrence
from bolin_events.services.refs import RefData


@dataclass(frozen=True)
class Reporter:
    """Who files: ``villages`` None means anywhere (schedulers and admins)."""

    user_id: int
    username: str
    villages: frozenset[int] | None


def check_village(refs: RefData, occ: Occurrence, reporter: Reporter) -> None:
    if reporter.villages is None:
        return
    venue = refs.venues.by_id.get(occ.venue_id or -1)
    if venue is None:
        raise Forbidden(
            "该场次没有场地，无法确定所属村；请由排期人员或管理员上报。",
            "This occurrence has no venue, so no village: a scheduler or admin reports it.",
        )
    if venue.village_id in reporter.villages:
        return
    village = refs.villages.by_id.get(venue.village_id or -1)
    if village is None:
        raise Forbidden(
            f"场地{venue.name_zh}不属于任何村，请由排期人员或管理员上报。",
            f"The venue {venue.slug} is in no village: a scheduler or admin reports it.",
        )
    mine = "、".join(sorted(refs.villages.by_id[v].name_zh for v in reporter.villages)) or "无"
    mine_en = ", ".join(sorted(refs.villages.by_id[v].slug for v in reporter.villages)) or "none"
    raise Forbidden(
        f"您只能为本村（{mine}）的场次上报；该场次在{village.name_zh}（{venue.name_zh}）。",
        f"You report only for your villages ({mine_en}); this occurrence is at {venue.slug} "
        f"in {village.slug}.",
        [{"village": village.slug, "your_villages": mine_en}],
    )
