"""Domain errors: the rules a request can break, each with the HTTP status it maps to.

Services raise these and know nothing of HTTP; ``http_errors`` turns them into responses.
One status rule: a request that was read but whose values break a rule is 422 (the default
here, as for schema errors); 400 is kept for a request that cannot be read at all.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the service was broken; ``status`` is the HTTP code it maps to (422 unless
    the rule is of another kind: not found, a conflict, a refusal …)."""

    status = 422
    code = "invalid_input"

    def __init__(self, zh: str, en: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.details = details or []

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its texts, whatever the subclass's own arguments (an error raised in a
        worker process reaches the request as itself)."""
        return (_rebuilt, (type(self), self.zh, self.en, self.details))


def _rebuilt(kind: type[DomainError], zh: str, en: str,
             details: list[dict[str, Any]]) -> DomainError:
    error = kind.__new__(kind)
    DomainError.__init__(error, zh, en, details)
    return error


class InvalidInput(DomainError):
    """A value breaks a rule (said where the refusal is raised, for readers of the code)."""


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class VenueClash(Conflict):
    code = "venue_clash"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class TooLarge(DomainError):
    status = 413
    code = "too_large"


class UnsupportedMedia(DomainError):
    status = 415
    code = "unsupported_media_type"


class StorageUnwritable(DomainError):
    """The data directory (or the database's disk) takes no writes: full, read-only or not
    ours. Nothing was saved; reads go on working."""

    status = 503
    code = "storage_unwritable"

    def __init__(self, detail: str) -> None:
        super().__init__(
            "服务器存储暂时无法写入，这次没有保存任何内容；请稍后再试，并告知管理员。",
            f"The server's storage cannot be written to ({detail}); nothing was saved. "
            "Try again later and tell the administrator.",
        )


class WorkerLost(DomainError):
    """A worker process died under the job twice (killed, out of memory); nothing was saved."""

    status = 503
    code = "worker_lost"

    def __init__(self) -> None:
        super().__init__(
            "服务器处理时出错，这次没有保存任何内容；请稍后再试。",
            "The server failed while working on this; nothing was saved. Try again shortly.",
        )


class ImportRejected(InvalidInput):
    """A file with problems: nothing was written; ``details`` lists every problem."""

    code = "import_rejected"


class UpstreamError(DomainError):
    """Another server (a calendar being imported) failed or sent something unusable."""

    status = 502
    code = "upstream_error"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class TooManyRequests(DomainError):
    """Too many attempts (wrong passwords): refused until the time the message names."""

    status = 429
    code = "too_many_requests"


def not_found(kind_zh: str, kind_en: str, key: object) -> NotFound:
    return NotFound(f"找不到{kind_zh}：{key}", f"No {kind_en} {key!r} exists.")


# What a person calls the fields a Chinese message names (the English message and the details
# keep the field's own name, for programs).
FIELD_ZH = {
    "start": "开始时间",
    "end": "结束时间",
    "from": "起始日期",
    "to": "截止日期",
    "period": "统计期",
    "title_zh": "标题",
    "latitude": "纬度",
    "longitude": "经度",
    "coordinate_system": "坐标系",
    "category": "类别",
    "all_day": "全天",
    "reason": "原因",
    "slug": "标识",
    "status": "状态",
    "year": "年份",
    "station_role": "文化站角色",
    "template": "句式",
    "unit": "单位",
    "people_unit": "人次单位",
    "digits": "有效数字",
    "sessions": "数量",
    "people": "人次",
    "note": "备注",
    "enrolled": "报名人数",
    "completed": "结业人数",
    "course": "培训班",
    "highlight": "重点活动项目",
    "kind_zh": "活动类型名称",
    "position": "顺序",
    "round_count": "场次写“余”",
    "separate": "单独成句",
    "capacity": "容纳人数",
}


def field_zh(name: str) -> str:
    return FIELD_ZH.get(name, name)
