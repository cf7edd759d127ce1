"""The one mapping from errors to HTTP problem responses.

Every 4xx/5xx body has one shape::

    {"status": 409, "code": "venue_clash", "message": "…中文…", "message_en": "…", "details": [...]}

One status for one kind of mistake: a request that was read but whose values break a rule is
422, whether the schema refuses them (a missing field, a word where a number goes) or a
domain rule does (an end before its start); 400 only when the request cannot be read at all
(malformed JSON, a broken multipart body, JSON nested too deeply).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import MediaType, Request, Response
from litestar.datastructures import FormMultiDict
from litestar.exceptions import ClientException, HTTPException, ValidationException
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bolin_events.errors import DomainError, StorageUnwritable, field_zh
from bolin_events.schemas.common import CONTROL

log = logging.getLogger("bolin_events")


SECRETS = frozenset({"password", "new_password", "current_password"})  # hashed, never shown


def cleaned(value: Any, key: str | None = None) -> Any:
    """Every text a client sends without control characters (tab and line breaks stay):
    PostgreSQL refuses NUL outright where SQLite stores it, and calendar clients choke on
    the rest, so both databases get the same text. Passwords are left as they are."""
    if isinstance(value, str):
        return value if key in SECRETS or not CONTROL.search(value) else CONTROL.sub("", value)
    if isinstance(value, dict):
        return {k: cleaned(v, k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list):
        return [cleaned(v, key) for v in value]
    return value


class JsonRequest(Request[Any, Any, Any]):
    """The request every handler gets: its JSON and form texts cleaned of control characters
    (``cleaned``), and JSON nested too deeply to decode a 400 like any malformed JSON (msgspec
    raises RecursionError for it, which Litestar would let become a 500)."""

    async def json(self) -> Any:
        media_type, _ = self.content_type
        if media_type != "application/json" and not media_type.endswith("+json"):
            sent = media_type or "no Content-Type"
            raise ClientException(f"send the body as application/json, not {sent}",
                                  status_code=415)
        try:
            return cleaned(await super().json())
        except RecursionError:
            raise ClientException("JSON is nested too deeply") from None

    async def form(self) -> FormMultiDict:
        form = await super().form()
        return FormMultiDict([(k, cleaned(v, k)) for k, v in form.multi_items()])


def problem(
    status: int, code: str, zh: str, en: str, details: list[dict[str, Any]] | None = None
) -> Response[dict[str, Any]]:
    return Response(
        {"status": status, "code": code, "message": zh, "message_en": en, "details": details or []},
        status_code=status,
        media_type=MediaType.JSON,
    )


_HTTP_TEXT: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求无法解析，请检查格式。", "The request could not be parsed."),
    401: ("not_authenticated", "需要登录或有效的令牌。", "Log in or send a valid token."),
    403: ("forbidden", "您的角色无权执行此操作。", "Your role may not do this."),
    404: ("not_found", "找不到该地址。", "Nothing is at this address."),
    405: (
        "method_not_allowed",
        "该地址不支持此请求方法。",
        "This address does not take that method.",
    ),
    413: (
        "body_too_large",
        "请求内容过大，请缩小后重试。",
        "The request body is too large; send less.",
    ),
    415: ("unsupported_media_type", "请以 JSON 发送。", "Send the body as JSON."),
}


def _validation_details(exc: ValidationException) -> list[dict[str, Any]]:
    extra = exc.extra
    if isinstance(extra, list):
        return [e if isinstance(e, dict) else {"message": str(e)} for e in extra]
    if isinstance(extra, dict):
        return [extra]
    return []


def domain_error_handler(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    return problem(exc.status, exc.code, exc.zh, exc.en, exc.details)


# Pydantic/msgspec say what is wrong in English; these say it in Chinese for the zh message.
UNSUPPORTED = "不支持的字段"  # said before the field: "不支持的字段：colour"
_ZH_HINTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Field required|Missing required"), "必填"),
    (re.compile(r"at most (\d+) characters?"), r"最多 \1 个字符"),
    (re.compile(r"at least (\d+) characters?"), r"至少 \1 个字符"),
    (re.compile(r"greater than or equal to (\S+)|>= (\S+)"), r"应不小于 \1\2"),
    (re.compile(r"less than or equal to (\S+)|<= (\S+)"), r"应不大于 \1\2"),
    (re.compile(r"valid integer|Expected `int`"), "应为整数"),
    (re.compile(r"valid boolean|Expected `bool`"), "应为 true 或 false"),
    (re.compile(r"valid (date|datetime)|Invalid isoformat|isoformat"), "日期或时间格式有误"),
    (re.compile(r"should match pattern|Expected `str` matching"), "格式有误"),
    (re.compile(r"Extra inputs are not permitted"), UNSUPPORTED),
    (re.compile(r"valid dictionary|Expected `object`"), "应为 JSON 对象 {…}"),
    (re.compile(r"Value error, (.+)"), r"\1"),
    (re.compile(r"Input should be (.+)"), r"应为 \1"),
    (re.compile(r"valid string|Expected `str`"), "应为文字"),
    (re.compile(r"JSON|decode", re.IGNORECASE), "格式有误，无法读取（应为 JSON）"),
]


def zh_hint(message: str) -> str:
    for pattern, zh in _ZH_HINTS:
        match = pattern.search(message)
        if match:  # pydantic lists choices "'a', 'b' or 'c'": in Chinese, 或
            return match.expand(zh).replace("' or '", "' 或 '")
    return message


def _zh_part(key: str, message: str) -> str:
    hint = zh_hint(message)
    return f"{UNSUPPORTED}：{key}" if hint == UNSUPPORTED else f"{field_zh(key)}：{hint}"


def validation_handler(
    _: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    """The schema refused a value of a request it could read: 422, as a domain rule's refusal."""
    details = _validation_details(exc)
    if details:
        zh_parts = [_zh_part(d.get("key") or "请求体", str(d.get("message", ""))) for d in details]
        en_parts = [f"{d.get('key') or 'body'}: {d.get('message', '')}" for d in details]
    else:
        zh_parts, en_parts = [zh_hint(str(exc.detail))], [str(exc.detail)]
    return problem(
        422,
        "invalid_request",
        "请求有误，请修改后重试——" + "；".join(zh_parts),
        "The request is not valid: " + "; ".join(en_parts),
        details,
    )


def http_exception_handler(
    _: Request[Any, Any, Any], exc: HTTPException
) -> Response[dict[str, Any]]:
    code, zh, en = _HTTP_TEXT.get(
        exc.status_code, ("http_error", "请求无法完成。", "The request could not be completed.")
    )
    if exc.status_code >= 500:
        log.error("HTTP %s: %s", exc.status_code, exc.detail)
        return problem(exc.status_code, "server_error", "服务器出错，请稍后重试。", "Server error.")
    if exc.detail and exc.status_code not in (404, 405):
        en = f"{en} ({exc.detail})"
    response = problem(exc.status_code, code, zh, en)
    if exc.headers:  # e.g. Allow on a 405
        response.headers.update(exc.headers)
    return response


def integrity_handler(_: Request[Any, Any, Any], exc: IntegrityError) -> Response[dict[str, Any]]:
    log.info("integrity error: %s", exc.orig)
    return problem(
        409,
        "conflict",
        "与已有数据冲突（例如名称或标识重复）。",
        "This conflicts with existing data (for example a duplicate name or slug).",
    )


def server_error_handler(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error", exc_info=exc)
    return problem(
        500, "server_error", "服务器出错，请稍后重试。", "Server error; try again later."
    )


BUSY_ZH = "访问的人太多，请几秒钟后再试。"
BUSY_EN = "Too many visitors at this moment; try again in a few seconds."
RETRY_AFTER_SECONDS = 2


UNWRITABLE = ("readonly database", "read-only", "disk is full", "unable to open database",
              "no space left")


def operational_handler(
    request: Request[Any, Any, Any], exc: OperationalError
) -> Response[dict[str, Any]]:
    """The database could not write for want of storage (SQLite's file read-only, a full
    disk): 503 saying so; anything else the database raised stays a server error."""
    text = str(exc.orig).lower()
    if any(sign in text for sign in UNWRITABLE):
        log.error("database storage not writable: %s", exc.orig)
        return domain_error_handler(request, StorageUnwritable(str(exc.orig)))
    return server_error_handler(request, exc)


def busy_handler(_: Request[Any, Any, Any], exc: PoolTimeout) -> Response[dict[str, Any]]:
    """No database connection came free in time (BOLIN_DB_POOL_TIMEOUT_SECONDS): a crowd,
    not a fault — the client is told to come back shortly instead of waiting longer."""
    log.warning("database pool exhausted: answered 503 (%s)", exc)
    response = problem(503, "busy", BUSY_ZH, BUSY_EN)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_handler,
    HTTPException: http_exception_handler,
    IntegrityError: integrity_handler,
    PoolTimeout: busy_handler,
    OperationalError: operational_handler,
    Exception: server_error_handler,
}
